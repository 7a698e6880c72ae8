import Foundation
import Hummingbird
import TrawlCore
import TrawlStore

/// `GET/POST /keys`, `GET/DELETE /keys/{id}` (admin key only): search-only keys per collection.
/// A key's value is returned once, when it is created; lists show ids and prefixes only.
struct KeyRoutes: Sendable {
    let state: ServeState

    /// Far in the future, as Typesense reports keys that never expire.
    static let neverExpires: Int64 = 64_723_363_199

    func register(on router: Router<BasicRequestContext>) {
        router.get("/keys") { request, _ in
            try await self.admin(request)
            let keys = try await self.state.store.apiKeys()
            return try JSONOutput.response(["keys": keys.map(KeyOut.init)])
        }
        router.get("/keys/:id") { request, context in
            try await self.admin(request)
            let id = try Self.id(context)
            guard let key = try await self.state.store.apiKeys().first(where: { $0.id == id }) else {
                throw APIError.notFound("Could not fetch API key with id `\(id)`")
            }
            return try JSONOutput.response(KeyOut(key))
        }
        router.delete("/keys/:id") { request, context in
            try await self.admin(request)
            let id = try Self.id(context)
            guard try await self.state.store.deleteAPIKey(id: id) else {
                throw APIError.notFound("Could not find API key with id `\(id)`")
            }
            return try JSONOutput.response(["id": id])
        }
        router.post("/keys") { request, _ in
            try await self.admin(request)
            return try await self.create(request)
        }
    }

    static func id(_ context: BasicRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")) else { throw APIError.badRequest("Key id must be an integer.") }
        return id
    }

    func admin(_ request: Request) async throws {
        try state.access.requireAdmin(try await state.access.caller(request, query: QueryItems(request: request)))
    }

    struct CreateBody: Decodable {
        var actions: [String]?
        var collections: [String]?
        var description: String?
        var value: String?
    }

    func create(_ request: Request) async throws -> Response {
        let data: ByteBuffer
        do {
            data = try await request.body.collect(upTo: RequestLimits.adminBodyBytes)
        } catch {
            throw APIError(.contentTooLarge, "The request body is larger than \(RequestLimits.adminBodyBytes) bytes.")
        }
        guard let body = try? JSONDecoder().decode(CreateBody.self, from: data) else {
            throw APIError.badRequest("Bad JSON.")
        }
        guard let actions = body.actions, !actions.isEmpty else { throw APIError.badRequest("Could not find a `actions` key.") }
        guard let collections = body.collections, !collections.isEmpty else { throw APIError.badRequest("Could not find a `collections` key.") }
        let scope: APIKeyScope
        if actions.contains("*") { scope = .admin }
        else if actions.allSatisfy({ $0 == "documents:search" || $0 == "documents:get" }) { scope = .search }
        else { throw APIError.badRequest("Only search-only keys (`documents:search`) or admin keys (`*`) can be created.") }
        guard collections.count <= 64, collections.allSatisfy({ $0.count <= RequestLimits.nameCharacters }), actions.count <= 16,
            (body.description ?? "").count <= 1_000
        else { throw APIError.badRequest("A key may name at most 64 collections and carry at most 1,000 characters of description.") }
        let value = body.value ?? APIKeyHash.generate()
        guard value.count >= 8, value.count <= 256 else { throw APIError.badRequest("A key value needs 8 to 256 characters.") }
        if try await state.store.findAPIKey(value: value) != nil { throw APIError(.conflict, "A key with this value already exists.") }
        let info = try await state.store.createAPIKey(value: value, scope: scope, collections: collections, description: body.description ?? "")
        var out = KeyOut(info)
        out.value = value
        out.value_prefix = nil
        return try JSONOutput.response(out, status: .created)
    }

    struct KeyOut: Encodable {
        var actions: [String]
        var collections: [String]
        var description: String
        var expires_at: Int64
        var id: Int64
        var value: String?
        var value_prefix: String?

        init(_ info: APIKeyInfo) {
            actions = info.scope == .admin ? ["*"] : ["documents:search"]
            collections = info.collections
            description = info.description
            expires_at = KeyRoutes.neverExpires
            id = info.id
            value_prefix = info.prefix
        }
    }
}
