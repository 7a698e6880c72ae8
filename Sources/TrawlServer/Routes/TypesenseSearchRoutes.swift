import Foundation
import Hummingbird
import TrawlCore

/// Typesense-compatible search: `GET /collections/{c}/documents/search` and `POST /multi_search`
/// (the request an InstantSearch adapter sends). A key is always needed; a search key only
/// reaches its collections.
struct TypesenseSearchRoutes: Sendable {
    let state: ServeState

    func register(on router: Router<BasicRequestContext>) {
        router.get("/collections/:collection/documents/search") { request, context in
            try await self.state.admitted {
                let items = QueryItems(request: request)
                let caller = try await self.state.access.caller(request, query: items)
                let asked = try context.parameters.require("collection")
                let result = try await self.search(TypesenseParams(query: items), collection: asked, caller: caller)
                return try JSONOutput.response(result)
            }
        }
        router.post("/multi_search") { request, context in
            try await self.state.admitted { try await self.multiSearch(request, context: context) }
        }
    }

    func search(_ params: TypesenseParams, collection asked: String, caller: Caller) async throws -> TypesenseResult {
        let started = ContinuousClock.now
        if caller == .anonymous { throw APIError.unauthorized }
        let collection = try await state.resolve(asked)
        try state.access.requireSearch(caller, names: [asked, collection])
        let query = try params.searchQuery()
        let results = try await state.search(query, collection: collection)
        let outOf = try await state.documentCount(collection)
        return try TypesenseResultBuilder.build(results, params: params, query: query, collection: collection, outOf: outOf, started: started)
    }

    /// One answer per search, in order; a failing search answers `{"code", "error"}` in its place
    /// (as Typesense does) while the others still run.
    enum Entry: Encodable {
        case result(TypesenseResult)
        case failure(code: Int, error: String)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .result(let r): try r.encode(to: encoder)
            case .failure(let code, let error):
                var c = encoder.container(keyedBy: Keys.self)
                try c.encode(code, forKey: .code)
                try c.encode(error, forKey: .error)
            }
        }

        enum Keys: String, CodingKey { case code, error }
    }

    func multiSearch(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let items = QueryItems(request: request)
        let caller = try await state.access.caller(request, query: items)
        if caller == .anonymous { throw APIError.unauthorized }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: RequestLimits.multiSearchBodyBytes)
        } catch {
            throw APIError(.contentTooLarge, "The request body is larger than \(RequestLimits.multiSearchBodyBytes) bytes.")
        }
        guard let object = (try? JSONDecoder().decode(JSONValue.self, from: body))?.objectValue,
              case .array(let searches)? = object["searches"] else {
            throw APIError.badRequest("Missing or malformed `searches` array.")
        }
        guard searches.count <= RequestLimits.multiSearches else { throw APIError.badRequest("Number of multi searches exceeds `limit_multi_searches` parameter.") }
        let common = TypesenseParams(query: items)
        var results: [Entry] = []
        for search in searches {
            let entry = search.objectValue ?? [:]
            let params = TypesenseParams(entry: entry, common: common)
            guard let collection = params["collection"] else {
                results.append(.failure(code: 400, error: "Parameter `collection` is missing."))
                continue
            }
            // Each search answers for itself: one the key may not run (another collection) fails in
            // its place, as in Typesense, and the others still run.
            do {
                results.append(.result(try await self.search(params, collection: collection, caller: caller)))
            } catch let error as APIError {
                results.append(.failure(code: Int(error.status.code), error: error.message))
            }
        }
        return try JSONOutput.response(["results": results])
    }
}
