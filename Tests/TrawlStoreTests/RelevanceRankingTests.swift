import Foundation
import Testing
import TestSupport
import TrawlCore
import TrawlSearchIndex
import TrawlStore

/// The ranking rules of `RelevanceRanking` on a generated collection, through the in-memory index
/// and the SQL stores alike: the kind of match decides before popularity (popularity is made to
/// point the other way), an exact full name is always first, popularity orders only inside a tier,
/// and a typo'd form ranks one level below its exact form.
@Suite struct RelevanceRankingTests {
    /// Made-up six-letter words (no accidental matches with each other or with filler text).
    static func word(_ random: inout SeededGenerator) -> String {
        let consonants = Array("bcdfghjklmnprstvz"), vowels = Array("aeiou")
        return String((0..<6).map { i in i % 2 == 0 ? consonants[random.below(consonants.count)] : vowels[random.below(vowels.count)] })
    }

    /// One group per query: the same two words `a b` in every kind of match, the better the match
    /// the *fewer* downloads, so a ranking led by popularity would reverse the expected order.
    struct Group {
        var a: String, b: String
        /// Expected order for the query `a b`, best first.
        var expected: [String]
    }

    static func collection(groups count: Int, seed: UInt64 = 3) -> (packages: [StoredPackage], groups: [Group]) {
        var random = SeededGenerator(seed: seed)
        var used: Set<String> = []
        func fresh() -> String {
            while true {
                let w = word(&random)
                if used.insert(w).inserted { return w }
            }
        }
        var packages: [StoredPackage] = []
        var groups: [Group] = []
        func add(_ name: String, downloads: Int, summary: String = "", description: String = "") {
            var d = PackageDocument(name: name)
            d.summary = summary.isEmpty ? "Tools" : summary
            d.description = description
            d.downloadLastMonth = downloads
            d.dependentsCount = downloads / 100_000
            d.githubStars = downloads / 1_000
            packages.append(StoredPackage(document: d))
        }
        for i in 0..<count {
            let a = fresh(), b = fresh(), c = fresh()
            let names = [
                "django-\(a)-\(b)",  // the query with the ecosystem prefix: level 12
                "django-\(a)-\(b)-\(c)",  // starts with the query: 10
                "django-\(c)-\(b)-\(a)",  // every word in the name: 8
                "django-\(a)x-\(b)y",  // every word starts a name word: 7
                "pkg-\(c)-\(i)",  // in the summary: 6
                "lib-\(c)-\(i)",  // in the description only: 4
            ]
            add(names[0], downloads: 10)
            add(names[1], downloads: 1_000)
            add(names[2], downloads: 100_000)
            add(names[3], downloads: 1_000_000)
            add(names[4], downloads: 10_000_000, summary: "Helpers for \(a) with \(b)")
            add(names[5], downloads: 90_000_000, description: "Works with \(b) and \(a) alike")
            groups.append(Group(a: a, b: b, expected: names))
        }
        return (packages, groups)
    }

    /// Both search paths over one store.
    struct Paths {
        var store: any Store
        var memory: CollectionIndex

        func search(_ query: SearchQuery) async throws -> [(in: String, results: SearchResults)] {
            [("memory", try memory.search(query, collection: "django")), ("sql", try await store.search(query, collection: "django"))]
        }
    }

