import Foundation
import GRDB
public import TrawlCore

extension SQLiteStore {
    public func createAPIKey(value: String, scope: APIKeyScope, collections: [String], description: String) async throws -> APIKeyInfo {
        let hash = APIKeyHash.hash(value)
        let prefix = APIKeyHash.prefix(value)
        let collectionsJSON = String(decoding: try JSONEncoder().encode(collections), as: UTF8.self)
        let createdAt = Self.now
        let id = try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO api_keys (prefix, hash, scope, collections, description, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [prefix, hash, scope.rawValue, collectionsJSON, description, createdAt])
            return db.lastInsertedRowID
        }
        return APIKeyInfo(id: id, prefix: prefix, scope: scope, collections: collections, description: description, createdAt: createdAt)
    }

    public func apiKeys() async throws -> [APIKeyInfo] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY id").map(Self.keyInfo) }
    }

    public func deleteAPIKey(id: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM api_keys WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func findAPIKey(value: String) async throws -> APIKeyInfo? {
        let hash = APIKeyHash.hash(value)
        let prefix = APIKeyHash.prefix(value)
        let candidates = try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_keys WHERE prefix = ?", arguments: [prefix])
                .map { (hash: $0["hash"] as String, info: Self.keyInfo($0)) }
        }
        // Compare every candidate in constant time; never short-circuit on the first byte.
        var found: APIKeyInfo?
        for candidate in candidates where APIKeyHash.constantTimeEquals(candidate.hash, hash) {
            found = candidate.info
        }
        return found
    }

    static func keyInfo(_ row: Row) -> APIKeyInfo {
        let collections = (try? JSONDecoder().decode([String].self, from: Data((row["collections"] as String).utf8))) ?? []
        return APIKeyInfo(
            id: row["id"], prefix: row["prefix"], scope: APIKeyScope(rawValue: row["scope"]) ?? .search,
            collections: collections, description: row["description"], createdAt: row["created_at"])
    }
}
