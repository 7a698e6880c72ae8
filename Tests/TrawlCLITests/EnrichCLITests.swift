import Foundation
import TestSupport
import Testing
import TrawlCore
import TrawlStore

/// `trawl enrich downloads|health` end to end on a stored collection.
@Suite struct EnrichCLITests {
    static let closed = "http://127.0.0.1:1"

    /// Every upstream at a closed port: any request would fail.
    static func offline(store: String, clickhouse: String = closed) -> [String: String] {
        [
            "TRAWL_STORE": "sqlite:\(store)", "TRAWL_PYPI_URL": closed, "TRAWL_CLICKHOUSE_URL": clickhouse,
            "TRAWL_PYPISTATS_URL": closed, "TRAWL_GITHUB_API_URL": closed,
            "TRAWL_HTTP_BACKOFF_MS": "5", "TRAWL_HTTP_MAX_ATTEMPTS": "2",
        ]
    }

    /// A stored plone collection of `count` packages with metadata and releases.
    static func seed(_ path: String, count: Int) async throws {
        let store = try SQLiteStore(path: path)
        let now = Int64(Date().timeIntervalSince1970)
        let packages = (0..<count).map { i in
            var d = PackageDocument(name: String(format: "plone.addon%02d", i))
            d.version = "1.0"
            d.summary = "An add-on for Plone sites, number \(i)"
            d.author = "Plone Foundation"
            d.license = "GPL"
            d.classifiers = ["Framework :: Plone", "Framework :: Plone :: 6.0", "Programming Language :: Python"]
            d.uploadTimestamp = now - Int64(i) * 40 * 86_400
            d.profiles = ["plone"]
            return StoredPackage(document: d, releases: [Release(version: "1.0", uploadTimestamp: d.uploadTimestamp)])
        }
        try await store.upsert(packages, collection: "plone")
    }

    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    @Test func healthRecomputesOfflineWithoutAnyRequest() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        let path = dir.appendingPathComponent("t.sqlite").path
        try await Self.seed(path, count: 12)
        let result = try await TrawlProcess.run(["enrich", "health", "-p", "plone", "--json"], environment: Self.offline(store: path))
        #expect(result.status == 0, "\(result.stderr)")
        let summary = Self.json(result.stdout)
        #expect(summary["documents"] as? Int == 12)
        #expect(summary["changed"] as? Int == 12)
        #expect((summary["requests"] as? [String: Int])?.values.allSatisfy { $0 == 0 } == true, "\(summary)")
        let store = try SQLiteStore(path: path)
        let fresh = try #require(try await store.document("plone.addon00", collection: "plone"))
        #expect(fresh.healthScore == 70, "recency 40 + author, license, classifiers 30: \(fresh.healthScoreBreakdown)")
        #expect(fresh.healthScoreBreakdown.values.reduce(0) { $0 + $1.points } == fresh.healthScore)
        #expect(try await store.releases("plone.addon00", collection: "plone").count == 1, "releases kept")
        let sorted = try await store.search(SearchQuery(sort: .health, perPage: 3), collection: "plone")
        #expect(sorted.hits.first?.document.healthScore == 70, "sortable by health")

        let show = try await TrawlProcess.run(["show", "plone.addon05", "-p", "plone"], environment: Self.offline(store: path))
        #expect(show.stdout.contains("health:     50/100"), "\(show.stdout)")
        #expect(show.stdout.contains("last release 200 days ago"), "\(show.stdout)")

        let again = try await TrawlProcess.run(["enrich", "health", "-p", "plone", "--json", "--name", "Plone.Addon03"], environment: Self.offline(store: path))
        #expect(Self.json(again.stdout)["documents"] as? Int == 1)
        #expect(Self.json(again.stdout)["changed"] as? Int == 0, "nothing changed, nothing written")
    }

    @Test func unknownKindsAreRefused() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        let env = Self.offline(store: dir.appendingPathComponent("t.sqlite").path)
        let unknown = try await TrawlProcess.run(["enrich", "stars", "-p", "plone"], environment: env)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("downloads, flags, github, health"), "\(unknown.stderr)")
        let missing = try await TrawlProcess.run(["enrich", "health", "-p", "plone", "--name", "nope"], environment: env)
        #expect(missing.status == 1)
    }

    @Test func downloadsFromClickHouseThenSkippedUntilForced() async throws {
        guard ClickHouseFake.isAvailable else {
            if RequiredServer.inCI { Issue.record("python3 with chdb is required in CI (scripts/setup installs it)") }
            print("skipped: python3 with chdb not installed (pip install chdb)")
            return
        }
        let rows: [[String: Any]] = (0..<12).flatMap { i in
            (0..<3).map { day in ["date": "2026-11-1\(day)", "project": String(format: "plone-addon%02d", i), "count": 10 + i] as [String: Any] }
        }
        let clickhouse = try ClickHouseFake.start(fixture: ["projects": [], "downloads": rows])
        defer { clickhouse.stop() }
        let dir = TrawlProcess.temporaryDirectory()
        let path = dir.appendingPathComponent("t.sqlite").path
        try await Self.seed(path, count: 12)
        let env = Self.offline(store: path, clickhouse: clickhouse.baseURL)

        let first = try await TrawlProcess.run(["enrich", "downloads", "-p", "plone", "--json"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect((Self.json(first.stdout)["requests"] as? [String: Int])?["clickhouse"] == 1, "\(first.stdout)")
        let store = try SQLiteStore(path: path)
        let d = try #require(try await store.document("plone.addon02", collection: "plone"))
        #expect((d.downloadLastDay, d.downloadLastWeek, d.downloadTotal, d.downloadSource) == (12, 36, 36, "clickhouse"))

        let second = try await TrawlProcess.run(["enrich", "downloads", "-p", "plone", "--json"], environment: env)
        #expect((Self.json(second.stdout)["requests"] as? [String: Int])?["clickhouse"] == 0, "fresh figures are not asked for again")
        let forced = try await TrawlProcess.run(["enrich", "downloads", "-p", "plone", "--json", "--force", "--limit", "5"], environment: env)
        #expect((Self.json(forced.stdout)["requests"] as? [String: Int])?["clickhouse"] == 1)
        #expect(Self.json(forced.stdout)["documents"] as? Int == 5)
        #expect(await clickhouse.queryCount() == 2)
    }
}
