import Foundation
import Testing
import TestSupport
import TrawlCore
import TrawlSearchIndex
import TrawlStore

/// The in-memory index and the SQL stores against an answer computed here by brute force over the
/// generated documents, not against each other (two engines agreeing could share a mistake): found
/// counts of text and filter queries, disjunctive facet counts (a facet ignores its own filters,
/// every other filter narrows it), sort orders, and exact-name queries finding their package first.
@Suite struct SearchIndexOracleTests {
    /// The words of a text as the stores index and look them up: lowercase ASCII letters and digits.
    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }).map(String.init)
    }

    /// Every query word is a prefix of some word of the name, summary, keywords or description.
    static func matches(_ d: PackageDocument, text: String) -> Bool {
        let query = words(text)
        guard !query.isEmpty else { return true }
        let own = Set(words(d.name) + words(d.summary) + words(d.keywords.joined(separator: " ")) + words(d.description))
        return query.allSatisfy { word in own.contains { $0.hasPrefix(word) } }
    }

    static func list(_ d: PackageDocument, _ field: String) -> [String] {
        switch field {
        case "framework_versions": d.frameworkVersions
        case "python_versions": d.pythonVersions
        case "keywords": d.keywords.map { $0.lowercased() }
        case "categories": d.categories
        default: []
        }
    }

    /// The filters these tests use, evaluated directly on a document.
    static func passes(_ d: PackageDocument, _ filter: SearchFilter) -> Bool {
        switch filter {
        case .contains(let field, let value):
            return list(d, field).contains(field == "keywords" ? value.lowercased() : value)
        case .flag(let field, let value):
            switch field {
            case "is_official": return d.isOfficial == value
            case "is_verified": return d.isVerified == value
            case "has_github": return d.githubURL.isEmpty != value
            default: Issue.record("flag \(field) not modelled"); return false
            }
        case .range(let field, let min, let max):
            let number: Int64
            switch field {
            case "github_stars": number = Int64(d.githubStars)
            case "health_score": number = Int64(d.healthScore)
            case "download_last_month": number = Int64(d.downloadLastMonth)
            default: Issue.record("range \(field) not modelled"); return false
            }
            return number >= (min ?? .min) && number <= (max ?? .max)
        case .name(let names):
            return names.map(PackageName.normalize).contains(d.normalizedName)
        case .anyOf(let filters):
            return filters.contains { passes(d, $0) }
        case .not(let inner):
            return !passes(d, inner)
        }
    }

    /// Found count, disjunctive facet counts and (for sorted queries) the page, computed directly.
    static func expected(_ query: SearchQuery, over documents: [PackageDocument]) -> (total: Int, facets: [String: [FacetCount]], names: [String]?) {
        let textual = documents.filter { matches($0, text: query.text) }
        let found = textual.filter { d in query.filters.allSatisfy { passes(d, $0) } }
        var facets: [String: [FacetCount]] = [:]
        for field in query.facets {
            // A facet's own filters are left out of its counts; all the others apply.
            let counted = textual.filter { d in query.filters.allSatisfy { $0.facetField == field || passes(d, $0) } }
            var counts: [String: Int] = [:]
            for d in counted {
                for value in Set(list(d, field)) where !value.isEmpty { counts[value, default: 0] += 1 }
            }
            facets[field] = counts.map { FacetCount(value: $0.key, count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
                .prefix(100).map { $0 }
        }
        var names: [String]?
        func key(_ d: PackageDocument) -> Int? {
            switch query.sort {
            case .stars: d.githubStars
            case .downloads: d.downloadLastMonth
            case .health: d.healthScore
            case .relevance where query.text.isEmpty: d.downloadLastMonth
            default: nil
            }
        }
        if let probe = documents.first, key(probe) != nil {
            // Larger first; ties in name byte order, the stores' last tie-break.
            let ordered = found.sorted {
                key($0)! != key($1)! ? key($0)! > key($1)! : $0.normalizedName.utf8.lexicographicallyPrecedes($1.normalizedName.utf8)
            }
            names = ordered.dropFirst((query.page - 1) * query.perPage).prefix(query.perPage).map(\.normalizedName)
        }
        return (found.count, facets, names)
    }

    static let facetFields = ["framework_versions", "python_versions", "keywords"]

    static func queries() -> [SearchQuery] {
        let filters: [[SearchFilter]] = [
            [],
            [.contains(field: "framework_versions", value: "5.0")],
            [.contains(field: "framework_versions", value: "4.2"), .contains(field: "python_versions", value: "3.11")],
            [.anyOf([.contains(field: "framework_versions", value: "3.2"), .contains(field: "framework_versions", value: "5.2")]),
             .range(field: "github_stars", min: 100, max: nil)],
            [.not(.contains(field: "python_versions", value: "3.9")), .flag(field: "has_github", value: true)],
            [.contains(field: "keywords", value: "Cache"), .range(field: "health_score", min: 20, max: 80)],
            [.flag(field: "is_official", value: false), .range(field: "download_last_month", min: nil, max: 50_000)],
        ]
        var out: [SearchQuery] = []
        for filter in filters {
            for text in ["", "rest", "cache admin", "dja", "celery tasks", "graph", "django auth"] {
                out.append(SearchQuery(text: text, filters: filter, perPage: 10, facets: facetFields))
                out.append(SearchQuery(text: text, filters: filter, sort: .stars, perPage: 20, facets: ["python_versions"]))
            }
            out.append(SearchQuery(filters: filter, sort: .downloads, page: 2, perPage: 15))
            out.append(SearchQuery(text: "a", filters: filter, sort: .health, perPage: 12, facets: ["framework_versions"]))
        }
        return out
    }

    @Test(arguments: StoreKind.allCases) func foundFacetsAndSortsMatchABruteForceAnswer(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        let packages = SearchIndexAgreementTests.collection(count: 1_500, seed: 23)
        let documents = packages.map(\.document)
        for start in stride(from: 0, to: packages.count, by: 500) {
            try await store.upsert(Array(packages[start..<min(start + 500, packages.count)]), collection: "oracle")
        }
        let index = SearchIndex(source: store, logger: .init(label: "test"))
        try await index.refresh()
        let memory = try #require(index.collection("oracle"))

        var checked = 0
        for query in Self.queries() {
            let want = Self.expected(query, over: documents)
            // PostgreSQL answers a text no word matches with a trigram fallback on names: not this rule.
            if want.total == 0, !query.text.isEmpty { continue }
            checked += 1
            let label = "\(query)"
            let fast = try memory.search(query)
            let sql = try await store.search(query, collection: "oracle")
            #expect(fast.total == want.total, "in memory, found: \(label)")
            #expect(sql.total == want.total, "\(kind), found: \(label)")
            #expect(fast.facets == want.facets, "in memory, facets: \(label)")
            #expect(sql.facets == want.facets, "\(kind), facets: \(label)")
            if let names = want.names {
                #expect(fast.hits.map(\.document.normalizedName) == names, "in memory, order: \(label)")
                #expect(sql.hits.map(\.document.normalizedName) == names, "\(kind), order: \(label)")
            } else {
                #expect(fast.hits.count == min(query.perPage, want.total), "in memory, page size: \(label)")
                let allowed = Set(documents.filter { d in
                    Self.matches(d, text: query.text) && query.filters.allSatisfy { Self.passes(d, $0) }
                }.map(\.normalizedName))
                #expect(Set(fast.hits.map(\.document.normalizedName)).isSubset(of: allowed), "in memory, hits match: \(label)")
            }
        }
        #expect(checked > 80, "most queries match something")

        // A query that is exactly a package's name (as typed, any case) answers that package first.
        var random = SeededGenerator(seed: 5)
        for _ in 0..<40 {
            let name = documents[random.below(documents.count)].name
            for typed in [name, name.uppercased()] {
                let query = SearchQuery(text: typed, perPage: 3)
                #expect(try memory.search(query).hits.first?.document.name == name, "in memory, exact name first: \(typed)")
                #expect(try await store.search(query, collection: "oracle").hits.first?.document.name == name, "\(kind), exact name first: \(typed)")
            }
        }
        try await store.close()
    }

    /// Ticking a facet value keeps that facet's other values and their counts as before ticking
    /// (with a text query too), while another facet narrows to the ticked documents.
    @Test(arguments: StoreKind.allCases) func tickingAFacetValueKeepsItsAlternatives(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        let packages = SearchIndexAgreementTests.collection(count: 400, seed: 31)
        try await store.upsert(packages, collection: "ticks")
        let index = SearchIndex(source: store, logger: .init(label: "test"))
        try await index.refresh()
        let memory = try #require(index.collection("ticks"))
        let fields = ["framework_versions", "python_versions"]
        for text in ["", "django", "rest"] {
            let untouched = SearchQuery(text: text, facets: fields)
            let ticked = SearchQuery(text: text, filters: [.contains(field: "framework_versions", value: "4.2")], facets: fields)
            let answers = [
                (try memory.search(untouched), try memory.search(ticked)),
                (try await store.search(untouched, collection: "ticks"), try await store.search(ticked, collection: "ticks")),
            ]
            for (before, after) in answers {
                #expect(after.facets["framework_versions"] == before.facets["framework_versions"], "\(kind) '\(text)'")
                #expect((after.facets["framework_versions"] ?? []).count > 1, "the alternatives are still offered")
                let tickedCount = before.facets["framework_versions"]?.first { $0.value == "4.2" }?.count
                #expect(after.total == tickedCount, "\(kind) '\(text)': found is the ticked value's count")
                let narrowed = (after.facets["python_versions"] ?? []).map(\.count).reduce(0, +)
                let wide = (before.facets["python_versions"] ?? []).map(\.count).reduce(0, +)
                #expect(narrowed < wide, "\(kind) '\(text)': another facet narrows")
            }
        }
        try await store.close()
    }
}
