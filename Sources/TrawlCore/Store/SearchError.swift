/// A search named a field that cannot be filtered, sorted or faceted on; every search path
/// (the SQL stores, the in-memory index) throws it, and the server answers 400.
public enum SearchError: Error, CustomStringConvertible {
    case unknownField(String, allowed: [String])

    public var description: String {
        switch self {
        case .unknownField(let field, let allowed): "cannot filter on '\(field)'; allowed: \(allowed.joined(separator: ", "))"
        }
    }
}
