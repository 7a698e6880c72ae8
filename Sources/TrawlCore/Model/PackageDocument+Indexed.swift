/// What the stores index besides the value columns, named once: a write can then tell whether it
/// must touch a store's full-text rows or list terms (`DocumentChange`).
extension PackageDocument {
    /// The text both stores index for full-text search, in weight order: name, summary, keywords,
    /// description.
    public var searchedText: [String] { [name, summary, keywords.joined(separator: " "), description] }

    /// The list fields both stores index as terms (filters and facets), by field name.
    public var indexedLists: [(field: String, values: [String])] {
        [
            ("classifiers", classifiers), ("framework_versions", frameworkVersions), ("python_versions", pythonVersions),
            ("keywords", keywords.map { $0.lowercased() }), ("topics", topics), ("profiles", profiles),
            ("discovered_by", discoveredBy), ("categories", categories), ("package_type", [packageType]),
        ]
    }
}

/// A stored document rewritten by enrichers, releases untouched: the store writes its `doc` and value
/// columns, and its full-text rows and list terms only where they changed — an enrichment that moves
/// one figure rewrites one row (issue 20: `trawl enrich health` over 12,759 packages).
public struct DocumentChange: Sendable {
    public var document: PackageDocument
    /// Name, summary, keywords or description changed: the full-text rows must be rewritten.
    public var textChanged: Bool
    /// A list field indexed as terms changed.
    public var listsChanged: Bool

    public init(before: PackageDocument, after: PackageDocument) {
        document = after
        textChanged = before.searchedText != after.searchedText
        listsChanged = !before.indexedLists.elementsEqual(after.indexedLists) { $0.field == $1.field && $0.values == $1.values }
    }
}

/// One package's requirements and stored dependents count: all `DependentsKeeper` reads of a
/// collection, which a store can give without decoding whole documents.
public struct RequirementRow: Sendable, Equatable {
    public var name: String
    public var requiresDist: [String]
    public var dependentsCount: Int

    public init(name: String, requiresDist: [String], dependentsCount: Int) {
        self.name = name
        self.requiresDist = requiresDist
        self.dependentsCount = dependentsCount
    }
}

extension DocumentStore {
    /// Default: the whole upsert, with the releases read back (correct, not faster); a store that can
    /// write less implements it (SQLite).
    public func update(_ changes: [DocumentChange], collection: String) async throws {
        let names = changes.map(\.document.normalizedName)
        // Removed meanwhile by another writer: an enrichment does not bring it back.
        let stored = try await documents(names, collection: collection)
        let releases = try await releases(names, collection: collection)
        try await upsert(
            changes.filter { stored[$0.document.normalizedName] != nil }
                .map { StoredPackage(document: $0.document, releases: releases[$0.document.normalizedName] ?? []) },
            collection: collection)
    }

    /// Default: one read per name.
    public func releases(_ names: [String], collection: String) async throws -> [String: [Release]] {
        var out: [String: [Release]] = [:]
        for name in names { out[PackageName.normalize(name)] = try await releases(name, collection: collection) }
        return out
    }

    /// Default: pages of whole documents.
    public func requirementRows(collection: String) async throws -> [RequirementRow] {
        var rows: [RequirementRow] = []
        var cursor: String?
        while true {
            let page = try await documents(collection: collection, after: cursor, limit: 1_000)
            guard let last = page.last else { break }
            rows += page.map { RequirementRow(name: $0.normalizedName, requiresDist: $0.requiresDist, dependentsCount: $0.dependentsCount) }
            cursor = last.normalizedName
        }
        return rows
    }
}
