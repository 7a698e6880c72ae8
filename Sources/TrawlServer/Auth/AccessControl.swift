import Hummingbird
import TrawlCore
import TrawlStore

/// Decides what a request may do. Keys come from the `X-TYPESENSE-API-KEY` header or the
/// `x-typesense-api-key` parameter (as Typesense clients send them); they are looked up by hash and
/// compared in constant time, never kept or logged in clear.
struct AccessControl: Sendable {
    let keys: any KeyStore
    /// SHA-256 of TRAWL_ADMIN_KEY when set (compared in memory, never stored).
    let configuredAdminHash: String?
    /// `--private`: the page and /api/v1 need a key too.
    let isPrivate: Bool

    func presentedKey(_ request: Request, query: QueryItems) -> String? {
        if let value = request.headers[.init("x-typesense-api-key")!], !value.isEmpty { return value }
        if let value = query["x-typesense-api-key"], !value.isEmpty { return value }
        return nil
    }

    /// The caller behind the request's key; a key that matches nothing is a 401.
    func caller(_ request: Request, query: QueryItems) async throws -> Caller {
        guard let value = presentedKey(request, query: query) else { return .anonymous }
        if let configuredAdminHash, APIKeyHash.constantTimeEquals(APIKeyHash.hash(value), configuredAdminHash) {
            return .admin
        }
        guard let info = try await keys.findAPIKey(value: value) else { throw APIError.unauthorized }
        switch info.scope {
        case .admin: return .admin
        case .search: return .search(collections: info.collections)
        }
    }

    func requireAdmin(_ caller: Caller) throws {
        guard caller == .admin else { throw APIError.unauthorized }
    }

    /// Typesense-compatible search: a key is always needed, and a search key must name the
    /// collection (as asked or as its alias resolves).
    func requireSearch(_ caller: Caller, names: [String]) throws {
        guard caller.maySearch(names) else { throw APIError.unauthorized }
    }

    /// /api/v1 and the page: open to anyone unless private; a search key still only sees its collections.
    func requireRead(_ caller: Caller, names: [String]) throws {
        if caller == .anonymous, !isPrivate { return }
        try requireSearch(caller, names: names)
    }
}
