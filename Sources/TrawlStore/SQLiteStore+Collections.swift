import GRDB
public import TrawlCore

extension SQLiteStore {
    static func ensureCollection(_ db: Database, _ name: String, profile: String?) throws {
        try db.execute(
            sql: "INSERT INTO collections (name, profile, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET profile = COALESCE(excluded.profile, collections.profile)",
            arguments: [name, profile, Self.now])
    }

    public func ensureCollection(_ name: String, profile: String?) async throws {
        try await pool.write { db in try Self.ensureCollection(db, name, profile: profile) }
    }

    public func collections() async throws -> [CollectionInfo] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.name, c.profile, c.created_at, (SELECT COUNT(*) FROM documents d WHERE d.collection = c.name) AS n
                FROM collections c ORDER BY c.name
                """).map { CollectionInfo(name: $0["name"], profile: $0["profile"], documents: $0["n"], createdAt: $0["created_at"]) }
        }
    }

    public func deleteCollection(_ name: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM documents_fts WHERE rowid IN (SELECT id FROM documents WHERE collection = ?)", arguments: [name])
            try db.execute(sql: "DELETE FROM problems WHERE collection = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM collections WHERE name = ?", arguments: [name])  // cascades
        }
    }

    public func setAlias(_ alias: String, target: String) async throws {
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM collections WHERE name = ?)", arguments: [target]) == true else {
                throw StoreError.noSuchCollection(target)
            }
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM collections WHERE name = ?)", arguments: [alias]) == true {
                throw StoreError.aliasShadowsCollection(alias)
            }
            try db.execute(sql: "INSERT INTO aliases (name, target) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET target = excluded.target", arguments: [alias, target])
        }
    }

    public func aliases() async throws -> [String: String] {
        try await pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, target FROM aliases").map { ($0[0] as String, $0[1] as String) })
        }
    }

    public func resolveCollection(_ nameOrAlias: String) async throws -> String? {
        try await pool.read { db in
            if let target = try String.fetchOne(db, sql: "SELECT target FROM aliases WHERE name = ?", arguments: [nameOrAlias]) { return target }
            return try String.fetchOne(db, sql: "SELECT name FROM collections WHERE name = ?", arguments: [nameOrAlias])
        }
    }
}

public enum StoreError: Error, Sendable, CustomStringConvertible {
    case noSuchCollection(String)
    case aliasShadowsCollection(String)
    case unsupportedURL(String)

    public var description: String {
        switch self {
        case .noSuchCollection(let name): "no collection named '\(name)'"
        case .aliasShadowsCollection(let name): "'\(name)' is a collection; an alias cannot have the same name"
        case .unsupportedURL(let url): "unsupported store URL '\(url)': use sqlite:PATH or postgres://user:pass@host:port/db"
        }
    }
}
