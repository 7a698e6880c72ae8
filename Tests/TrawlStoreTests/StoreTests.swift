import Foundation
import GRDB
import PostgresNIO
import Testing
import TrawlCore
@testable import TrawlStore

/// The shared store suite: every test runs against SQLite and PostgreSQL (round trips,
/// migrations, full-text ranking, filters, caches and keys), so both stores mean the same thing.
@Suite struct StoreTests {

    static func doc(_ name: String, summary: String = "", description: String = "", stars: Int = 0, health: Int = 0,
                    official: Bool = false, frameworks: [String] = [], keywords: [String] = []) -> PackageDocument {
        var d = PackageDocument(name: name)
        d.summary = summary
        d.description = description
        d.githubStars = stars
        d.healthScore = health
        d.isOfficial = official
        d.frameworkVersions = frameworks
        d.keywords = keywords
        d.version = "1.0"
        return d
    }

    @Test(arguments: StoreKind.allCases) func documentRoundTripWithReleases(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        var d = Self.doc("Django_Foo.Bar", summary: "A thing", stars: 5)
        d.projectURLs = ["Source": "https://example.invalid/x/y"]
        d.healthScoreBreakdown = ["recency": HealthRuleResult(points: 30, max: 40, why: "released 3 months ago")]
        let releases = [Release(version: "1.0", uploadTimestamp: 1_700_000_000, yanked: false, requiresPython: ">=3.9"),
                        Release(version: "0.9", uploadTimestamp: 1_600_000_000, yanked: true, requiresPython: "")]
        try await store.upsert([StoredPackage(document: d, releases: releases)], collection: "django")
        let loaded = try #require(try await store.document("django-foo-bar", collection: "django"))
        #expect(loaded == d)
        #expect(loaded.normalizedName == "django-foo-bar")
        #expect(try await store.document("DJANGO.foo_bar", collection: "django") == d, "any spelling finds it")
        #expect(try await store.releases("django-foo-bar", collection: "django") == releases)
        #expect(try await store.document("django-foo-bar", collection: "flask") == nil, "collections are separate")
        let many = try await store.documents(["Django.Foo-Bar", "missing", "django_foo_bar"], collection: "django")
        #expect(Array(many.keys) == ["django-foo-bar"])

        d.summary = "Changed"
        try await store.upsert([StoredPackage(document: d, releases: [releases[0]])], collection: "django")
        #expect(try await store.document("django-foo-bar", collection: "django")?.summary == "Changed")
        #expect(try await store.releases("django-foo-bar", collection: "django").count == 1)
        #expect(try await store.documentCount(collection: "django") == 1)
        // Two spellings of one package in a batch: the last wins; a release listed twice is kept once.
        try await store.upsert([
            StoredPackage(document: Self.doc("Dup_Pkg", summary: "first")),
            StoredPackage(document: Self.doc("dup.pkg", summary: "second"), releases: [releases[1], releases[1]]),
        ], collection: "django")
        #expect(try await store.document("dup-pkg", collection: "django")?.summary == "second")
        #expect(try await store.releases("dup-pkg", collection: "django") == [releases[1]])
        #expect(try await store.removeDocuments(["dup-pkg"], collection: "django") == 1)
        #expect(try await store.removeDocuments(["Django-Foo-Bar", "missing"], collection: "django") == 1)
        #expect(try await store.documentCount(collection: "django") == 0)
        #expect(try await store.releases("django-foo-bar", collection: "django").isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func migrationsAreVersionedAndIdempotent(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        try await store.upsert([StoredPackage(document: Self.doc("a"))], collection: "c")
        let applied = try await StoreFixture.appliedMigrations(store)
        #expect(Array(applied.prefix(3)) == ["v1-collections-documents", "v1-caches", "v1-api-keys"])
        #expect(applied.contains("v2-jobs"))
        if kind == .sqlite { #expect(applied.contains("v2-fts-vocabulary"), "the vocabulary read by typo-tolerant search") }
        try await store.close()
        // Two openers at once (workers starting together) migrate once, and reopening keeps data.
        let a = try fixture.reopen(), b = try fixture.reopen()
        async let countA = a.documentCount(collection: "c")
        async let countB = b.documentCount(collection: "c")
        #expect(try await [countA, countB] == [1, 1], "reopening keeps data")
        #expect(try await StoreFixture.appliedMigrations(a) == applied)
        try await a.close()
        try await b.close()
    }

    @Test func olderDocumentsDecodeWithDefaults() throws {
        let d = try DocumentCoding.decode(#"{"name":"x","summary":"s"}"#)
        #expect(d.normalizedName == "x")
        #expect(d.healthScore == 0)
        #expect(d.topics.isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func nameMatchOutranksDescriptionMatch(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        try await store.upsert([
            StoredPackage(document: Self.doc("other-package", summary: "Utilities", description: "Works well with celery queues and more text here")),
            StoredPackage(document: Self.doc("django-celery", summary: "Task queue integration")),
            StoredPackage(document: Self.doc("unrelated", summary: "Nothing to see")),
        ], collection: "c")
        let results = try await store.search(SearchQuery(text: "celery"), collection: "c")
        #expect(results.total == 2)
        #expect(results.hits.map(\.document.name) == ["django-celery", "other-package"])
        #expect(results.hits[0].score > results.hits[1].score)
        // Prefix matching and name parts.
        #expect(try await store.search(SearchQuery(text: "cel"), collection: "c").total == 2)
        #expect(try await store.search(SearchQuery(text: "django celery"), collection: "c").hits.first?.document.name == "django-celery")
        // FTS operators typed by a user are text, not syntax.
        // FTS operators typed by a user are text, not syntax: the same answer as the bare words.
        for typed in ["celery\" OR NEAR(x", "celery* AND -(", "\"celery\"", "celery:^"] {
            let words = typed.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).joined(separator: " ")
            let asTyped = try await store.search(SearchQuery(text: typed), collection: "c")
            let asWords = try await store.search(SearchQuery(text: words), collection: "c")
            #expect(asTyped.total == asWords.total, "\(typed)")
            #expect(asTyped.hits.map(\.document.name) == asWords.hits.map(\.document.name), "\(typed)")
        }
        #expect(try await store.search(SearchQuery(text: "\"celery\""), collection: "c").total == 2)
    }

    @Test(arguments: StoreKind.allCases) func filtersSortsFacetsAndPages(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        var packages: [StoredPackage] = []
        for i in 0..<30 {
            packages.append(StoredPackage(document: Self.doc(
                String(format: "pkg-%02d", i), summary: "package number \(i)", stars: i * 10, health: i * 3,
                official: i % 10 == 0, frameworks: i % 2 == 0 ? ["5.0"] : ["4.2"], keywords: ["Shared", "k\(i % 3)"])))
        }
        try await store.upsert(packages, collection: "c")
        let byStars = try await store.search(SearchQuery(sort: .stars, perPage: 5), collection: "c")
        #expect(byStars.total == 30)
        #expect(byStars.hits.map(\.document.githubStars) == [290, 280, 270, 260, 250])
        let page2 = try await store.search(SearchQuery(sort: .stars, page: 2, perPage: 5), collection: "c")
        #expect(page2.hits.first?.document.githubStars == 240)
        let ascending = try await store.search(SearchQuery(sort: .stars, descending: false, perPage: 1), collection: "c")
        #expect(ascending.hits.first?.document.githubStars == 0)
        let byName = try await store.search(SearchQuery(sort: .name, perPage: 2), collection: "c")
        #expect(byName.hits.map(\.document.name) == ["pkg-00", "pkg-01"])

        let healthy = try await store.search(SearchQuery(filters: [.range(field: "health_score", min: 60, max: nil)]), collection: "c")
        #expect(healthy.total == 10)
        let official = try await store.search(SearchQuery(filters: [.flag(field: "is_official", value: true)]), collection: "c")
        #expect(Set(official.hits.map(\.document.name)) == ["pkg-00", "pkg-10", "pkg-20"])
        let combined = try await store.search(SearchQuery(text: "package", filters: [
            .contains(field: "framework_versions", value: "5.0"), .range(field: "github_stars", min: 100, max: 200),
        ], facets: ["framework_versions", "keywords"]), collection: "c")
        #expect(combined.total == 6)  // 10,12,…,20
        // Disjunctive: the framework facet ignores the framework filter (stars 100–200: 6 with 5.0, 5 with 4.2).
        #expect(combined.facets["framework_versions"] == [FacetCount(value: "5.0", count: 6), FacetCount(value: "4.2", count: 5)])
        #expect(combined.facets["keywords"]?.first == FacetCount(value: "shared", count: 6))
        // Facets count only the collection searched, with or without a full-text match.
        try await store.upsert(packages.prefix(4).map { StoredPackage(document: $0.document) }, collection: "other")
        let everything = try await store.search(SearchQuery(facets: ["framework_versions"]), collection: "c")
        #expect(everything.facets["framework_versions"] == [FacetCount(value: "4.2", count: 15), FacetCount(value: "5.0", count: 15)])
        let worded = try await store.search(SearchQuery(text: "package", facets: ["framework_versions"]), collection: "c")
        #expect(worded.facets["framework_versions"] == [FacetCount(value: "4.2", count: 15), FacetCount(value: "5.0", count: 15)])
        #expect(try await store.search(SearchQuery(filters: [.contains(field: "keywords", value: "SHARED")]), collection: "c").total == 30)
        await #expect(throws: SearchError.self) {
            _ = try await store.search(SearchQuery(filters: [.range(field: "doc; DROP TABLE documents", min: 1, max: nil)]), collection: "c")
        }
    }

    @Test(arguments: StoreKind.allCases) func collectionsAndAliases(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        try await store.ensureCollection("plone-1", profile: "plone")
        try await store.upsert([StoredPackage(document: Self.doc("plone.app.x"))], collection: "plone-1")
        await #expect(throws: StoreError.self) { try await store.setAlias("plone", target: "nope") }
        try await store.setAlias("plone", target: "plone-1")
        #expect(try await store.resolveCollection("plone") == "plone-1")
        #expect(try await store.resolveCollection("plone-1") == "plone-1")
        #expect(try await store.resolveCollection("django") == nil)
        #expect(try await store.collections() == [CollectionInfo(name: "plone-1", profile: "plone", documents: 1, createdAt: try await store.collections()[0].createdAt)])
        try await store.upsert([StoredPackage(document: Self.doc("plone.app.y"))], collection: "plone-2")
        try await store.setAlias("plone", target: "plone-2")
        #expect(try await store.resolveCollection("plone") == "plone-2")
        try await store.deleteCollection("plone-2")
        #expect(try await store.resolveCollection("plone") == nil, "alias goes with its collection")
        #expect(try await store.search(SearchQuery(text: "y"), collection: "plone-2").total == 0)
        #expect(try await store.collections().map(\.name) == ["plone-1"])
    }

    @Test(arguments: StoreKind.allCases) func cachesDedupProblemsCheckpoints(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        let cached = CachedResponse(url: "http://127.0.0.1/pypi/a/json", etag: "\"e1\"", lastModified: nil, body: Array("{}".utf8), storedAt: 5)
        try await store.saveCachedResponse(cached)
        #expect(try await store.cachedResponse(for: cached.url) == cached)
        #expect(try await store.cachedResponse(for: "http://other") == nil)

        try await store.saveGitHubRepos([GitHubCacheEntry(key: "Owner/Repo", data: Array("{\"stars\":1}".utf8), etag: "W/\"x\"", fetchedAt: 10, status: 200)])
        let repos = try await store.githubRepos(["owner/repo", "OWNER/REPO", "none/none"])
        #expect(repos.count == 1)
        #expect(repos["owner/repo"]?.etag == "W/\"x\"")

        #expect(try await store.claimDedupKey("new:foo", ttl: 100, now: 1000))
        #expect(try await !store.claimDedupKey("new:foo", ttl: 100, now: 1050))
        #expect(try await store.claimDedupKey("new:foo", ttl: 100, now: 1100), "expired keys can be claimed again")
        #expect(try await store.claimDedupKey("update:foo:1.0", ttl: 10, now: 1000))
        #expect(try await store.purgeExpiredDedupKeys(now: 1020) == 1)

        try await store.recordProblems([Problem(package: "Foo_Bar", kind: "pypi-json", message: "bad JSON", seenAt: 1)], collection: "c")
        try await store.recordProblems([Problem(package: "foo-bar", kind: "pypi-json", message: "still bad", seenAt: 2)], collection: "c")
        #expect(try await store.problems(collection: "c", package: "foo.bar").map(\.message) == ["still bad"])
        try await store.clearProblems(packages: ["foo-bar"], kind: nil, collection: "c")
        #expect(try await store.problems(collection: "c", package: nil).isEmpty)

        try await store.saveCheckpoint("crawl:plone", value: #"{"done":3}"#)
        #expect(try await store.checkpoint("crawl:plone") == #"{"done":3}"#)
        try await store.deleteCheckpoint("crawl:plone")
        #expect(try await store.checkpoint("crawl:plone") == nil)
    }

    @Test(arguments: StoreKind.allCases) func apiKeysAreStoredHashed(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        let value = APIKeyHash.generate()
        let info = try await store.createAPIKey(value: value, scope: .search, collections: ["flet"], description: "front end")
        #expect(info.prefix == String(value.prefix(6)))
        #expect(try await store.findAPIKey(value: value)?.id == info.id)
        #expect(try await store.findAPIKey(value: value + "x") == nil)
        #expect(try await store.findAPIKey(value: String(value.dropLast()) + "!") == nil)
        #expect(try await store.apiKeys() == [info])
        try await store.close()
        if kind == .sqlite {
            let raw = try Data(contentsOf: URL(fileURLWithPath: String(fixture.url.dropFirst("sqlite:".count))))
            #expect(raw.range(of: Data(value.utf8)) == nil, "the key value is never written to the database")
        }
        let reopened = try fixture.reopen()
        #expect(try await reopened.deleteAPIKey(id: info.id))
        #expect(try await reopened.findAPIKey(value: value) == nil)
        #expect(APIKeyHash.constantTimeEquals("abc", "abc"))
        #expect(!APIKeyHash.constantTimeEquals("abc", "abd"))
        #expect(!APIKeyHash.constantTimeEquals("abc", "abcd"))
    }

    /// Many reads and writes at once all succeed (no "database is locked"); that reads are not
    /// *blocked* is shown by `aReadCompletesWhileAWriteIsOpen`, which this test cannot show.
    @Test(arguments: StoreKind.allCases) func concurrentReadsAndWritesAllSucceed(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        try await store.upsert([StoredPackage(document: Self.doc("seed"))], collection: "c")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for batch in 0..<20 {
                    let docs = (0..<50).map { StoredPackage(document: Self.doc("p-\(batch)-\($0)", summary: "text \($0)")) }
                    try await store.upsert(docs, collection: "c")
                }
            }
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<50 { _ = try await store.search(SearchQuery(text: "text"), collection: "c") }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.documentCount(collection: "c") == 1001)
    }

    /// Readers are not blocked by a writer: a write transaction is opened on another connection
    /// (as a crawl in another process holds one) and stays open while the store answers a count and
    /// a search — which therefore completed during the write, by construction, not by timing — and
    /// they see the state before it; after the commit they see the write.
    @Test(arguments: StoreKind.allCases) func aReadCompletesWhileAWriteIsOpen(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        try await store.upsert([StoredPackage(document: Self.doc("seed", summary: "seed text")), StoredPackage(document: Self.doc("other"))], collection: "c")
        var during: (count: Int, found: Int) = (-1, -1)
        let read = { () async throws -> (count: Int, found: Int) in
            (try await store.documentCount(collection: "c"), try await store.search(SearchQuery(text: "seed"), collection: "c").total)
        }
        if let sqlite = store as? SQLiteStore {
            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true  // the transaction spans two accesses on purpose
            let writer = try DatabaseQueue(path: sqlite.path, configuration: configuration)
            try await writer.writeWithoutTransaction { db in
                // EXCLUSIVE: with a rollback journal it shuts every reader out until the commit;
                // only WAL lets the reads below through (there it is the same as IMMEDIATE).
                try db.execute(sql: "BEGIN EXCLUSIVE")
                try db.execute(sql: "DELETE FROM documents WHERE collection = 'c' AND name = 'seed'")
            }
            during = try await read()
            try await writer.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
            try writer.close()
        } else if let postgres = store as? PostgresStore {
            during = try await postgres.client.withConnection { connection in
                _ = try await connection.query("BEGIN", logger: postgres.logger)
                _ = try await connection.query("DELETE FROM documents WHERE collection = 'c' AND name = 'seed'", logger: postgres.logger)
                let seen = try await read()
                _ = try await connection.query("COMMIT", logger: postgres.logger)
                return seen
            }
        }
        #expect(during.count == 2 && during.found == 1, "a read during the write sees the state before it: \(during)")
        let after = try await read()
        #expect(after.count == 1 && after.found == 0, "after the commit: \(after)")
        try await store.close()
    }

    @Test func storeURLs() async throws {
        #expect(StoreLocator.redact("postgres://trawl:hunter2@127.0.0.1:5432/trawl") == "postgres://trawl:***@127.0.0.1:5432/trawl")
        #expect(StoreLocator.redact("postgresql://trawl:p@ss@db:5432/trawl") == "postgresql://trawl:***@db:5432/trawl")
        #expect(throws: StoreError.self) { _ = try StoreLocator.open("mysql://x") }
        #expect(throws: StoreError.self) { _ = try StoreLocator.open("postgres://trawl:pw@127.0.0.1:5432/db?sslmode=sometimes") }
        // A PostgreSQL URL opens a PostgresStore (connecting lazily); its description hides the password.
        let pg = try StoreLocator.open("postgresql://trawl:hunter2@127.0.0.1:1/trawl")
        #expect(pg is PostgresStore)
        #expect(pg.redactedDescription == "postgres://trawl:***@127.0.0.1:1/trawl")
        await #expect(throws: (any Error).self) { _ = try await pg.documentCount(collection: "c") }
        do { _ = try await pg.documentCount(collection: "c") } catch { #expect(!"\(error)".contains("hunter2")) }
        try await pg.close()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-url-\(UUID().uuidString)/a/b.sqlite").path
        let store = try StoreLocator.open("sqlite:\(path)")
        #expect(store.redactedDescription == "sqlite:\(path)")
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
