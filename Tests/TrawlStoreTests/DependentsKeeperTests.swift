import Foundation
import Logging
import TestSupport
import Testing
import TrawlCore
import TrawlStore

/// `dependents_count` stays equal to the collection's requirement graph through batches, changed
/// requirements, new packages and removals, written the way a crawl writes them (settle, then one
/// upsert), in a real SQLite store; documents whose count moves are rescored.
@Suite struct DependentsKeeperTests {
    /// Writes the count into `health_score` so a test can see that a moved count was rescored.
    struct CountEcho: Enricher {
        static let descriptor = PluginDescriptor(kind: "count-echo", summary: "test: health_score = dependents_count")
        static let ownedFields = ["health_score"]
        static var readsDependents: Bool { true }
        init(options: PluginOptions, context: PluginContext) throws {}
        init() {}
        func enrich(_ batch: inout EnrichmentBatch) async throws {
            for i in batch.documents.indices { batch.documents[i].healthScore = batch.documents[i].dependentsCount }
        }
    }

    static let collection = "c"
    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    static func store() throws -> SQLiteStore {
        try SQLiteStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("trawl-dependents-\(UUID().uuidString).sqlite").path)
    }

    static func requirements(_ g: inout SeededGenerator, among names: [String]) -> [String] {
        let markers = ["", "; extra == \"x\"", "; sys_platform == \"linux\"", "; python_version >= \"3.9\""]
        return (0..<g.below(6)).map { _ in
            let target = g.chance(80) ? g.pick(names).replacingOccurrences(of: "-", with: g.pick(["-", "_", "."])) : "outside-\(g.below(50))"
            return target.uppercased() + g.pick(["", ">=1.0", "[extra]", " (<3)"]) + g.pick(markers)
        }
    }

    /// Writes `documents` as a crawl batch does: settle against their stored versions, one upsert.
    static func write(_ documents: [PackageDocument], keeper: DependentsKeeper, store: SQLiteStore) async throws {
        let previous = try await store.documents(documents.map(\.normalizedName), collection: collection)
        var packages: [StoredPackage] = []
        var changes = false
        for var document in documents {
            if let old = previous[document.normalizedName] { document.carryEnrichment(from: old) }
            changes = changes || DependentsKeeper.changesGraph(document, previous: previous[document.normalizedName])
            packages.append(StoredPackage(document: document))
        }
        try await store.upsert(try await keeper.settle(packages, changesGraph: changes), collection: collection)
    }

    /// Every stored count equals the graph of what is stored, and was echoed by the rescorer.
    static func expectCountsMatch(_ store: SQLiteStore, _ step: String, rescored: Bool = true) async throws {
        let stored = try await store.documents(collection: collection, after: nil, limit: 10_000)
        let graph = DependencyGraph(stored)
        var nonZero = 0
        for document in stored {
            let expected = graph.dependents(of: document.normalizedName).count
            #expect(document.dependentsCount == expected, "\(step): \(document.normalizedName)")
            if rescored { #expect(document.healthScore == expected, "\(step): \(document.normalizedName) was not rescored") }
            if expected > 0 { nonZero += 1 }
        }
        #expect(nonZero > 10, "\(step): the generated collection has dependents to count")
    }

    @Test func countsFollowBatchesChangesAdditionsAndRemovals() async throws {
        var g = SeededGenerator(seed: 0xD3E9_2026)
        let store = try Self.store()
        try await store.ensureCollection(Self.collection, profile: nil)
        var names = (0..<400).map { "pkg-\($0)" }
        var documents: [String: PackageDocument] = [:]
        for name in names {
            var d = PackageDocument(name: name)
            d.requiresDist = Self.requirements(&g, among: names)
            documents[d.normalizedName] = d
        }

        // A first crawl in batches of 50: each batch only knows what is stored so far.
        let crawl = DependentsKeeper(store: store, collection: Self.collection, enrichers: [CountEcho()], logger: Self.logger)
        for start in stride(from: 0, to: names.count, by: 50) {
            try await Self.write(names[start..<start + 50].map { documents[$0]! }, keeper: crawl, store: store)
        }
        try await Self.expectCountsMatch(store, "after the first crawl")
        #expect(await crawl.statistics.loads == 1, "the graph is read once per run")

        // A later run: changed requirements, new packages that others already named, removals.
        let later = DependentsKeeper(store: store, collection: Self.collection, enrichers: [CountEcho()], logger: Self.logger)
        var changed: [PackageDocument] = []
        for name in names.shuffled(using: &g).prefix(40) {
            documents[name]!.requiresDist = Self.requirements(&g, among: names)
            changed.append(documents[name]!)
        }
        try await Self.write(changed, keeper: later, store: store)
        try await Self.expectCountsMatch(store, "after changed requirements")

        let newcomers = (0..<20).map { "outside-\($0)" }  // named by existing requirements already
        names += newcomers
        try await Self.write(newcomers.map { name in
            var d = PackageDocument(name: name)
            d.requiresDist = Self.requirements(&g, among: names)
            return d
        }, keeper: later, store: store)
        try await Self.expectCountsMatch(store, "after new packages joined")

        let removed = names.shuffled(using: &g).prefix(25).map { $0 }
        try await store.removeDocuments(removed, collection: Self.collection)
        try await store.upsert(try await later.settle([], changesGraph: true, removed: removed), collection: Self.collection)
        try await Self.expectCountsMatch(store, "after removals")
        #expect(await later.statistics.rewritten > 0, "counts of packages outside the batches moved")
    }

    /// A run whose batches change nobody's requirements never reads the collection, and keeps the
    /// counts the documents carry.
    @Test func aBatchThatChangesNoRequirementsReadsNothing() async throws {
        let store = try Self.store()
        try await store.ensureCollection(Self.collection, profile: nil)
        var core = PackageDocument(name: "core")
        var plugin = PackageDocument(name: "plugin")
        plugin.requiresDist = ["core>=1"]
        let first = DependentsKeeper(store: store, collection: Self.collection, enrichers: [], logger: Self.logger)
        try await Self.write([core, plugin], keeper: first, store: store)
        #expect(try await store.document("core", collection: Self.collection)?.dependentsCount == 1)

        let refresh = DependentsKeeper(store: store, collection: Self.collection, enrichers: [], logger: Self.logger)
        core.summary = "a new release, same requirements"
        plugin.summary = "same requirements"
        try await Self.write([core, plugin], keeper: refresh, store: store)
        #expect(await refresh.statistics.loads == 0)
        #expect(try await store.document("core", collection: Self.collection)?.dependentsCount == 1, "carried over, not reset")

        plugin.requiresDist = []
        try await Self.write([plugin], keeper: refresh, store: store)
        #expect(await refresh.statistics.loads == 1)
        #expect(try await store.document("core", collection: Self.collection)?.dependentsCount == 0, "core lost its dependent")
    }

    /// A store written before the counts existed (every count 0) is settled by the first run that
    /// changes the graph, or by a whole-collection enrichment of a rule that reads the counts.
    @Test func aStoreWithoutCountsIsSettledByAWholeCollectionEnrichment() async throws {
        var g = SeededGenerator(seed: 0x0DE9_0001)
        let store = try Self.store()
        try await store.ensureCollection(Self.collection, profile: nil)
        let names = (0..<200).map { "pkg-\($0)" }
        try await store.upsert(names.map { name in
            var d = PackageDocument(name: name)
            d.requiresDist = Self.requirements(&g, among: names)
            return StoredPackage(document: d)
        }, collection: Self.collection)
        let enrichment = StoredEnrichment(store: store, collection: Self.collection, enrichers: [CountEcho()], pageSize: 37, logger: Self.logger)
        _ = try await enrichment.run()
        try await Self.expectCountsMatch(store, "after `trawl enrich` of a rule that reads the counts")
    }
}
