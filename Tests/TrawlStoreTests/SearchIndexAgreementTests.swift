import Foundation
import Testing
import TestSupport
import TrawlCore
import TrawlSearchIndex
import TrawlStore

/// The in-memory index of `trawl serve` and the store's SQL answer the same searches the same way:
/// found counts, facet counts (disjunctive in both), filters, explicit sorts, the relevance order
/// (`RelevanceRanking` in both) and the first hit of a query that is a package's name, over a
/// generated collection, on SQLite and PostgreSQL.
@Suite struct SearchIndexAgreementTests {
    /// A deterministic collection: names and texts from a small vocabulary, numbers and lists
    /// from a seeded generator, so many queries match many documents and sorts have ties.
    static func collection(count: Int, seed: UInt64 = 7) -> [StoredPackage] {
        var random = SeededGenerator(seed: seed)
        let words = ["rest", "cache", "admin", "auth", "forms", "graphql", "search", "storage", "tasks", "celery", "markdown",
                     "jwt", "oauth", "filters", "tables", "upload", "widgets", "debug", "toolbar", "channels", "sitemap", "seo",
                     "i18n", "maps", "payments", "email", "import", "export", "history", "guardian", "polymorphic", "treebeard"]
        let frameworks = ["3.2", "4.0", "4.1", "4.2", "5.0", "5.1", "5.2"]
        let pythons = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]
        var seen: Set<String> = []
        var packages: [StoredPackage] = []
        while packages.count < count {
            let a = words[random.below(words.count)], b = words[random.below(words.count)]
            let shape = random.below(4)
            let name = shape == 0 ? "django-\(a)" : shape == 1 ? "django-\(a)-\(b)" : shape == 2 ? "\(a)\(b)" : "drf-\(a)-\(random.below(50))"
            guard seen.insert(PackageName.normalize(name)).inserted else { continue }
            var d = PackageDocument(name: name)
            d.version = "\(random.below(5)).\(random.below(10)).\(random.below(3))"
            d.summary = "A \(a) \(words[random.below(words.count)]) app for Django with \(b) support"
            d.description = (0..<(5 + random.below(40))).map { _ in words[random.below(words.count)] }.joined(separator: " ")
            d.keywords = [a, b.uppercased(), "django"].filter { _ in random.below(3) > 0 }
            d.githubStars = random.below(4) == 0 ? 0 : random.below(5_000)
            d.downloadLastMonth = random.below(100_000)
            d.downloadLastWeek = d.downloadLastMonth / 4 + random.below(500)
            d.healthScore = random.below(101)
            d.dependentsCount = random.below(4) == 0 ? random.below(30) : 0
            d.uploadTimestamp = 1_600_000_000 + Int64(random.below(100_000_000))
            d.firstSeen = 1_700_000_000 + Int64(random.below(1_000))
            d.frameworkVersions = Array(frameworks[random.below(3)...].prefix(1 + random.below(4)))
            d.pythonVersions = Array(pythons[random.below(4)...].prefix(1 + random.below(3)))
            d.classifiers = ["Framework :: Django"] + d.frameworkVersions.map { "Framework :: Django :: \($0)" }
            d.isOfficial = random.below(20) == 0
            d.isVerified = random.below(5) == 0
            d.githubURL = random.below(3) == 0 ? "" : "https://github.com/example/\(d.normalizedName)"
            d.categories = random.below(2) == 0 ? ["api"] : ["admin", "ui"].filter { _ in random.below(2) == 0 }
            packages.append(StoredPackage(document: d))
        }
        return packages
    }

    static let facetFields = ["framework_versions", "python_versions", "keywords", "categories"]

    /// Queries whose every answer must agree; `ordered` ones are compared hit by hit.
    static func queries() -> [(query: SearchQuery, ordered: Bool)] {
        var list: [(SearchQuery, Bool)] = []
        func add(_ q: SearchQuery, ordered: Bool = true) { list.append((q, ordered)) }
        for sort in SearchSort.allCases where sort != .relevance {
            add(SearchQuery(sort: sort, perPage: 25, facets: facetFields))
            add(SearchQuery(sort: sort, descending: sort == .name, page: 3, perPage: 10))
        }
        add(SearchQuery(perPage: 30, facets: facetFields))  // browse: downloads order
        add(SearchQuery(sort: .stars, page: 100, perPage: 10))  // past the end
        for text in ["rest", "cache admin", "dja", "celery tasks", "jwt", "REST framework", "graph", "nothing-like-this",
                     "debug toolbar", "django-debug-toolbar", "cache", "admin sea", "upload widgets"] {
            add(SearchQuery(text: text, perPage: 20, facets: facetFields))
            add(SearchQuery(text: text, page: 2, perPage: 7))
            add(SearchQuery(text: text, sort: .stars, perPage: 20, facets: ["framework_versions"]))
            add(SearchQuery(text: text, sort: .name, descending: true, page: 2, perPage: 5))
        }
        let filters: [[SearchFilter]] = [
            [.contains(field: "framework_versions", value: "5.0")],
            [.contains(field: "framework_versions", value: "5.0"), .contains(field: "python_versions", value: "3.12")],
            [.anyOf([.contains(field: "framework_versions", value: "3.2"), .contains(field: "framework_versions", value: "5.2")])],
            [.not(.contains(field: "python_versions", value: "3.8")), .flag(field: "is_verified", value: true)],
            [.range(field: "health_score", min: 40, max: 70), .flag(field: "has_github", value: false)],
            [.range(field: "github_stars", min: nil, max: 0)],
            [.contains(field: "keywords", value: "CACHE"), .flag(field: "is_official", value: false)],
            [.name(["django-rest", "Django_Cache", "missing"])],
            [.anyOf([.flag(field: "is_official", value: true), .range(field: "download_last_month", min: 90_000, max: nil)])],
        ]
        for filter in filters {
            add(SearchQuery(filters: filter, sort: .downloads, perPage: 15, facets: facetFields))
            add(SearchQuery(text: "django", filters: filter, sort: .health, perPage: 15, facets: facetFields))
            add(SearchQuery(text: "a", filters: filter, perPage: 15, facets: ["framework_versions"]))
        }
        var explicit = SearchQuery(text: "rest", perPage: 20, facets: ["python_versions"])
        explicit.sortFields = [SortField(field: "github_stars", descending: true), SortField(field: "name", descending: false)]
        add(explicit)
        var textThenDownloads = SearchQuery(perPage: 20)
        textThenDownloads.sortFields = [SortField(field: SortField.textMatch, descending: true), SortField(field: "health_score", descending: false),
                                        SortField(field: "download_last_month", descending: true)]
        add(textThenDownloads)
        return list
    }

    @Test(arguments: StoreKind.allCases) func inMemoryAndSQLAgree(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        let packages = Self.collection(count: 700)
        for start in stride(from: 0, to: packages.count, by: 250) {
            try await store.upsert(Array(packages[start..<min(start + 250, packages.count)]), collection: "django")
        }
        let index = SearchIndex(source: store, logger: .init(label: "test"), pageSize: 128)
        try await index.refresh()
        let memory = try #require(index.collection("django"))
        #expect(memory.count == packages.count)

        for (query, ordered) in Self.queries() {
            let sql = try await store.search(query, collection: "django")
            let fast = try memory.search(query, collection: "django")
            let label = "\(query)"
            // PostgreSQL answers a text nobody's words match with trigram similarity on names, a
            // different fallback from SQLite's and the index's corrected spellings.
            if kind == .postgres, fast.total == 0, !query.text.isEmpty { continue }
            #expect(fast.total == sql.total, "found: \(label)")
            #expect(fast.facets == sql.facets, "facets: \(label)")
            if ordered {
                #expect(fast.hits.map(\.document.normalizedName) == sql.hits.map(\.document.normalizedName), "order: \(label)")
            } else {
                #expect(fast.hits.count == sql.hits.count, "page size: \(label)")
            }
        }

        // A query that is a package's name finds that package first, in memory and in SQL.
        var random = SeededGenerator(seed: 11)
        for _ in 0..<25 {
            let name = packages[random.below(packages.count)].document.name
            let query = SearchQuery(text: name, perPage: 5)
            let fast = try memory.search(query, collection: "django")
            #expect(fast.hits.first?.document.name == name, "exact name first in memory: \(name)")
            let sql = try await store.search(query, collection: "django")
            #expect(sql.hits.first?.document.name == fast.hits.first?.document.name, "same first hit as SQL: \(name)")
        }
        try await store.close()
    }

    /// A misspelt word still finds its package; where the store corrects spellings the same way
    /// (SQLite's vocabulary fallback) the counts agree too.
    @Test(arguments: StoreKind.allCases) func misspeltWordsFindTheirPackages(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        var packages = Self.collection(count: 200)
        var django = PackageDocument(name: "Django")
        django.summary = "The web framework for perfectionists with deadlines"
        django.downloadLastMonth = 1_000_000
        packages.append(StoredPackage(document: django))
        try await store.upsert(packages, collection: "django")
        let index = SearchIndex(source: store, logger: .init(label: "test"))
        try await index.refresh()
        let memory = try #require(index.collection("django"))
        for typo in ["djnago", "perfectoinists", "celrey"] {
            let fast = try memory.search(SearchQuery(text: typo, perPage: 50))
            #expect(fast.total > 0, "\(typo) finds something")
            if kind == .sqlite {
                #expect(fast.total == (try await store.search(SearchQuery(text: typo), collection: "django")).total, "\(typo)")
            }
        }
        #expect(try memory.search(SearchQuery(text: "djnago", perPage: 1)).hits.first?.document.name == "Django")
        #expect(try memory.search(SearchQuery(text: "zzzzqqq")).total == 0)
        try await store.close()
    }

    /// The long texts the index keeps deflated come back byte for byte in hits and lookups,
    /// whichever way the index was made (a first load, then batches applied on top).
    @Test func hitsCarryTheirWholeTextsBack() throws {
        var random = SeededGenerator(seed: 0x7E_C5)
        let words = ["django", "naïve", "日本語", "emoji 🎉", "<b>bold</b>", "line\nbreak", "tab\there", "plain"]
        func text(_ n: Int) -> String { (0..<n).map { _ in words[random.below(words.count)] }.joined(separator: " ") }
        var documents = (0..<120).map { i -> PackageDocument in
            var d = PackageDocument(name: "pkg-\(i)")
            // Summaries and keywords live in the ranking arena: non-ASCII and empty ones come back too.
            d.summary = i % 7 == 0 ? "résumé \(i)" : i % 11 == 0 ? "" : "summary \(i)"
            d.keywords = i % 5 == 0 ? ["ké", "", "x"] : i % 2 == 0 ? ["alpha"] : []
            d.description = text([0, 3, 40, 400, 3_000][i % 5])
            d.readme = i % 3 == 0 ? text(500) : ""
            d.changelog = i % 4 == 0 ? text(60) : ""
            return d
        }
        let loaded = CollectionIndex.building(Array(documents.prefix(80)), revision: 1, createdAt: 0)
        for i in documents.indices.dropFirst(60) { documents[i].description = text(200) }  // 20 changed, 40 new
        let index = loaded.applying(upserted: Array(documents.dropFirst(60)), removed: [], revision: 2)
        for document in documents {
            #expect(index.document(document.name) == document, "\(document.name)")
        }
        let hits = try index.search(SearchQuery(text: "", perPage: 250)).hits.map(\.document)
        #expect(hits.count == documents.count)
        #expect(Set(hits.map(\.name)) == Set(documents.map(\.name)))
        for hit in hits { #expect(documents.contains(hit), "\(hit.name)") }
    }

    /// Ticking one value of a facet leaves that facet's other values counted as if it were not
    /// ticked, while every other facet narrows.
    @Test func facetsIgnoreTheirOwnFilter() throws {
        let documents = Self.collection(count: 300).map(\.document)
        let index = CollectionIndex.empty().applying(upserted: documents, removed: [], revision: 1)
        let all = try index.search(SearchQuery(facets: ["framework_versions", "python_versions"]))
        let ticked = try index.search(SearchQuery(filters: [.contains(field: "framework_versions", value: "5.0")], facets: ["framework_versions", "python_versions"]))
        #expect(ticked.facets["framework_versions"] == all.facets["framework_versions"])
        #expect(ticked.total == documents.filter { $0.frameworkVersions.contains("5.0") }.count)
        #expect(try index.search(SearchQuery(text: "django", page: Int.max / 2, perPage: 250)).hits.isEmpty, "a page far past the end")
        let expected = Dictionary(grouping: documents.filter { $0.frameworkVersions.contains("5.0") }.flatMap(\.pythonVersions), by: { $0 }).mapValues(\.count)
        #expect(Dictionary(uniqueKeysWithValues: (ticked.facets["python_versions"] ?? []).map { ($0.value, $0.count) }) == expected)
    }

    /// Writes through another connection (as another process would) become searchable after a
    /// refresh: new and changed documents, removals, a collection deleted, an alias moved.
    @Test(arguments: StoreKind.allCases) func refreshFollowsAnotherWriter(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let reader = fixture.store
        let writer = try fixture.reopen()
        let packages = Self.collection(count: 120)
        try await writer.upsert(packages, collection: "c-1")
        try await writer.setAlias("c", target: "c-1")
        let index = SearchIndex(source: reader, logger: .init(label: "test"), pageSize: 50)
        try await index.refresh()
        #expect(index.resolve("c") == "c-1")
        #expect(index.collection("c-1")?.count == 120)

        var changed = packages[3].document
        changed.summary = "Completely rewritten zeppelin summary"
        var added = PackageDocument(name: "brand-new-zeppelin")
        added.summary = "Arrived later"
        try await writer.upsert([StoredPackage(document: changed), StoredPackage(document: added)], collection: "c-1")
        try await writer.removeDocuments([packages[5].document.name, packages[6].document.name], collection: "c-1")
        let before = try #require(index.collection("c-1"))
        try await index.refresh()
        let after = try #require(index.collection("c-1"))
        #expect(after !== before)
        #expect(after.count == 120 - 2 + 1)
        #expect(after.count == (try await reader.documentCount(collection: "c-1")))
        let found = try after.search(SearchQuery(text: "zeppelin", sort: .name))
        #expect(Set(found.hits.map(\.document.normalizedName)) == [changed.normalizedName, "brand-new-zeppelin"])
        #expect(after.document(packages[5].document.name) == nil)
        #expect(try after.search(SearchQuery(text: "zeppelin")).total == (try await reader.search(SearchQuery(text: "zeppelin"), collection: "c-1")).total)

        // Nothing changed: the same picture is kept.
        try await index.refresh()
        #expect(index.collection("c-1") === after)

        try await writer.upsert(Array(packages.prefix(10)), collection: "c-2")
        try await writer.setAlias("c", target: "c-2")
        try await writer.deleteCollection("c-1")
        try await index.refresh()
        #expect(index.resolve("c") == "c-2")
        #expect(index.collection("c-1") == nil)
        #expect(index.collection("c-2")?.count == 10)
        try await writer.close()
        try await reader.close()
    }
}

