/// A search over one collection, independent of the store behind it.
public struct SearchQuery: Sendable, Equatable {
    public var text: String
    public var filters: [SearchFilter]
    public var sort: SearchSort
    /// nil: the sort's natural direction (best first, names A→Z).
    public var descending: Bool?
    /// 1-based.
    public var page: Int
    public var perPage: Int
    /// List fields to count values of (see `SearchFields.facetable`).
    public var facets: [String]
    /// Explicit sort keys (Typesense `sort_by`, up to 3); when not empty they replace `sort`/`descending`.
    public var sortFields: [SortField] = []

    public init(
        text: String = "", filters: [SearchFilter] = [], sort: SearchSort = .relevance, descending: Bool? = nil,
        page: Int = 1, perPage: Int = 20, facets: [String] = []
    ) {
        self.text = text
        self.filters = filters
        self.sort = sort
        self.descending = descending
        self.page = max(1, page)
        self.perPage = min(max(1, perPage), 250)
        self.facets = facets
    }
}

public enum SearchSort: String, Sendable, CaseIterable {
    /// `trending`: last week's downloads ahead of the month's weekly average (growth), then stars.
    /// `dependents`: how many packages of the collection require the package.
    case relevance, stars, downloads, updated, health, name, newest, trending, dependents
}

/// One explicit sort key: a numeric field (see `SearchFields.numeric`), `name`, or `_text_match`.
public struct SortField: Sendable, Equatable {
    public var field: String
    public var descending: Bool

    public init(field: String, descending: Bool) {
        self.field = field
        self.descending = descending
    }

    public static let textMatch = "_text_match"
}

public enum SearchFilter: Sendable, Hashable {
    /// A list field (see `SearchFields.facetable`) contains the value.
    case contains(field: String, value: String)
    /// A boolean field (`is_official`, …) has the value.
    case flag(field: String, value: Bool)
    /// A numeric field (see `SearchFields.numeric`) is within bounds (inclusive).
    case range(field: String, min: Int64?, max: Int64?)
    /// The package's normalized name is one of these (Typesense `name:=…`, `id:=…`).
    case name([String])
    /// Any of the filters holds (Typesense `||`).
    indirect case anyOf([SearchFilter])
    /// The filter does not hold (Typesense `!=`).
    indirect case not(SearchFilter)
}

/// The fields a search may filter, sort or facet on. Stores index exactly these.
public enum SearchFields {
    public static let numeric = [
        "upload_timestamp", "github_stars", "github_updated", "download_last_day", "download_last_week",
        "download_last_month", "download_total", "health_score", "first_seen", "last_synced",
        "version_major", "version_minor", "version_bugfix", "dependents_count",
    ]
    public static let flags = ["is_official", "is_verified", "is_new", "yanked", "stale", "has_github"]
    public static let facetable = [
        "classifiers", "framework_versions", "python_versions", "keywords", "topics", "profiles", "discovered_by",
        "categories", "package_type",
    ]
}

public struct SearchResults: Sendable {
    public var total: Int
    public var hits: [SearchHit]
    /// Field → (value, count), most frequent first.
    public var facets: [String: [FacetCount]]

    public init(total: Int, hits: [SearchHit], facets: [String: [FacetCount]] = [:]) {
        self.total = total
        self.hits = hits
        self.facets = facets
    }
}

public struct SearchHit: Sendable {
    public var document: PackageDocument
    /// Relevance (higher is better); 0 when not searching text.
    public var score: Double
    /// Why the hit ranks where it does, when it was ranked for relevance (text and the relevance
    /// order or `_text_match`); nil otherwise.
    public var explanation: RelevanceExplanation?

    public init(document: PackageDocument, score: Double, explanation: RelevanceExplanation? = nil) {
        self.document = document
        self.score = score
        self.explanation = explanation
    }
}

public struct FacetCount: Sendable, Equatable, Codable {
    public var value: String
    public var count: Int

    public init(value: String, count: Int) {
        self.value = value
        self.count = count
    }
}
