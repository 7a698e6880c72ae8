/// One package of a collection: the search document of docs/design.md §6.
///
/// Every field has a neutral default so a document can be built up by sources and enrichers in
/// turn; the JSON coding uses the snake_case field names users, the API and Typesense see.
public struct PackageDocument: Codable, Sendable, Equatable {
    public var name: String
    public var normalizedName: String
    public var version: String = ""
    public var summary: String = ""
    public var description: String = ""
    public var descriptionContentType: String = ""
    public var author: String = ""
    public var maintainer: String = ""
    public var license: String = ""
    public var classifiers: [String] = []
    public var keywords: [String] = []
    public var requiresDist: [String] = []
    public var requiresPython: String = ""
    public var homePage: String = ""
    public var docsURL: String = ""
    public var projectURLs: [String: String] = [:]
    /// Seconds since 1970 of the latest non-yanked release; 0 when unknown.
    public var uploadTimestamp: Int64 = 0
    public var yanked: Bool = false
    public var versionMajor: Int = 0
    public var versionMinor: Int = 0
    public var versionBugfix: Int = 0
    /// A string whose byte order is PEP 440 order (filled by the `versions` enricher).
    public var versionSortable: String = ""
    public var frameworkVersions: [String] = []
    public var pythonVersions: [String] = []
    public var githubURL: String = ""
    public var githubStars: Int = 0
    public var githubWatchers: Int = 0
    public var githubForks: Int = 0
    public var githubOpenIssues: Int = 0
    public var githubUpdated: Int64 = 0
    /// The repository is archived on GitHub: its stars and activity no longer speak for upkeep.
    public var githubArchived: Bool = false
    public var topics: [String] = []
    public var readme: String = ""
    public var changelog: String = ""
    public var downloadLastDay: Int = 0
    public var downloadLastWeek: Int = 0
    public var downloadLastMonth: Int = 0
    public var downloadTotal: Int = 0
    public var downloadUpdated: Int64 = 0
    /// Where the download figures came from: "clickhouse", "pypistats", or "" (none yet).
    public var downloadSource: String = ""
    public var healthScore: Int = 0
    /// Rule key → its share of `health_score`. Stored compactly (`StoredHealthBreakdown`), shown as an object.
    @StoredHealthBreakdown public var healthScoreBreakdown: [String: HealthRuleResult] = [:]
    public var isOfficial: Bool = false
    public var isVerified: Bool = false
    public var isNew: Bool = false
    /// Facets from the profile's `categories:` rules (the `categories` enricher).
    public var categories: [String] = []
    /// The one package type from the profile's `types:` rules; "" when none matches.
    public var packageType: String = ""
    public var profiles: [String] = []
    public var discoveredBy: [String] = []
    public var firstSeen: Int64 = 0
    public var lastSynced: Int64 = 0
    /// Set by a full crawl when a package is no longer discovered: kept, never silently dropped.
    public var stale: Bool = false
    /// The index's serial of the project when last fetched: equal serial, nothing to fetch.
    public var lastSerial: Int64 = 0
    /// The index's ETag of the project JSON this document was made from. It lives with the document,
    /// not in a cache shared by every collection: a 304 for it means "what this collection stored is
    /// current", which a validator recorded by another profile's run could not promise.
    public var pypiETag: String = ""
    /// Known vulnerabilities of the current version (from the project JSON; none withdrawn).
    public var vulnerabilities: [Vulnerability] = []
    /// How many packages of the same collection require this one (`requires_dist`, any extra or
    /// marker): kept current after every stored batch by `DependentsKeeper`, not by an enricher,
    /// because it changes when *other* packages change.
    public var dependentsCount: Int = 0

    public init(name: String) {
        self.name = name
        self.normalizedName = PackageName.normalize(name)
    }

