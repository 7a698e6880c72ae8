import Logging
import PostgresNIO
public import TrawlCore

extension PostgresStore {
    static func ensureCollection(_ db: PostgresConnection, _ name: String, profile: String?, logger: Logger) async throws {
        try await db.query(
            """
            INSERT INTO collections (name, profile, created_at) VALUES (\(name), \(profile), \(Self.now))
            ON CONFLICT (name) DO UPDATE SET profile = COALESCE(excluded.profile, collections.profile)
            """, logger: logger)
    }

    public func ensureCollection(_ name: String, profile: String?) async throws {
        let logger = self.logger
        try await transaction { db in try await Self.ensureCollection(db, name, profile: profile, logger: logger) }
    }

    public func collections() async throws -> [CollectionInfo] {
        try await rows(
            """
            SELECT c.name, c.profile, c.created_at, (SELECT count(*) FROM documents d WHERE d.collection = c.name) AS n
            FROM collections c ORDER BY c.name COLLATE "C"
            """
        ).map {
            let (name, profile, created, n) = try $0.decode((String, String?, Int64, Int).self)
            return CollectionInfo(name: name, profile: profile, documents: n, createdAt: created)
        }
    }

    public func deleteCollection(_ name: String) async throws {
        let logger = self.logger
        try await transaction { db in
            try await db.query("DELETE FROM problems WHERE collection = \(name)", logger: logger)
            try await db.query("DELETE FROM collections WHERE name = \(name)", logger: logger)  // cascades
        }
    }

    public func setAlias(_ alias: String, target: String) async throws {
        let logger = self.logger
        try await transaction { db in
            let exists = try await db.rows("SELECT name FROM collections WHERE name = \(target) FOR SHARE", logger: logger)
            guard !exists.isEmpty else { throw StoreError.noSuchCollection(target) }
            guard try await db.rows("SELECT name FROM collections WHERE name = \(alias)", logger: logger).isEmpty else {
                throw StoreError.aliasShadowsCollection(alias)
            }
            try await db.query(
                "INSERT INTO aliases (name, target) VALUES (\(alias), \(target)) ON CONFLICT (name) DO UPDATE SET target = excluded.target",
                logger: logger)
        }
    }

    public func aliases() async throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try await rows("SELECT name, target FROM aliases") {
            let (name, target) = try row.decode((String, String).self)
            result[name] = target
        }
        return result
    }

    public func resolveCollection(_ nameOrAlias: String) async throws -> String? {
        if let target = try await rows("SELECT target FROM aliases WHERE name = \(nameOrAlias)").first {
            return try target.decode(String.self)
        }
        return try await rows("SELECT name FROM collections WHERE name = \(nameOrAlias)").first.map { try $0.decode(String.self) }
    }
}
