import Foundation
import GRDB
import Synchronization
public import TrawlCore

/// The embedded default store: one SQLite file in WAL mode, so a server can read while a crawl
/// writes. Holds documents, releases, the shared GitHub cache, HTTP validators, dedup keys,
/// problems, checkpoints, collections, aliases and API keys.
public final class SQLiteStore: Store {
    let pool: DatabasePool
    public let path: String
    /// Body-less validators (a crawl's project-JSON ETags) waiting to be written with the next
    /// document batch: one write transaction per fetched package used to stall every fetch behind
    /// the batch writer. Losing them (a kill) costs one full download next time, nothing else.
    let pendingValidators = Mutex<[String: CachedResponse]>([:])

    /// Opens (creating folders and file as needed) and migrates the database at `path`.
    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "trawl"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Readers get a page cache that holds a collection's search indexes: with SQLite's 2 MB
            // default every search re-read its pages from the OS (serve bench 20k packages, 64
            // connections: 75 → 129 requests/s). A cap, not an allocation: only pages read count.
            if db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -\(Self.readerCacheKiB)") }
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    /// Page cache per reader connection (GRDB opens up to five).
    static let readerCacheKiB = 32 * 1024

    public var redactedDescription: String { "sqlite:\(path)" }

    public func close() async throws {
        try await flushValidators()
        try pool.close()
    }

    /// The names of the migrations applied, in order (for `trawl admin` and tests).
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Self.migrator.appliedMigrations(db) }
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }
}
