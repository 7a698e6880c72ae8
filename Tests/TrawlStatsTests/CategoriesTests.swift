import Foundation
import Testing
import TrawlGitHub
import TrawlCore
@testable import TrawlStats
import TrawlStore

/// Categories and package types from a profile's rules, down to store facets.
@Suite struct CategoriesTests {
    static let yaml = """
        key: widgets
        name: Widgets
        sources:
          - kind: github-topic
            topic: flet
        enrichers:
          - kind: categories
            default-type: Python Package
        types:
          UI Controls: {topics: [flet-control], keywords: [control, widget, ui]}
          Services: {topics: [flet-service], keywords: [service, api, auth]}
          Python Package: {keywords: [library, helper]}
        categories:
          Charts: {keywords: [chart, charts, plot]}
          Maps: {keywords: [map, maps, gps]}
          Auth: {topics: [oauth], keywords: [auth, login]}
        """

    static func profile(_ yaml: String = yaml) throws -> Profile {
        var registry = PluginRegistry()
        registry.registerStats()
        registry.registerGitHub()
        registry.declarePlannedKinds()
        let set = try ProfileLoader(registry: registry).load([ProfileFile(path: "widgets.yaml", contents: yaml, layer: .dropIn)])
        return try #require(set.profile("widgets"))
    }

    func enrich(_ documents: [PackageDocument], profile: Profile) async throws -> [PackageDocument] {
        let h = try StatsHarness()
        let spec = try #require(profile.enrichers.first { $0.kind == "categories" })
        let enricher = try CategoriesEnricher(options: spec.options, context: h.context(categories: profile.categories, types: profile.types))
        var batch = EnrichmentBatch(documents: documents)
        try await enricher.enrich(&batch)
        try await h.shutdown()
        return batch.documents
    }

    @Test func typesAndCategoriesFromTheProfile() async throws {
        let docs = try await enrich([
            PackageDocument(name: "flet-charts").with { $0.keywords = ["flet", "Widget"] },
            PackageDocument(name: "flet-auth0").with { $0.topics = ["flet-service", "oauth"] },
            PackageDocument(name: "flet-geo").with { $0.keywords = ["maps, gps", "plot"] },
            PackageDocument(name: "flet-ui-map-control"),
            PackageDocument(name: "something-else"),
        ], profile: Self.profile())
        #expect(docs[0].packageType == "UI Controls")
        #expect(docs[0].categories == ["Charts"], "a word of the name counts as a keyword")
        #expect(docs[1].packageType == "Services")
        #expect(docs[1].categories == ["Auth"])
        #expect(docs[2].categories == ["Charts", "Maps"], "keyword strings are split into words")
        #expect(docs[2].packageType == "Python Package", "no type matched: the default type")
        #expect(docs[3].packageType == "UI Controls", "two terms of UI Controls beat one of nothing else")
        #expect(docs[3].categories == ["Maps"])
        #expect(docs[4].categories.isEmpty)
        #expect(docs[4].packageType == "Python Package")
    }

    @Test func theBestTypeWinsAndTiesGoByName() {
        let types = CategoryMatcher([
            "B": CategoryRule(keywords: ["one"]),
            "A": CategoryRule(keywords: ["two"]),
            "C": CategoryRule(topics: ["t"], keywords: ["three"]),
        ])
        #expect(types.best(PackageDocument(name: "x").with { $0.keywords = ["one", "two"] }) == "A")
        #expect(types.best(PackageDocument(name: "x").with { $0.keywords = ["one", "three"]; $0.topics = ["t"] }) == "C")
        #expect(types.best(PackageDocument(name: "x")) == nil)
    }

    @Test func anUnknownDefaultTypeIsRefused() async throws {
        let h = try StatsHarness()
        #expect(throws: PluginError.self) {
            _ = try CategoriesEnricher(options: PluginOptions(["default-type": .string("Gadgets")]),
                                       context: h.context(types: ["UI Controls": CategoryRule(keywords: ["ui"])]))
        }
        try await h.shutdown()
    }

    @Test func categoriesAndPackageTypeAreStoreFacets() async throws {
        let docs = try await enrich([
            PackageDocument(name: "flet-charts").with { $0.keywords = ["widget"] },
            PackageDocument(name: "flet-maps").with { $0.keywords = ["widget"] },
            PackageDocument(name: "flet-auth"),
        ], profile: Self.profile())
        let h = try StatsHarness()
        try await h.store.upsert(docs.map { StoredPackage(document: $0) }, collection: "widgets")
        let all = try await h.store.search(SearchQuery(facets: ["categories", "package_type"]), collection: "widgets")
        #expect(all.facets["package_type"] == [FacetCount(value: "UI Controls", count: 2), FacetCount(value: "Services", count: 1)])
        #expect((all.facets["categories"] ?? []).sorted { $0.value < $1.value }
                == [FacetCount(value: "Auth", count: 1), FacetCount(value: "Charts", count: 1), FacetCount(value: "Maps", count: 1)])
        let controls = try await h.store.search(SearchQuery(filters: [.contains(field: "package_type", value: "UI Controls")]), collection: "widgets")
        #expect(controls.total == 2)
        let reread = try await h.store.document("flet-charts", collection: "widgets")
        #expect(reread?.categories == ["Charts"] && reread?.packageType == "UI Controls")
        try await h.shutdown()
    }
}
