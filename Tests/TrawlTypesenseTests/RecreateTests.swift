import Foundation
import TestSupport
import Testing
import TrawlCore
import TrawlTypesense

/// Zero-downtime recreate against a real Typesense server: the alias only ever points at a
/// complete collection, and a failed recreate leaves everything as it was.
@Suite struct RecreateTests {
    @Test func readerNeverSeesAnErrorOrAnEmptyResultDuringRecreates() async throws {
        guard let h = try await TypesenseHarness.start() else { return }
        let key = TypesenseHarness.unique("live")
        let total = 1_500
        try await h.fill(key, TypesenseHarness.documents(total))
        let recreator = CollectionRecreator(client: h.client, store: h.store, logger: h.logger)
        #expect(try await recreator.recreate(alias: key).collection == "\(key)-1")

        let stop = StopFlag()
        let reader = Task { () -> (searches: Int, failures: [String]) in
            var searches = 0
            var failures: [String] = []
            while !stop.isSet {
                do {
                    let found = try await h.client.search(key, q: "*", perPage: 1).found
                    if found != total { failures.append("found \(found)") }
                    let text = try await h.client.search(key, q: "package", perPage: 1).found
                    if text == 0 { failures.append("no text hits") }
                } catch {
                    failures.append("\(error)")
                }
                searches += 2
            }
            return (searches, failures)
        }
        for n in 2...4 {
            let report = try await recreator.recreate(alias: key)
            #expect(report.collection == "\(key)-\(n)")
            #expect(report.previous == "\(key)-\(n - 1)")
            #expect(report.documents == total)
        }
        stop.set()
        let (searches, failures) = await reader.value
        #expect(searches > 10, "the reader kept searching during the recreates")
        #expect(failures.isEmpty, "reader saw: \(failures.prefix(5))")
        let names = try await h.client.collections().map(\.name).filter { $0.hasPrefix(key) }
        #expect(names == ["\(key)-4"], "old collections are dropped after the switch")
        try await h.shutdown()
    }

    @Test func aFailureBeforeTheSwitchRollsBack() async throws {
        guard let h = try await TypesenseHarness.start() else { return }
        let key = TypesenseHarness.unique("fail")
        try await h.fill(key, TypesenseHarness.documents(50))
        _ = try await CollectionRecreator(client: h.client, store: h.store, logger: h.logger).recreate(alias: key)

        struct Injected: Error {}
        for stage in [CollectionRecreator.Stage.created, .imported, .counted] {
            var recreator = CollectionRecreator(client: h.client, store: h.store, logger: h.logger)
            recreator.checkpoint = { if $0 == stage { throw Injected() } }
            let failing = recreator
            await #expect(throws: Injected.self) { try await failing.recreate(alias: key) }
            #expect(try await h.client.alias(key)?.collectionName == "\(key)-1", "alias unchanged after a failure at \(stage)")
            #expect(try await h.client.collections().map(\.name).filter { $0.hasPrefix(key) } == ["\(key)-1"], "half-built collection dropped")
            #expect(try await h.found(key) == 50)
        }
        try await h.shutdown()
    }

    @Test func aCountMismatchRollsBack() async throws {
        guard let h = try await TypesenseHarness.start() else { return }
        let key = TypesenseHarness.unique("count")
        try await h.fill(key, TypesenseHarness.documents(20))
        _ = try await CollectionRecreator(client: h.client, store: h.store, logger: h.logger).recreate(alias: key)
        // A store that claims more documents than it streams: the new collection is incomplete.
        let lying = MiscountingStore(base: h.store, extra: 3)
        let recreator = CollectionRecreator(client: h.client, store: lying, logger: h.logger)
        await #expect(throws: RecreateError.self) { try await recreator.recreate(alias: key) }
        #expect(try await h.client.alias(key)?.collectionName == "\(key)-1")
        #expect(try await h.client.collection("\(key)-2") == nil)
        #expect(try await h.found(key) == 20)
        try await h.shutdown()
    }

    @Test func aPlainCollectionNamedLikeTheAliasIsReplacedByTheAlias() async throws {
        guard let h = try await TypesenseHarness.start() else { return }
        let key = TypesenseHarness.unique("plain")
        try await h.fill(key, TypesenseHarness.documents(10))
        try await h.client.createCollection(TypesensePackageSchema.schema(name: key))
        let report = try await CollectionRecreator(client: h.client, store: h.store, logger: h.logger).recreate(alias: key)
        #expect(report.previous == key)
        #expect(try await h.client.alias(key)?.collectionName == "\(key)-1")
        #expect(try await h.found(key) == 10)
        try await h.shutdown()
    }

    /// The benchmark's schema (`indexingOnly: indexedByTrawl`) is one a real Typesense accepts, and
    /// searches, facets and sorts what Trawl does.
    @Test func aSchemaIndexingOnlyWhatTrawlIndexesIsAcceptedAndSearchable() async throws {
        guard let h = try await TypesenseHarness.start() else { return }
        let key = TypesenseHarness.unique("lean")
        try await h.fill(key, TypesenseHarness.documents(10))
        var recreator = CollectionRecreator(client: h.client, store: h.store, logger: h.logger)
        recreator.schema = { TypesensePackageSchema.schema(name: $0, indexingOnly: TypesensePackageSchema.indexedByTrawl) }
        _ = try await recreator.recreate(alias: key)
        #expect(try await h.found(key) == 10)
        #expect(try await h.found(key, q: "package") == 10, "the summary is still searched")
        try await h.shutdown()
    }

    @Test func versionNames() {
        #expect(CollectionVersions.next(alias: "plone", existing: []) == "plone-1")
        #expect(CollectionVersions.next(alias: "plone", existing: ["plone-2", "plone-10", "plone-x", "plonex-99", "django-50"]) == "plone-11")
        #expect(CollectionVersions.version(of: "plone-07", alias: "plone") == nil)
        #expect(CollectionVersions.version(of: "flask-cms-3", alias: "flask") == nil)
        #expect(CollectionVersions.version(of: "flask-cms-3", alias: "flask-cms") == 3)
    }
}

/// Streams the real documents but reports `extra` more in its count.
struct MiscountingStore: DocumentStore {
    let base: any DocumentStore
    let extra: Int

    func upsert(_ packages: [StoredPackage], collection: String) async throws { try await base.upsert(packages, collection: collection) }
    func document(_ name: String, collection: String) async throws -> PackageDocument? { try await base.document(name, collection: collection) }
    func documents(_ names: [String], collection: String) async throws -> [String: PackageDocument] { try await base.documents(names, collection: collection) }
    func releases(_ name: String, collection: String) async throws -> [Release] { try await base.releases(name, collection: collection) }
    func removeDocuments(_ names: [String], collection: String) async throws -> Int { try await base.removeDocuments(names, collection: collection) }
    func documentCount(collection: String) async throws -> Int { try await base.documentCount(collection: collection) + extra }
    func documentNames(collection: String) async throws -> [String] { try await base.documentNames(collection: collection) }
    func documents(collection: String, after cursor: String?, limit: Int) async throws -> [PackageDocument] {
        try await base.documents(collection: collection, after: cursor, limit: limit)
    }
    func search(_ query: SearchQuery, collection: String) async throws -> SearchResults { try await base.search(query, collection: collection) }
}
