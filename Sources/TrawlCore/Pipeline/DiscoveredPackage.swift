/// A package found by one or more sources, merged by normalized name. Checkpointed (without the
/// prefetched metadata) so a killed full crawl resumes without discovering again.
public struct DiscoveredPackage: Codable, Sendable, Equatable {
    public var name: String
    public var sources: [String]
    public var reasons: [String]
    public var isOfficial: Bool
    public var prefetched: StoredPackage?
    /// Every source that found it knew it unchanged (not checkpointed: a resumed run revalidates).
    public var unchanged: Bool = false

    enum CodingKeys: String, CodingKey { case name, sources, reasons, isOfficial = "official" }

    public var normalizedName: String { PackageName.normalize(name) }

    public static func == (a: DiscoveredPackage, b: DiscoveredPackage) -> Bool {
        a.name == b.name && a.sources == b.sources && a.reasons == b.reasons && a.isOfficial == b.isOfficial
    }
}

/// Merges candidates as sources emit them (sources may emit from concurrent tasks).
actor CandidateCollector {
    private(set) var byName: [String: DiscoveredPackage] = [:]

    func add(_ c: Candidate) {
        let key = c.normalizedName
        let isNew = byName[key] == nil
        var entry = byName[key] ?? DiscoveredPackage(name: c.name, sources: [], reasons: [], isOfficial: false, prefetched: nil)
        entry.unchanged = isNew ? c.unchanged : entry.unchanged && c.unchanged
        if !entry.sources.contains(c.source) { entry.sources.append(c.source) }
        if !entry.reasons.contains(c.reason) { entry.reasons.append(c.reason) }
        entry.isOfficial = entry.isOfficial || c.isOfficial
        if entry.prefetched == nil { entry.prefetched = c.prefetched }
        byName[key] = entry
    }
}

extension PackageDocument {
    /// Keeps what enrichers other than `pypi` wrote on the stored copy: re-fetching PyPI metadata
    /// (or `--no-enrich`) must not wipe GitHub, download or health data.
    public mutating func carryEnrichment(from old: PackageDocument) {
        if githubURL.isEmpty { githubURL = old.githubURL }
        githubStars = old.githubStars
        githubWatchers = old.githubWatchers
        githubForks = old.githubForks
        githubOpenIssues = old.githubOpenIssues
        githubUpdated = old.githubUpdated
        githubArchived = old.githubArchived
        topics = old.topics
        readme = old.readme
        changelog = old.changelog
        downloadLastDay = old.downloadLastDay
        downloadLastWeek = old.downloadLastWeek
        downloadLastMonth = old.downloadLastMonth
        downloadTotal = old.downloadTotal
        downloadUpdated = old.downloadUpdated
        downloadSource = old.downloadSource
        healthScore = old.healthScore
        healthScoreBreakdown = old.healthScoreBreakdown
        isVerified = old.isVerified
        isNew = old.isNew
        categories = old.categories
        packageType = old.packageType
        isOfficial = isOfficial || old.isOfficial
        firstSeen = old.firstSeen
        dependentsCount = old.dependentsCount
        if version == old.version {
            versionMajor = old.versionMajor
            versionMinor = old.versionMinor
            versionBugfix = old.versionBugfix
            versionSortable = old.versionSortable
        }
        profiles = Array(Set(profiles + old.profiles)).sorted()
        discoveredBy = Array(Set(discoveredBy + old.discoveredBy)).sorted()
    }
}
