import Foundation
import TrawlStore
import Testing
import TrawlCore
import TrawlTypesense

/// The publisher against a real Typesense 0.24 server: bootstrap from the store, upserts through
/// the alias, deletions, and the declared schema (sorts and facets work on the first import).
@Suite struct PublishTests {
    @Test func firstPublishBuildsTheCollectionFromTheStoreThenMirrorsChanges() async throws {
        guard let h = try await TypesenseHarness.start() else { return }
        let key = TypesenseHarness.unique("pub")
        var docs = TypesenseHarness.documents(40)
        try await h.fill(key, docs)
        let publisher = TypesensePublisher(client: h.client, store: h.store, logger: h.logger)

        // The first publish finds no alias: it builds KEY-1 from all 40 stored documents.
        try await publisher.publish(collection: key, upserted: [docs[0]], removed: [])
        #expect(try await h.client.alias(key)?.collectionName == "\(key)-1")
        #expect(try await h.found(key) == 40)
        #expect(try await h.client.collection("\(key)-1")?.numDocuments == 40)

        // A changed document is upserted (same id), a removed one deleted, a new one added.
        docs[3].summary = "Completely rewritten zeppelin summary"
        var added = PackageDocument(name: "Brand_New.Package")
        added.summary = "fresh"
        try await h.store.upsert([.init(document: docs[3]), .init(document: added)], collection: key)
        _ = try await h.store.removeDocuments(["pkg-00005"], collection: key)
        try await publisher.publish(collection: key, upserted: [docs[3], added], removed: ["pkg-00005"])

        #expect(try await h.found(key) == 40)
        #expect(try await h.found(key) == (try await h.store.documentCount(collection: key)))
        let hit = try await h.client.search(key, q: "zeppelin")
        #expect(hit.found == 1)
        #expect(hit.hits.first?.document.id == "pkg-00003")
        #expect(try await h.client.search(key, q: "fresh").hits.first?.document.id == "brand-new-package", "id is the normalized name")
        #expect(try await h.client.search(key, q: "*", filterBy: "id:=`pkg-00005`").found == 0, "removed documents are deleted")
        try await h.shutdown()
    }

    @Test func schemaDeclaresSortAndFacetFields() async throws {
        guard let h = try await TypesenseHarness.start() else { return }
        let key = TypesenseHarness.unique("schema")
        try await h.fill(key, TypesenseHarness.documents(30))
        _ = try await CollectionRecreator(client: h.client, store: h.store, logger: h.logger).recreate(alias: key)
        let fields = Dictionary(uniqueKeysWithValues: (try await h.client.collection(key)?.fields ?? []).map { ($0.name, $0) })
        #expect(fields["github_stars"]?.type == "int64")
        #expect(fields["health_score"]?.type == "int64")
        #expect(fields["upload_timestamp"]?.type == "int64")
        #expect(fields["is_official"]?.type == "bool")
        #expect(fields["framework_versions"]?.type == "string[]")
        #expect(fields["framework_versions"]?.facet == true)
        // Sorting by a declared numeric field and filtering a bool facet work at once.
        let top = try await h.client.search(key, q: "*", sortBy: "health_score:desc", perPage: 1)
        #expect(top.hits.first?.document.id == "pkg-00029")
        let official = try await h.client.search(key, q: "*", filterBy: "is_official:true")
        #expect(official.found == 5)  // 0, 7, 14, 21, 28
        try await h.shutdown()
    }

    @Test func searchOnlyKeyMaySearchItsCollectionAndNothingElse() async throws {
        guard let h = try await TypesenseHarness.start() else { return }
        let key = TypesenseHarness.unique("keys")
        try await h.fill(key, TypesenseHarness.documents(5))
        _ = try await CollectionRecreator(client: h.client, store: h.store, logger: h.logger).recreate(alias: key)
        let created = try await h.client.createSearchKey(collections: [key], description: "test key")
        let value = try #require(created.value)
        #expect(try await h.client.keys().contains { $0.id == created.id })

        let limited = TypesenseClient(baseURL: h.server.baseURL, apiKey: Secret(value), http: h.http)
        #expect(try await limited.search(key, q: "*").found == 5)
        await #expect(throws: TypesenseError.self) { try await limited.deleteCollection("\(key)-1") }
        #expect(try await h.client.collection("\(key)-1") != nil, "a search-only key cannot delete")

        #expect(try await h.client.deleteKey(id: created.id))
        #expect(try await h.client.keys().contains { $0.id == created.id } == false)
        try await h.shutdown()
    }

