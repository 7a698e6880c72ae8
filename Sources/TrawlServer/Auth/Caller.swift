import TrawlCore

/// Who is asking, decided from the API key a request carries.
enum Caller: Sendable, Equatable {
    /// The admin key: everything.
    case admin
    /// A search-only key: search (and read) only these collections (`*` is all).
    case search(collections: [String])
    /// No key: public reads only, unless the server is private.
    case anonymous

    func maySearch(_ names: [String]) -> Bool {
        switch self {
        case .admin: true
        case .search(let collections): collections.contains("*") || names.contains(where: collections.contains)
        case .anonymous: false
        }
    }
}
