import TrawlCore

/// Makes equal strings and string lists of the documents of one index share one storage.
///
/// A collection's documents repeat themselves: the same classifier lists, framework and Python
/// versions, licenses, profiles, requirement lines and health-rule explanations appear in thousands
/// of documents, and each document read from the store brings its own copy of each. Swift strings
/// and arrays are copy-on-write, so handing every document the first instance of an equal value
/// keeps one copy: the values (and so every answer) are unchanged, only the memory behind them is
/// shared. Used while an index is loaded (`Maintainer`), then dropped.
struct DocumentInterner {
    private var strings: [String: String] = [:]
    private var lists: [[String]: [String]] = [:]

    /// Strings of up to 15 UTF-8 bytes are stored inline by Swift: nothing to share.
    private mutating func string(_ s: String) -> String {
        guard s.utf8.count > 15 else { return s }
        if let existing = strings[s] { return existing }
        strings[s] = s
        return s
    }

    private mutating func list(_ values: [String]) -> [String] {
        guard !values.isEmpty else { return values }
        if let existing = lists[values] { return existing }
        let interned = values.map { string($0) }
        lists[interned] = interned
        return interned
    }

    mutating func intern(_ d: PackageDocument) -> PackageDocument {
        var d = d
        if d.name == d.normalizedName { d.name = d.normalizedName }  // most names are already normalized
        d.versionSortable = string(d.versionSortable)
        d.descriptionContentType = string(d.descriptionContentType)
        d.author = string(d.author)
        d.maintainer = string(d.maintainer)
        d.license = string(d.license)
        d.classifiers = list(d.classifiers)
        d.keywords = list(d.keywords)
        d.requiresDist = list(d.requiresDist)
        d.requiresPython = string(d.requiresPython)
        d.frameworkVersions = list(d.frameworkVersions)
        d.pythonVersions = list(d.pythonVersions)
        d.topics = list(d.topics)
        d.categories = list(d.categories)
        d.packageType = string(d.packageType)
        d.profiles = list(d.profiles)
        d.discoveredBy = list(d.discoveredBy)
        d.downloadSource = string(d.downloadSource)
        d.githubURL = string(d.githubURL)
        d.homePage = string(d.homePage)  // often the repository's URL
        d.docsURL = string(d.docsURL)
        if !d.healthScoreBreakdown.isEmpty {
            d.healthScoreBreakdown = d.healthScoreBreakdown.mapValues { HealthRuleResult(points: $0.points, max: $0.max, why: string($0.why)) }
        }
        return d
    }
}