    enum CodingKeys: String, CodingKey {
        case name, version, summary, description, author, maintainer, license, classifiers, keywords
        case normalizedName = "normalized_name"
        case descriptionContentType = "description_content_type"
        case requiresDist = "requires_dist"
        case requiresPython = "requires_python"
        case homePage = "home_page"
        case docsURL = "docs_url"
        case projectURLs = "project_urls"
        case uploadTimestamp = "upload_timestamp"
        case yanked
        case versionMajor = "version_major"
        case versionMinor = "version_minor"
        case versionBugfix = "version_bugfix"
        case versionSortable = "version_sortable"
        case frameworkVersions = "framework_versions"
        case pythonVersions = "python_versions"
        case githubURL = "github_url"
        case githubStars = "github_stars"
        case githubWatchers = "github_watchers"
        case githubForks = "github_forks"
        case githubOpenIssues = "github_open_issues"
        case githubUpdated = "github_updated"
        case githubArchived = "github_archived"
        case topics, readme, changelog
        case downloadLastDay = "download_last_day"
        case downloadLastWeek = "download_last_week"
        case downloadLastMonth = "download_last_month"
        case downloadTotal = "download_total"
        case downloadUpdated = "download_updated"
        case downloadSource = "download_source"
        case healthScore = "health_score"
        case healthScoreBreakdown = "health_score_breakdown"
        case isOfficial = "is_official"
        case isVerified = "is_verified"
        case isNew = "is_new"
        case categories
        case packageType = "package_type"
        case profiles
        case discoveredBy = "discovered_by"
        case firstSeen = "first_seen"
        case lastSynced = "last_synced"
        case stale
        case lastSerial = "last_serial"
        case pypiETag = "pypi_etag"
        case vulnerabilities
        case dependentsCount = "dependents_count"
    }

    /// Decodes leniently: a stored document written by an older Trawl lacks newer fields, and
    /// those take their defaults instead of failing the whole read.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // Scalars go through the container's concrete overloads: the generic path looks up type
        // metadata per field, and a whole-collection pass (`trawl enrich health`) decodes every document.
        func v(_ key: CodingKeys, _ fallback: String) throws -> String { try c.decodeIfPresent(String.self, forKey: key) ?? fallback }
        func v(_ key: CodingKeys, _ fallback: Int) throws -> Int { try c.decodeIfPresent(Int.self, forKey: key) ?? fallback }
        func v(_ key: CodingKeys, _ fallback: Int64) throws -> Int64 { try c.decodeIfPresent(Int64.self, forKey: key) ?? fallback }
        func v(_ key: CodingKeys, _ fallback: Bool) throws -> Bool { try c.decodeIfPresent(Bool.self, forKey: key) ?? fallback }
        func v(_ key: CodingKeys, _ fallback: [String]) throws -> [String] {
            guard c.contains(key), try !c.decodeNil(forKey: key) else { return fallback }
            var list = try c.nestedUnkeyedContainer(forKey: key)
            var values: [String] = []
            values.reserveCapacity(list.count ?? 0)
            while !list.isAtEnd { values.append(try list.decode(String.self)) }
            return values
        }
        func v<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try c.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        name = try c.decode(String.self, forKey: .name)
        normalizedName = try v(.normalizedName, PackageName.normalize(name))
        version = try v(.version, "")
        summary = try v(.summary, "")
        description = try v(.description, "")
        descriptionContentType = try v(.descriptionContentType, "")
        author = try v(.author, "")
        maintainer = try v(.maintainer, "")
        license = try v(.license, "")
        classifiers = try v(.classifiers, [])
        keywords = try v(.keywords, [])
        requiresDist = try v(.requiresDist, [])
        requiresPython = try v(.requiresPython, "")
        homePage = try v(.homePage, "")
        docsURL = try v(.docsURL, "")
        projectURLs = try v(.projectURLs, [:])
        uploadTimestamp = try v(.uploadTimestamp, 0)
        yanked = try v(.yanked, false)
        versionMajor = try v(.versionMajor, 0)
        versionMinor = try v(.versionMinor, 0)
        versionBugfix = try v(.versionBugfix, 0)
        versionSortable = try v(.versionSortable, "")
        frameworkVersions = try v(.frameworkVersions, [])
        pythonVersions = try v(.pythonVersions, [])
        githubURL = try v(.githubURL, "")
        githubStars = try v(.githubStars, 0)
        githubWatchers = try v(.githubWatchers, 0)
        githubForks = try v(.githubForks, 0)
        githubOpenIssues = try v(.githubOpenIssues, 0)
        githubUpdated = try v(.githubUpdated, 0)
        githubArchived = try v(.githubArchived, false)
        topics = try v(.topics, [])
        readme = try v(.readme, "")
        changelog = try v(.changelog, "")
        downloadLastDay = try v(.downloadLastDay, 0)
        downloadLastWeek = try v(.downloadLastWeek, 0)
        downloadLastMonth = try v(.downloadLastMonth, 0)
        downloadTotal = try v(.downloadTotal, 0)
        downloadUpdated = try v(.downloadUpdated, 0)
        downloadSource = try v(.downloadSource, "")
        healthScore = try v(.healthScore, 0)
        healthScoreBreakdown = try HealthRuleResult.decodeBreakdown(c, forKey: .healthScoreBreakdown)
        isOfficial = try v(.isOfficial, false)
        isVerified = try v(.isVerified, false)
        isNew = try v(.isNew, false)
        categories = try v(.categories, [])
        packageType = try v(.packageType, "")
        profiles = try v(.profiles, [])
        discoveredBy = try v(.discoveredBy, [])
        firstSeen = try v(.firstSeen, 0)
        lastSynced = try v(.lastSynced, 0)
        stale = try v(.stale, false)
        lastSerial = try v(.lastSerial, 0)
        pypiETag = try v(.pypiETag, "")
        vulnerabilities = try v(.vulnerabilities, [])
        dependentsCount = try v(.dependentsCount, 0)
    }
}

