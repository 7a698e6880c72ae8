import Foundation
import Testing
import TrawlCore
import GRDB
@testable import TrawlStore

/// `Store.update`: an enrichment rewrites what it changed and nothing else, on both stores.
@Suite struct DocumentUpdateTests {
    static let releases = [
        Release(version: "2.0", uploadTimestamp: 1_700_000_000, yanked: false, requiresPython: ">=3.10"),
        Release(version: "1.0", uploadTimestamp: 1_600_000_000, yanked: false, requiresPython: ""),
    ]

    static func seed(_ store: any Store) async throws -> [PackageDocument] {
        let docs = (0..<3).map { i in
            var d = StoreTests.doc("pkg-\(i)", summary: "summary about widgets \(i)", stars: i, keywords: ["alpha"])
            d.requiresDist = i == 0 ? [] : ["pkg-0>=1", "other; extra == 'x'"]
            d.categories = ["tools"]
            return d
        }
        try await store.upsert(docs.map { StoredPackage(document: $0, releases: Self.releases) }, collection: "c")
        return docs
    }

    func hits(_ store: any Store, _ text: String, filters: [SearchFilter] = []) async throws -> [String] {
        try await store.search(SearchQuery(text: text, filters: filters), collection: "c").hits.map(\.document.normalizedName).sorted()
    }

    @Test(arguments: StoreKind.allCases) func aFigureChangeKeepsTextTermsAndReleases(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        let docs = try await Self.seed(store)
        let revision = try await store.collectionRevisions().first { $0.name == "c" }?.revision ?? -1
        var changed = docs[1]
        changed.healthScore = 77
        changed.githubStars = 4_242
        let change = DocumentChange(before: docs[1], after: changed)
        #expect(!change.textChanged && !change.listsChanged)
        try await store.update([change], collection: "c")

        #expect(try await store.document("pkg-1", collection: "c") == changed)
        #expect(try await store.releases("pkg-1", collection: "c") == Self.releases, "releases untouched")
        #expect(try await hits(store, "widgets") == ["pkg-0", "pkg-1", "pkg-2"], "full text still finds it")
        #expect(try await hits(store, "", filters: [.contains(field: "categories", value: "tools")]).count == 3, "terms still filter")
        let sorted = try await store.search(SearchQuery(sort: .stars), collection: "c").hits.map(\.document.normalizedName)
        #expect(sorted.first == "pkg-1", "value columns written: \(sorted)")
        let after = try await store.collectionRevisions().first { $0.name == "c" }?.revision ?? -1
        #expect(after > revision, "the revision moves, so search indexes follow")
        let feed = try await store.changedDocuments(collection: "c", since: revision, after: nil, limit: 10)
        #expect(feed.map(\.document.normalizedName) == ["pkg-1"])
        try await store.close()
    }

    @Test(arguments: StoreKind.allCases) func textAndListChangesAreReindexed(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        let docs = try await Self.seed(store)
        var changed = docs[2]
        changed.summary = "now about gadgets"
        changed.categories = ["gizmos"]
        let change = DocumentChange(before: docs[2], after: changed)
        #expect(change.textChanged && change.listsChanged)
        try await store.update([change], collection: "c")
        #expect(try await hits(store, "gadgets") == ["pkg-2"])
        #expect(try await hits(store, "widgets") == ["pkg-0", "pkg-1"])
        #expect(try await hits(store, "", filters: [.contains(field: "categories", value: "gizmos")]) == ["pkg-2"])
        #expect(try await hits(store, "", filters: [.contains(field: "categories", value: "tools")]) == ["pkg-0", "pkg-1"])
        #expect(try await store.releases("pkg-2", collection: "c") == Self.releases)
        try await store.close()
    }

    @Test(arguments: StoreKind.allCases) func aRemovedDocumentIsNotBroughtBack(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        let docs = try await Self.seed(store)
        #expect(try await store.removeDocuments(["pkg-0"], collection: "c") == 1)
        var changed = docs[0]
        changed.healthScore = 5
        try await store.update([DocumentChange(before: docs[0], after: changed)], collection: "c")
        #expect(try await store.document("pkg-0", collection: "c") == nil)
        #expect(try await store.documentCount(collection: "c") == 2)
        try await store.close()
    }

    @Test(arguments: StoreKind.allCases) func batchReadsAgreeWithOneByOne(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        _ = try await Self.seed(store)
        try await store.upsert([StoredPackage(document: StoreTests.doc("bare"))], collection: "c")
        let many = try await store.releases(["pkg-0", "PKG_1", "bare", "missing"], collection: "c")
        #expect(many["pkg-0"] == Self.releases && many["pkg-1"] == Self.releases)
        #expect(many["bare"] == [] && many["missing"] == [])
        let rows = try await store.requirementRows(collection: "c")
        #expect(rows.map(\.name) == ["bare", "pkg-0", "pkg-1", "pkg-2"])
        #expect(rows.first { $0.name == "pkg-2" }?.requiresDist == ["pkg-0>=1", "other; extra == 'x'"])
        #expect(rows.first { $0.name == "pkg-0" }?.requiresDist == [])
        try await store.close()
    }
}

/// The stored form of `health_score_breakdown` is a flat array (fast to read back), the plain encoding
/// an object, and a document stored before the change (object form) still reads.
@Suite struct StoredFormTests {
    @Test func theBreakdownIsFlatInAStoreAndAnObjectOutside() throws {
        var d = PackageDocument(name: "pkg")
        d.healthScoreBreakdown = ["recency": HealthRuleResult(points: 30, max: 40, why: "w1"), "author": HealthRuleResult(points: 10, max: 10, why: "w2")]
        let stored = try #require(try DocumentCoding.encode([d]).first)
        #expect(stored.contains(#""health_score_breakdown":["author",10,10,"w2","recency",30,40,"w1"]"#), "\(stored)")
        let plain = String(decoding: try JSONEncoder().encode(d), as: UTF8.self)
        #expect(plain.contains(#""health_score_breakdown":{"#))
        #expect(try DocumentCoding.decode(stored) == d)
        #expect(try DocumentCoding.decode(plain) == d, "a document stored in the object form reads the same")
    }

    @Test(arguments: StoreKind.allCases) func anObjectFormDocumentInTheStoreStillReads(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        var d = StoreTests.doc("pkg-old", summary: "old widgets", stars: 1, keywords: [])
        d.healthScoreBreakdown = ["recency": HealthRuleResult(points: 30, max: 40, why: "old")]
        try await store.upsert([StoredPackage(document: d, releases: [])], collection: "c")
        #expect(try await store.document("pkg-old", collection: "c") == d)
        if let sqlite = store as? SQLiteStore {
            // Rewrite the row as an older Trawl wrote it: the object form.
            let plain = String(decoding: try JSONEncoder().encode(d), as: UTF8.self)
            try await sqlite.pool.write { db in try db.execute(sql: "UPDATE documents SET doc = ? WHERE name = 'pkg-old'", arguments: [plain]) }
            #expect(try await store.document("pkg-old", collection: "c") == d)
        }
        try await store.close()
    }
}
