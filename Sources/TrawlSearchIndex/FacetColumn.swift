import TrawlCore

/// One list field (`framework_versions`, `classifiers` …) of every document: each document's
/// value ids (to count facets over any matching set) and each value's documents (to filter).
struct FacetColumn: Sendable {
    /// Value id → value.
    var values: [String] = []
    var ids: [String: UInt32] = [:]
    /// Document d's value ids are `valueIDs[offsets[d]..<offsets[d + 1]]`.
    var offsets: [UInt32] = [0]
    var valueIDs: [UInt32] = []
    /// Value id → its documents, ascending.
    var documents: [[UInt32]] = []

    init() {}

    init(field: String, documents docs: [PackageDocument]) {
        offsets.reserveCapacity(docs.count + 1)
        for (d, doc) in docs.enumerated() {
            for value in Self.values(of: doc, field: field) {
                let id: UInt32
                if let known = ids[value] {
                    id = known
                } else {
                    id = UInt32(values.count)
                    ids[value] = id
                    values.append(value)
                    documents.append([])
                }
                valueIDs.append(id)
                documents[Int(id)].append(UInt32(d))
            }
            offsets.append(UInt32(valueIDs.count))
        }
    }

    /// The field's distinct non-empty values of a document, as the SQL stores keep them as terms
    /// (keywords lowercased; `package_type` a one-value list).
    static func values(of d: PackageDocument, field: String) -> Set<String> {
        let list: [String]
        switch field {
        case "classifiers": list = d.classifiers
        case "framework_versions": list = d.frameworkVersions
        case "python_versions": list = d.pythonVersions
        case "keywords": list = d.keywords.map { $0.lowercased() }
        case "topics": list = d.topics
        case "profiles": list = d.profiles
        case "discovered_by": list = d.discoveredBy
        case "categories": list = d.categories
        case "package_type": list = [d.packageType]
        default: list = []
        }
        return Set(list.filter { !$0.isEmpty })
    }

    /// The value as a filter names it (keywords are matched lowercased, as the stores do).
    static func filterValue(_ value: String, field: String) -> String {
        field == "keywords" ? value.lowercased() : value
    }
}

/// The numeric and boolean fields a search filters and sorts on, one array per field.
struct ValueColumns: Sendable {
    /// `SearchFields.numeric` order.
    var numeric: [[Int64]]
    /// `SearchFields.flags` order.
    var flags: [[Bool]]

    init(documents docs: [PackageDocument]) {
        numeric = SearchFields.numeric.map { field in docs.map { Self.number($0, field) } }
        flags = SearchFields.flags.map { field in docs.map { Self.flag($0, field) } }
    }

    func numeric(_ field: String) -> [Int64]? {
        SearchFields.numeric.firstIndex(of: field).map { numeric[$0] }
    }

    func flag(_ field: String) -> [Bool]? {
        SearchFields.flags.firstIndex(of: field).map { flags[$0] }
    }

    static func number(_ d: PackageDocument, _ field: String) -> Int64 {
        switch field {
        case "upload_timestamp": d.uploadTimestamp
        case "github_stars": Int64(d.githubStars)
        case "github_updated": d.githubUpdated
        case "download_last_day": Int64(d.downloadLastDay)
        case "download_last_week": Int64(d.downloadLastWeek)
        case "download_last_month": Int64(d.downloadLastMonth)
        case "download_total": Int64(d.downloadTotal)
        case "health_score": Int64(d.healthScore)
        case "first_seen": d.firstSeen
        case "last_synced": d.lastSynced
        case "version_major": Int64(d.versionMajor)
        case "version_minor": Int64(d.versionMinor)
        case "version_bugfix": Int64(d.versionBugfix)
        case "dependents_count": Int64(d.dependentsCount)
        default: 0
        }
    }

    static func flag(_ d: PackageDocument, _ field: String) -> Bool {
        switch field {
        case "is_official": d.isOfficial
        case "is_verified": d.isVerified
        case "is_new": d.isNew
        case "yanked": d.yanked
        case "stale": d.stale
        case "has_github": !d.githubURL.isEmpty
        default: false
        }
    }
}