/// One rule's share of the health score: shown on the package page so the score explains itself.
public struct HealthRuleResult: Codable, Sendable, Equatable {
    public var points: Int
    public var max: Int
    public var why: String

    public init(points: Int, max: Int, why: String) {
        self.points = points
        self.max = max
        self.why = why
    }

    private enum CodingKeys: String, CodingKey { case points, max, why }

    /// A rule name as a key of `health_score_breakdown`.
    private struct RuleKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Reads a breakdown (absent or null: empty) in either of its shapes: the object users see, or the
    /// flat array a store writes (`StoredHealthBreakdown`).
    static func decodeBreakdown<K: CodingKey>(_ container: KeyedDecodingContainer<K>, forKey key: K) throws -> [String: HealthRuleResult] {
        guard container.contains(key), try !container.decodeNil(forKey: key) else { return [:] }
        if var flat = try? container.nestedUnkeyedContainer(forKey: key) {
            var breakdown: [String: HealthRuleResult] = [:]
            breakdown.reserveCapacity((flat.count ?? 0) / 4)
            while !flat.isAtEnd {
                let rule = try flat.decode(String.self)
                breakdown[rule] = HealthRuleResult(points: try flat.decode(Int.self), max: try flat.decode(Int.self), why: try flat.decode(String.self))
            }
            return breakdown
        }
        let rules = try container.nestedContainer(keyedBy: RuleKey.self, forKey: key)
        var breakdown: [String: HealthRuleResult] = [:]
        breakdown.reserveCapacity(rules.allKeys.count)
        for rule in rules.allKeys {
            let r = try rules.nestedContainer(keyedBy: CodingKeys.self, forKey: rule)
            breakdown[rule.stringValue] = HealthRuleResult(
                points: try r.decode(Int.self, forKey: .points), max: try r.decode(Int.self, forKey: .max),
                why: try r.decode(String.self, forKey: .why))
        }
        return breakdown
    }
}

extension CodingUserInfoKey {
    /// Set (to `true`) by the stores' document encoder: fields with a compact stored form use it.
    public static let trawlStoredForm = CodingUserInfoKey(rawValue: "trawl.storedForm")!
}

/// `health_score_breakdown` is an object of objects for users (the API, Typesense, the page) and a flat
/// array `[rule, points, max, why, …]` (rules in key order) in a store. Reading the object form back
/// took a keyed container per rule — a fifth of a whole-collection `trawl enrich health`, which decodes
/// every stored document; the flat form is one unkeyed container. Decoding accepts both
/// (`HealthRuleResult.decodeBreakdown`), so documents stored before the change read as they were.
@propertyWrapper
public struct StoredHealthBreakdown: Codable, Sendable, Equatable {
    public var wrappedValue: [String: HealthRuleResult]

    public init(wrappedValue: [String: HealthRuleResult]) {
        self.wrappedValue = wrappedValue
    }

    public func encode(to encoder: any Encoder) throws {
        guard encoder.userInfo[.trawlStoredForm] as? Bool == true else {
            var container = encoder.singleValueContainer()
            return try container.encode(wrappedValue)
        }
        var flat = encoder.unkeyedContainer()
        for (rule, result) in wrappedValue.sorted(by: { $0.key < $1.key }) {
            try flat.encode(rule)
            try flat.encode(result.points)
            try flat.encode(result.max)
            try flat.encode(result.why)
        }
    }

    /// Not used by `PackageDocument` (its decoder reads the field itself); here for completeness of `Codable`.
    public init(from decoder: any Decoder) throws {
        wrappedValue = try decoder.singleValueContainer().decode([String: HealthRuleResult].self)
    }
}
