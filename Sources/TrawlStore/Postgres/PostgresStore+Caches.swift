import Foundation
import PostgresNIO
public import TrawlCore

extension PostgresStore {
    // MARK: HTTP validators

    public func cachedResponse(for url: String) async throws -> CachedResponse? {
        try await rows("SELECT etag, last_modified, body, stored_at FROM http_cache WHERE url = \(url)").first.map {
            let (etag, lastModified, body, storedAt) = try $0.decode((String?, String?, Data, Int64).self)
            return CachedResponse(url: url, etag: etag, lastModified: lastModified, body: [UInt8](body), storedAt: storedAt)
        }
    }

    public func saveCachedResponse(_ response: CachedResponse) async throws {
        try await execute(
            """
            INSERT INTO http_cache (url, etag, last_modified, body, stored_at)
            VALUES (\(response.url), \(response.etag), \(response.lastModified), \(Data(response.body)), \(response.storedAt))
            ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                body = excluded.body, stored_at = excluded.stored_at
            """)
    }

    // MARK: GitHub cache

    public func githubRepos(_ keys: [String]) async throws -> [String: GitHubCacheEntry] {
        let lowered = Array(Set(keys.map { $0.lowercased() }))
        guard !lowered.isEmpty else { return [:] }
        var result: [String: GitHubCacheEntry] = [:]
        for row in try await rows("SELECT key, data, etag, fetched_at, status FROM github_repos WHERE key = ANY(\(lowered)::text[])") {
            let (key, data, etag, fetchedAt, status) = try row.decode((String, Data, String?, Int64, Int).self)
            result[key] = GitHubCacheEntry(key: key, data: [UInt8](data), etag: etag, fetchedAt: fetchedAt, status: status)
        }
        return result
    }

    public func saveGitHubRepos(_ entries: [GitHubCacheEntry]) async throws {
        guard !entries.isEmpty else { return }
        let logger = self.logger
        try await transaction { db in
            for e in entries {
                try await db.query(
                    """
                    INSERT INTO github_repos (key, data, etag, fetched_at, status) VALUES (\(e.key), \(Data(e.data)), \(e.etag), \(e.fetchedAt), \(e.status))
                    ON CONFLICT (key) DO UPDATE SET data = excluded.data, etag = excluded.etag, fetched_at = excluded.fetched_at, status = excluded.status
                    """, logger: logger)
            }
        }
    }

    // MARK: Dedup keys

    public func claimDedupKey(_ key: String, ttl: Int64, now: Int64) async throws -> Bool {
        // An expired claim is replaced; a live one wins.
        try await !rows(
            """
            INSERT INTO dedup_keys (key, expires_at) VALUES (\(key), \(now + ttl))
            ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE dedup_keys.expires_at <= \(now)
            RETURNING key
            """
        ).isEmpty
    }

    public func purgeExpiredDedupKeys(now: Int64) async throws -> Int {
        try await rows("DELETE FROM dedup_keys WHERE expires_at <= \(now) RETURNING key").count
    }

    // MARK: Problems

    public func recordProblems(_ problems: [Problem], collection: String) async throws {
        guard !problems.isEmpty else { return }
        let logger = self.logger
        try await transaction { db in
            for p in problems {
                try await db.query(
                    """
                    INSERT INTO problems (collection, package, kind, message, seen_at)
                    VALUES (\(collection), \(PackageName.normalize(p.package)), \(p.kind), \(p.message), \(p.seenAt))
                    ON CONFLICT (collection, package, kind) DO UPDATE SET message = excluded.message, seen_at = excluded.seen_at
                    """, logger: logger)
            }
        }
    }

    public func problems(collection: String, package: String?) async throws -> [Problem] {
        let found: [PostgresRow]
        if let package {
            found = try await rows(
                "SELECT package, kind, message, seen_at FROM problems WHERE collection = \(collection) AND package = \(PackageName.normalize(package)) ORDER BY kind")
        } else {
            found = try await rows("SELECT package, kind, message, seen_at FROM problems WHERE collection = \(collection) ORDER BY package, kind")
        }
        return try found.map {
            let (package, kind, message, seenAt) = try $0.decode((String, String, String, Int64).self)
            return Problem(package: package, kind: kind, message: message, seenAt: seenAt)
        }
    }

    public func clearProblems(packages: [String], kind: String?, collection: String) async throws {
        guard !packages.isEmpty else { return }
        let names = packages.map(PackageName.normalize)
        if let kind {
            try await execute("DELETE FROM problems WHERE collection = \(collection) AND package = ANY(\(names)::text[]) AND kind = \(kind)")
        } else {
            try await execute("DELETE FROM problems WHERE collection = \(collection) AND package = ANY(\(names)::text[])")
        }
    }

    // MARK: Checkpoints

    public func checkpoint(_ name: String) async throws -> String? {
        try await rows("SELECT value FROM checkpoints WHERE name = \(name)").first.map { try $0.decode(String.self) }
    }

    public func saveCheckpoint(_ name: String, value: String) async throws {
        try await execute(
            """
            INSERT INTO checkpoints (name, value, updated_at) VALUES (\(name), \(value), \(Self.now))
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """)
    }

    public func deleteCheckpoint(_ name: String) async throws {
        try await execute("DELETE FROM checkpoints WHERE name = \(name)")
    }
}
