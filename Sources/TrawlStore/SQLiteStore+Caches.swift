import Foundation
import GRDB
public import TrawlCore

extension SQLiteStore {
    // MARK: HTTP validators

    public func cachedResponse(for url: String) async throws -> CachedResponse? {
        if let pending = pendingValidators.withLock({ $0[url] }) { return pending }
        return try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT etag, last_modified, body, stored_at FROM http_cache WHERE url = ?", arguments: [url]).map {
                CachedResponse(url: url, etag: $0["etag"], lastModified: $0["last_modified"], body: [UInt8]($0["body"] as Data), storedAt: $0["stored_at"])
            }
        }
    }

    public func saveCachedResponse(_ response: CachedResponse) async throws {
        guard response.body.isEmpty else {
            pendingValidators.withLock { _ = $0.removeValue(forKey: response.url) }
            try await pool.write { db in try Self.saveValidators(db, [response]) }
            return
        }
        let full = pendingValidators.withLock { pending in
            pending[response.url] = response
            return pending.count >= Self.pendingValidatorLimit
        }
        if full { try await flushValidators() }
    }

    /// Pending validators are written at the latest with this many, or with the next document batch.
    static let pendingValidatorLimit = 512

    func takePendingValidators() -> [CachedResponse] {
        pendingValidators.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return Array(pending.values)
        }
    }

    public func flushValidators() async throws {
        let pending = takePendingValidators()
        if !pending.isEmpty { try await pool.write { db in try Self.saveValidators(db, pending) } }
    }

    static func saveValidators(_ db: Database, _ responses: [CachedResponse]) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO http_cache (url, etag, last_modified, body, stored_at) VALUES (?, ?, ?, ?, ?)")
        for response in responses {
            try statement.execute(arguments: [response.url, response.etag, response.lastModified, Data(response.body), response.storedAt])
        }
    }

    // MARK: GitHub cache

    public func githubRepos(_ keys: [String]) async throws -> [String: GitHubCacheEntry] {
        let lowered = Array(Set(keys.map { $0.lowercased() }))
        return try await pool.read { db in
            var result: [String: GitHubCacheEntry] = [:]
            for chunk in stride(from: 0, to: lowered.count, by: 500).map({ Array(lowered[$0..<min($0 + 500, lowered.count)]) }) {
                let marks = databaseQuestionMarks(count: chunk.count)
                for row in try Row.fetchAll(db, sql: "SELECT key, data, etag, fetched_at, status FROM github_repos WHERE key IN (\(marks))", arguments: StatementArguments(chunk)) {
                    let entry = GitHubCacheEntry(key: row["key"], data: [UInt8](row["data"] as Data), etag: row["etag"], fetchedAt: row["fetched_at"], status: row["status"])
                    result[entry.key] = entry
                }
            }
            return result
        }
    }

    public func saveGitHubRepos(_ entries: [GitHubCacheEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await pool.write { db in
            for e in entries {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO github_repos (key, data, etag, fetched_at, status) VALUES (?, ?, ?, ?, ?)",
                    arguments: [e.key, Data(e.data), e.etag, e.fetchedAt, e.status])
            }
        }
    }

    // MARK: Dedup keys

    public func claimDedupKey(_ key: String, ttl: Int64, now: Int64) async throws -> Bool {
        try await pool.write { db in
            // An expired claim is replaced; a live one wins.
            try db.execute(
                sql: "INSERT INTO dedup_keys (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE dedup_keys.expires_at <= ?",
                arguments: [key, now + ttl, now])
            return db.changesCount > 0
        }
    }

    public func purgeExpiredDedupKeys(now: Int64) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM dedup_keys WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }

    // MARK: Problems

    public func recordProblems(_ problems: [Problem], collection: String) async throws {
        guard !problems.isEmpty else { return }
        try await pool.write { db in
            for p in problems {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO problems (collection, package, kind, message, seen_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [collection, PackageName.normalize(p.package), p.kind, p.message, p.seenAt])
            }
        }
    }

    public func problems(collection: String, package: String?) async throws -> [Problem] {
        try await pool.read { db in
            let rows: [Row]
            if let package {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM problems WHERE collection = ? AND package = ? ORDER BY kind", arguments: [collection, PackageName.normalize(package)])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM problems WHERE collection = ? ORDER BY package, kind", arguments: [collection])
            }
            return rows.map { Problem(package: $0["package"], kind: $0["kind"], message: $0["message"], seenAt: $0["seen_at"]) }
        }
    }

    public func clearProblems(packages: [String], kind: String?, collection: String) async throws {
        guard !packages.isEmpty else { return }
        // One prepared statement for the whole list (an enrich pass clears a page of 1,000 at a time).
        try await pool.write { db in
            let statement = kind == nil
                ? try db.cachedStatement(sql: "DELETE FROM problems WHERE collection = ? AND package = ?")
                : try db.cachedStatement(sql: "DELETE FROM problems WHERE collection = ? AND package = ? AND kind = ?")
            for package in packages {
                let name = PackageName.normalize(package)
                try statement.execute(arguments: kind.map { [collection, name, $0] } ?? [collection, name])
            }
        }
    }

    // MARK: Checkpoints

    public func checkpoint(_ name: String) async throws -> String? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM checkpoints WHERE name = ?", arguments: [name]) }
    }

    public func saveCheckpoint(_ name: String, value: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO checkpoints (name, value, updated_at) VALUES (?, ?, ?)", arguments: [name, value, Self.now])
        }
    }

    public func deleteCheckpoint(_ name: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM checkpoints WHERE name = ?", arguments: [name]) }
    }
}
