import Foundation
import PostgresNIO
public import TrawlCore

extension PostgresStore {
    public func createAPIKey(value: String, scope: APIKeyScope, collections: [String], description: String) async throws -> APIKeyInfo {
        let hash = APIKeyHash.hash(value)
        let prefix = APIKeyHash.prefix(value)
        let collectionsJSON = String(decoding: try JSONEncoder().encode(collections), as: UTF8.self)
        let createdAt = Self.now
        let id = try await rows(
            """
            INSERT INTO api_keys (prefix, hash, scope, collections, description, created_at)
            VALUES (\(prefix), \(hash), \(scope.rawValue), \(collectionsJSON), \(description), \(createdAt)) RETURNING id
            """
        )[0].decode(Int64.self)
        return APIKeyInfo(id: id, prefix: prefix, scope: scope, collections: collections, description: description, createdAt: createdAt)
    }

    public func apiKeys() async throws -> [APIKeyInfo] {
        try await rows("SELECT id, prefix, scope, collections, description, created_at, hash FROM api_keys ORDER BY id").map { try Self.keyInfo($0).info }
    }

    public func deleteAPIKey(id: Int64) async throws -> Bool {
        try await !rows("DELETE FROM api_keys WHERE id = \(id) RETURNING id").isEmpty
    }

    public func findAPIKey(value: String) async throws -> APIKeyInfo? {
        let hash = APIKeyHash.hash(value)
        let candidates = try await rows(
            "SELECT id, prefix, scope, collections, description, created_at, hash FROM api_keys WHERE prefix = \(APIKeyHash.prefix(value))"
        ).map(Self.keyInfo)
        // Compare every candidate in constant time; never short-circuit on the first byte.
        var found: APIKeyInfo?
        for candidate in candidates where APIKeyHash.constantTimeEquals(candidate.hash, hash) {
            found = candidate.info
        }
        return found
    }

    static func keyInfo(_ row: PostgresRow) throws -> (hash: String, info: APIKeyInfo) {
        let (id, prefix, scope, collectionsJSON, description, createdAt, hash) = try row.decode((Int64, String, String, String, String, Int64, String).self)
        let collections = (try? JSONDecoder().decode([String].self, from: Data(collectionsJSON.utf8))) ?? []
        return (hash, APIKeyInfo(
            id: id, prefix: prefix, scope: APIKeyScope(rawValue: scope) ?? .search, collections: collections,
            description: description, createdAt: createdAt))
    }
}
