import Foundation
import GRDB
public import TrawlCore

extension SQLiteStore {
    /// Advances the collection's revision inside the caller's write transaction and returns it.
    /// One past the highest revision of any collection, so a collection deleted and created again
    /// under its old name does not repeat revisions an index already saw.
    static func advanceRevision(_ db: Database, _ collection: String) throws -> Int64 {
        try db.cachedStatement(sql: """
            UPDATE collections SET revision = (SELECT COALESCE(MAX(revision), 0) FROM collections) + 1 WHERE name = ?
            """).execute(arguments: [collection])
        return try Int64.fetchOne(db.cachedStatement(sql: "SELECT revision FROM collections WHERE name = ?"), arguments: [collection]) ?? 0
    }

    /// Size and modification time of the write-ahead log and the database file: every commit
    /// appends to the log (a checkpoint rewrites the file), whichever process made it.
    public func changeToken() -> Int64? {
        var hasher = Hasher()
        for file in [path + "-wal", path] {
            var info = stat()
            guard stat(file, &info) == 0 else { continue }
            hasher.combine(info.st_size)
            hasher.combine(info.st_mtim.tv_sec)
            hasher.combine(info.st_mtim.tv_nsec)
            hasher.combine(info.st_ino)
        }
        return Int64(hasher.finalize())
    }

    public func collectionRevisions() async throws -> [CollectionRevision] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT name, revision, created_at FROM collections ORDER BY name")).map {
                CollectionRevision(name: $0[0], revision: $0[1], createdAt: $0[2])
            }
        }
    }

    public func changedDocuments(collection: String, since: Int64, after cursor: RevisionCursor?, limit: Int) async throws -> [RevisionedDocument] {
        let rows = try await pool.read { db in
            if let cursor {
                return try Row.fetchAll(
                    db.cachedStatement(sql: """
                        SELECT doc, revision FROM documents WHERE collection = ? AND revision > ? AND (revision > ? OR (revision = ? AND name > ?))
                        ORDER BY revision, name LIMIT ?
                        """),
                    arguments: [collection, since, cursor.revision, cursor.revision, cursor.name, limit])
            }
            return try Row.fetchAll(
                db.cachedStatement(sql: "SELECT doc, revision FROM documents WHERE collection = ? AND revision > ? ORDER BY revision, name LIMIT ?"),
                arguments: [collection, since, limit])
        }
        return try rows.map { RevisionedDocument(document: try DocumentCoding.decode($0[0]), revision: $0[1]) }
    }
}