    @Test func rejectedDocumentsFailTheImport() async throws {
        guard let h = try await TypesenseHarness.start() else { return }
        let name = TypesenseHarness.unique("reject")
        try await h.client.createCollection(TypesensePackageSchema.schema(name: name))
        let good = try TypesenseDocument.lines(TypesenseHarness.documents(2))
        let bad = #"{"id":"bad","name":"bad","normalized_name":"bad","download_last_month":"many"}"#
        await #expect(throws: TypesenseError.self) { try await h.client.importLines(good + [bad], into: name) }
        #expect(try await h.client.deleteCollection(name))
        try await h.shutdown()
    }
}

/// Typesense being down never fails a crawl; the next publish repairs what it missed.
@Suite struct PublishRecoveryTests {
    @Test func aFailedPublishIsRepairedByTheNextOne() async throws {
        guard let h = try await TypesenseHarness.start() else { return }
        let key = TypesenseHarness.unique("heal")
        var docs = TypesenseHarness.documents(12)
        try await h.fill(key, docs)
        try await TypesensePublisher(client: h.client, store: h.store, logger: h.logger).publish(collection: key, upserted: docs, removed: [])
        #expect(try await h.found(key) == 12)

        // Typesense unreachable: the publish does not throw, it marks the collection dirty.
        let down = TypesenseClient(baseURL: "http://127.0.0.1:1", apiKey: Secret(h.server.apiKey), http: h.http)
        let failing = TypesensePublisher(client: down, store: h.store, logger: h.logger)
        docs[1].summary = "Missed while the server was down: walrus"
        try await h.store.upsert([.init(document: docs[1])], collection: key)
        _ = try await h.store.removeDocuments(["pkg-00002"], collection: key)
        try await failing.publish(collection: key, upserted: [docs[1]], removed: ["pkg-00002"])
        #expect(try await h.store.checkpoint(TypesensePublisher.dirtyMark(key)) != nil)
        #expect(try await h.client.search(key, q: "walrus").found == 0, "Typesense missed the change")

        // The next publish (a later run) rebuilds from the store: everything missed is there.
        let next = TypesensePublisher(client: h.client, store: h.store, logger: h.logger)
        try await next.publish(collection: key, upserted: [docs[4]], removed: [])
        #expect(try await h.client.alias(key)?.collectionName == "\(key)-2")
        #expect(try await h.client.search(key, q: "walrus").found == 1)
        #expect(try await h.found(key) == 11)
        #expect(try await h.store.checkpoint(TypesensePublisher.dirtyMark(key)) == nil)
        try await h.shutdown()
    }
}

extension PublishRecoveryTests {
    @Test func aPublishCutShortLeavesTheMarkSoTheNextRunRebuilds() async throws {
        guard let h = try await TypesenseHarness.start() else { return }
        let key = TypesenseHarness.unique("cut")
        let docs = TypesenseHarness.documents(8)
        try await h.fill(key, docs)
        try await TypesensePublisher(client: h.client, store: h.store, logger: h.logger).publish(collection: key, upserted: docs, removed: [])
        #expect(try await h.store.checkpoint(TypesensePublisher.dirtyMark(key)) == nil, "cleared after a complete publish")
        // As if a run was killed after storing a batch but before publishing it.
        var missed = PackageDocument(name: "stored-but-never-published")
        missed.summary = "platypus"
        try await h.store.upsert([.init(document: missed)], collection: key)
        try await h.store.saveCheckpoint(TypesensePublisher.dirtyMark(key), value: "1")
        try await TypesensePublisher(client: h.client, store: h.store, logger: h.logger).publish(collection: key, upserted: [docs[0]], removed: [])
        #expect(try await h.client.search(key, q: "platypus").found == 1)
        #expect(try await h.found(key) == 9)
        try await h.shutdown()
    }
}
