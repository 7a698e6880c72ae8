import Foundation
import TrawlCore

extension TypesenseClient {
    /// `POST /collections`.
    @discardableResult
    public func createCollection(_ schema: TypesenseSchema) async throws -> TypesenseCollection {
        try await call(TypesenseCollection.self, .POST, "/collections", json: schema)
    }

    /// `GET /collections/{name}`; nil when there is none (a name may also be an alias: Typesense
    /// resolves it).
    public func collection(_ name: String) async throws -> TypesenseCollection? {
        do {
            return try await call(TypesenseCollection.self, .GET, "/collections/\(Self.escape(name))")
        } catch let error as TypesenseError where error.httpStatus == 404 {
            return nil
        }
    }

    /// `GET /collections`, sorted by name.
    public func collections() async throws -> [TypesenseCollection] {
        try await call([TypesenseCollection].self, .GET, "/collections").sorted { $0.name < $1.name }
    }

    /// `DELETE /collections/{name}`; false when there was none.
    @discardableResult
    public func deleteCollection(_ name: String) async throws -> Bool {
        let response = try await send(.DELETE, "/collections/\(Self.escape(name))")
        if response.status == 404 { return false }
        try Self.check(response, method: .DELETE, path: "/collections/\(name)")
        return true
    }
}

extension TypesenseClient {
    /// `PUT /aliases/{name}`: creates or atomically repoints an alias.
    public func upsertAlias(_ name: String, collection: String) async throws {
        _ = try await call(TypesenseAlias.self, .PUT, "/aliases/\(Self.escape(name))", json: ["collection_name": collection])
    }

    /// `GET /aliases/{name}`; nil when there is none.
    public func alias(_ name: String) async throws -> TypesenseAlias? {
        do {
            return try await call(TypesenseAlias.self, .GET, "/aliases/\(Self.escape(name))")
        } catch let error as TypesenseError where error.httpStatus == 404 {
            return nil
        }
    }

    /// `GET /aliases`, sorted by name.
    public func aliases() async throws -> [TypesenseAlias] {
        struct List: Decodable { var aliases: [TypesenseAlias] }
        return try await call(List.self, .GET, "/aliases").aliases.sorted { $0.name < $1.name }
    }

    /// `DELETE /aliases/{name}`; false when there was none.
    @discardableResult
    public func deleteAlias(_ name: String) async throws -> Bool {
        let response = try await send(.DELETE, "/aliases/\(Self.escape(name))")
        if response.status == 404 { return false }
        try Self.check(response, method: .DELETE, path: "/aliases/\(name)")
        return true
    }

    /// The collection behind `nameOrAlias`: the alias target, or the name when it is a collection.
    public func resolve(_ nameOrAlias: String) async throws -> String? {
        if let alias = try await alias(nameOrAlias) { return alias.collectionName }
        return try await collection(nameOrAlias)?.name
    }
}

extension TypesenseClient {
    /// `POST /keys`: a key that may only search `collections` (names or aliases). The answer
    /// carries the full value, shown once.
    public func createSearchKey(collections: [String], description: String, value: String? = nil) async throws -> TypesenseKey {
        struct Body: Encodable {
            var description: String
            var actions: [String]
            var collections: [String]
            var value: String?
        }
        return try await call(
            TypesenseKey.self, .POST, "/keys",
            json: Body(description: description, actions: ["documents:search"], collections: collections, value: value))
    }

    /// `GET /keys` (values are shown as prefixes only).
    public func keys() async throws -> [TypesenseKey] {
        struct List: Decodable { var keys: [TypesenseKey] }
        return try await call(List.self, .GET, "/keys").keys.sorted { $0.id < $1.id }
    }

    /// `DELETE /keys/{id}`; false when there was none.
    @discardableResult
    public func deleteKey(id: Int64) async throws -> Bool {
        let response = try await send(.DELETE, "/keys/\(id)")
        if response.status == 404 { return false }
        try Self.check(response, method: .DELETE, path: "/keys/\(id)")
        return true
    }
}