    static func paths(_ kind: StoreKind, _ packages: [StoredPackage]) async throws -> Paths? {
        guard let fixture = try await StoreFixture.make(kind) else { return nil }
        try await fixture.store.upsert(packages, collection: "django")
        let index = SearchIndex(source: fixture.store, logger: .init(label: "test"))
        try await index.refresh()
        return Paths(store: fixture.store, memory: try #require(index.collection("django")))
    }

    @Test(arguments: StoreKind.allCases) func tiersComeBeforePopularity(_ kind: StoreKind) async throws {
        let (packages, groups) = Self.collection(groups: 12)
        guard let paths = try await Self.paths(kind, packages) else { return }
        for group in groups {
            for (path, results) in try await paths.search(SearchQuery(text: "\(group.a) \(group.b)", perPage: 10)) {
                #expect(results.hits.map(\.document.normalizedName) == group.expected, "\(kind) \(path): \(group.a) \(group.b)")
                let levels = results.hits.compactMap { $0.explanation?.level }
                #expect(levels == [12, 10, 8, 7, 6, 4], "\(kind) \(path) levels")
                #expect(results.hits.first?.explanation?.tier == .ecosystemName)
            }
        }
        try await paths.store.close()
    }

    @Test(arguments: StoreKind.allCases) func anExactFullNameIsAlwaysFirst(_ kind: StoreKind) async throws {
        var (packages, groups) = Self.collection(groups: 6)
        // A package whose name is the bare query, with no downloads at all, next to the popular
        // prefixed one: typed exactly, the bare one is first; typed as words, the popular one.
        let group = groups[0]
        var bare = PackageDocument(name: "\(group.a)_\(group.b)")
        bare.summary = "Tools"
        packages.append(StoredPackage(document: bare))
        guard let paths = try await Self.paths(kind, packages) else { return }
        for (path, results) in try await paths.search(SearchQuery(text: "\(group.a)-\(group.b)", perPage: 3)) {
            #expect(results.hits.first?.document.name == bare.name, "\(kind) \(path)")
            #expect(results.hits.first?.explanation?.tier == .exactName)
        }
        for (path, results) in try await paths.search(SearchQuery(text: "\(group.a) \(group.b)", perPage: 3)) {
            #expect(results.hits.map(\.document.normalizedName).prefix(2) == ["django-\(group.a)-\(group.b)", bare.normalizedName], "\(kind) \(path)")
        }
        for package in packages {
            let name = package.document.name
            for (path, results) in try await paths.search(SearchQuery(text: name, perPage: 1)) {
                #expect(results.hits.first?.document.name == name, "\(kind) \(path): \(name)")
            }
        }
        try await paths.store.close()
    }

    /// Within a tier the more popular package leads; moving popularity moves it, but never past a
    /// better kind of match.
    @Test func popularityOrdersOnlyWithinATier() throws {
        func order(_ downloads: [Int]) throws -> [String] {
            let names = ["django-alpha-omega", "alpha-omega-tools", "django-alpha-omega-kit", "django-omega-alpha"]
            let documents = zip(names, downloads).map { name, n in
                var d = PackageDocument(name: name)
                d.downloadLastMonth = n
                return d
            }
            let index = CollectionIndex.building(documents, revision: 1, createdAt: 0)
            return try index.search(SearchQuery(text: "alpha omega"), collection: "django").hits.map(\.document.name)
        }
        // Tiers: name without prefix (12) > starts with the query (10, two of them) > all words (8).
        #expect(try order([5, 100, 10, 1_000_000]) == ["django-alpha-omega", "alpha-omega-tools", "django-alpha-omega-kit", "django-omega-alpha"])
        #expect(try order([5, 10, 100, 1_000_000]) == ["django-alpha-omega", "django-alpha-omega-kit", "alpha-omega-tools", "django-omega-alpha"])
        // The popularity prior itself is damped: ten times the downloads is one point, not ten times the weight.
        let one = RelevanceRanking.popularity(.init(name: "x", summary: "", keywords: [], downloads: 999, dependents: 0, stars: 0))
        let ten = RelevanceRanking.popularity(.init(name: "x", summary: "", keywords: [], downloads: 9_999, dependents: 0, stars: 0))
        #expect(abs(ten - one - 1) < 0.01)
    }

    /// A word with a letter missing finds the meant package first, one level below where the
    /// word spelt right puts it; SQLite (which corrects spellings the same way) agrees on the order.
    @Test(arguments: StoreKind.allCases) func aTypoRanksOneLevelBelowItsExactForm(_ kind: StoreKind) async throws {
        let (packages, groups) = Self.collection(groups: 8)
        guard let paths = try await Self.paths(kind, packages) else { return }
        for group in groups {
            var typo = group.b
            typo.remove(at: typo.index(typo.startIndex, offsetBy: 2))  // not a prefix of the word
            let exact = try paths.memory.search(SearchQuery(text: "\(group.a) \(group.b)", perPage: 1), collection: "django")
            let misspelt = try paths.memory.search(SearchQuery(text: "\(group.a) \(typo)", perPage: 10), collection: "django")
            #expect(misspelt.hits.first?.document.normalizedName == group.expected[0], "\(group.a) \(typo)")
            let right = try #require(exact.hits.first?.explanation), wrong = try #require(misspelt.hits.first?.explanation)
            #expect(wrong.typo && !right.typo)
            #expect(wrong.level == right.level - 1)
            if kind == .sqlite {
                let sql = try await paths.store.search(SearchQuery(text: "\(group.a) \(typo)", perPage: 10), collection: "django")
                #expect(sql.hits.map(\.document.normalizedName) == misspelt.hits.map(\.document.normalizedName), "sqlite: \(group.a) \(typo)")
                #expect(sql.hits.map { $0.explanation?.level } == misspelt.hits.map { $0.explanation?.level })
            }
        }
        try await paths.store.close()
    }

    /// `_text_match` in an explicit sort (Typesense `sort_by`) is the same ranking in both paths.
    @Test(arguments: StoreKind.allCases) func textMatchSortIsTheRanking(_ kind: StoreKind) async throws {
        let (packages, groups) = Self.collection(groups: 4)
        guard let paths = try await Self.paths(kind, packages) else { return }
        var query = SearchQuery(text: "\(groups[1].a) \(groups[1].b)", perPage: 10)
        query.sortFields = [SortField(field: SortField.textMatch, descending: true), SortField(field: "download_last_month", descending: true)]
        for (path, results) in try await paths.search(query) {
            #expect(results.hits.map(\.document.normalizedName) == groups[1].expected, "\(kind) \(path)")
        }
        query.sortFields = [SortField(field: "download_last_month", descending: false), SortField(field: SortField.textMatch, descending: true)]
        for (path, results) in try await paths.search(query) {
            #expect(results.hits.map(\.document.normalizedName) == groups[1].expected, "\(kind) \(path): fewest downloads first is the same order here")
        }
        try await paths.store.close()
    }

    /// The ASCII way of assessing (bytes compared in place) answers exactly as the general way
    /// (words split into Strings), over generated names, summaries, keywords and queries, typo'd
    /// ones included.
    @Test func theASCIIWayAgreesWithTheGeneralWay() {
        var random = SeededGenerator(seed: 99)
        let vocabulary = ["django", "debug", "toolbar", "debugtool", "rest", "restframework", "cache", "cach", "celery", "beat",
                          "redis", "red", "a", "x1", "forms", "form", "admin", "drf", "Toolbar", "REST", "api"]
        func pick() -> String { vocabulary[random.below(vocabulary.count)] }
        var compared = 0
        for _ in 0..<3_000 {
            let nameWords = (0..<(1 + random.below(4))).map { _ in pick() }
            let separators = ["-", "_", ".", ""]
            let name = PackageName.normalize(nameWords.joined(separator: separators[random.below(separators.count)]))
            let candidate = RelevanceRanking.Candidate(
                name: name, summary: (0..<random.below(6)).map { _ in pick() }.joined(separator: random.below(2) == 0 ? " " : ", "),
                keywords: (0..<random.below(3)).map { _ in pick() }, downloads: Int64(random.below(1_000_000)),
                dependents: Int64(random.below(50)), stars: Int64(random.below(10_000)))
            let queryWords = (0..<(1 + random.below(3))).map { _ in pick().lowercased() }
            var corrections: [String: [String]] = [:]
            if random.below(3) == 0, let word = queryWords.first {
                corrections[word] = (0..<(1 + random.below(3))).map { _ in pick().lowercased() }
            }
            let text = random.below(4) == 0 ? name : queryWords.joined(separator: " ")
            for collection in ["django", "", "drf-1"] {
                let ranking = RelevanceRanking(text: text, collection: collection, corrections: text == name ? [:] : corrections)
                #expect(ranking.explain(candidate) == ranking.explainTheGeneralWay(candidate), "\(text) / \(name) / \(candidate.summary) / \(candidate.keywords)")
                compared += 1
            }
        }
        #expect(compared == 9_000)
    }
}
