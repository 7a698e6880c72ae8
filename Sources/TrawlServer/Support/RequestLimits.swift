import TrawlCore

/// Every bound `trawl serve` puts on what a request may ask for, in one place. Search-only keys sit
/// in browser code, so anyone can send anything they allow: each number, length and nesting depth
/// taken from a request is checked against this table before it is used, and anything out of range
/// is a 400 in Typesense's `{"message"}` shape — never a trap, never unbounded work.
/// `docs/limits.md` prints this table and `openapi.yaml` uses the same numbers; a test keeps
/// the three in agreement.
public enum RequestLimits {
    /// Longest request target (path and query string), in bytes.
    public static let uriBytes = 16 * 1024
    /// Query-string parameters in one request.
    public static let queryItems = 128
    /// `page` (1-based) of every search route.
    public static let page = 1...10_000
    /// `per_page` of the Typesense endpoints (0 answers facets and `found` only, as Typesense does).
    public static let perPage = 0...250
    /// `per_page` of `/api/v1` and the page.
    public static let apiPerPage = 1...250
    /// Characters of `q`.
    public static let queryCharacters = 1_000
    /// Words of `q` that take part in a search; further words are ignored.
    public static let queryWords = 32
    /// Characters of `filter_by`.
    public static let filterCharacters = 4_096
    /// Parentheses nested in `filter_by`.
    public static let filterDepth = 16
    /// `field:value` clauses in one `filter_by`.
    public static let filterClauses = 64
    /// Values in one `field:[a,b,…]` list, and repeated values of one `/api/v1` filter.
    public static let filterValues = 256
    /// Magnitude of a numeric filter value (`±2^62`): far past every real figure, and `± 1` of it
    /// never overflows.
    public static let filterNumber = BoundedNumber.magnitude
    /// Fields in `sort_by` (Typesense's own limit).
    public static let sortFields = 3
    /// Fields in `facet_by`, `query_by`, `highlight_fields`.
    public static let fieldList = 16
    /// Fields in `include_fields` / `exclude_fields`.
    public static let includeFields = 64
    /// `max_facet_values`.
    public static let maxFacetValues = 0...1_000
    /// Searches in one `multi_search`.
    public static let multiSearches = 50
    /// Bytes of a `multi_search` body.
    public static let multiSearchBodyBytes = 1 << 20
    /// Bytes of an admin JSON body (a key to create).
    public static let adminBodyBytes = 64 * 1024
    /// Characters of a package name or collection in a path.
    public static let nameCharacters = 200

    /// The rows of the table in `docs/limits.md`, in its order (name, bound).
    public static let table: [(name: String, bound: String)] = [
        ("request target (path + query) bytes", "\(uriBytes)"),
        ("query parameters per request", "\(queryItems)"),
        ("page", "\(page.lowerBound)–\(page.upperBound)"),
        ("per_page (Typesense endpoints)", "\(perPage.lowerBound)–\(perPage.upperBound)"),
        ("per_page (/api/v1, page)", "\(apiPerPage.lowerBound)–\(apiPerPage.upperBound)"),
        ("q characters", "\(queryCharacters)"),
        ("q words used", "\(queryWords)"),
        ("filter_by characters", "\(filterCharacters)"),
        ("filter_by nesting depth", "\(filterDepth)"),
        ("filter_by clauses", "\(filterClauses)"),
        ("values per filter list", "\(filterValues)"),
        ("numeric filter value magnitude", "2^62"),
        ("sort_by fields", "\(sortFields)"),
        ("facet_by / query_by / highlight_fields fields", "\(fieldList)"),
        ("include_fields / exclude_fields fields", "\(includeFields)"),
        ("max_facet_values", "\(maxFacetValues.lowerBound)–\(maxFacetValues.upperBound)"),
        ("searches per multi_search", "\(multiSearches)"),
        ("multi_search body bytes", "\(multiSearchBodyBytes)"),
        ("admin body bytes", "\(adminBodyBytes)"),
        ("name in a path, characters", "\(nameCharacters)"),
    ]

    /// `q` as a search takes it: a 400 past `queryCharacters`, and cut after its `queryWords`th word
    /// (words as the stores split them: runs of letters and digits).
    static func searchText(_ text: String) throws -> String {
        guard text.count <= queryCharacters else {
            throw APIError.badRequest("Parameter `q` is longer than \(queryCharacters) characters.")
        }
        var words = 0
        var inWord = false
        for index in text.indices {
            let isWordCharacter = text[index].isLetter || text[index].isNumber
            if isWordCharacter, !inWord {
                words += 1
                if words > queryWords { return String(text[..<index]) }
            }
            inWord = isWordCharacter
        }
        return text
    }
}
