import Foundation
import TestSupport
import Testing
import TrawlCore
import TrawlStore

/// Packages a run could not fetch stay pending and the next run of any kind fetches them first
/// (issue 20), driven through the binary against an index that sheds load with 429s asking to be
/// called again after forever.
@Suite struct PendingCLITests {
    static let world = CrawlCLITests.projects(60)

    func environment(_ fake: FakePyPI, store: String) -> [String: String] {
        [
            "TRAWL_PYPI_URL": fake.baseURL, "TRAWL_STORE": "sqlite:\(store)", "TRAWL_CLICKHOUSE_URL": "http://127.0.0.1:1",
            "TRAWL_PYPISTATS_URL": "http://127.0.0.1:1", "TRAWL_GITHUB_API_URL": "http://127.0.0.1:1",
            "TRAWL_HTTP_BACKOFF_MS": "5", "TRAWL_HTTP_MAX_ATTEMPTS": "2", "TRAWL_REFRESH_CONFIRM_DELAY": "0.05",
        ]
    }

    static func object(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// Each `Retry-After` past the longest wait, each next run: what the first run left is fetched.
    @Test(arguments: [
        ("inf", ["crawl", "-p", "plone", "--json"]),
        ("1e30", ["crawl", "-p", "plone", "--refresh", "--json"]),
        ("999999", ["enrich", "health", "-p", "plone", "--json"]),
        ("inf", ["crawl", "-p", "plone", "--full", "--discovery", "scan", "--json"]),
    ])
    func whatARunCouldNotFetchIsFetchedByTheNext(retryAfter: String, next: [String]) async throws {
        let fake = try await FakePyPI.start(Self.world)
        fake.setFaults([.firstRequest429(percent: 30, retryAfter: retryAfter)])
        let dir = TrawlProcess.temporaryDirectory()
        let storePath = dir.appendingPathComponent("t.sqlite").path
        let env = environment(fake, store: storePath)

        let first = try await TrawlProcess.run(["crawl", "-p", "plone", "--discovery", "scan", "--json"], environment: env)
        #expect(first.status == 3, "problems exit 3: \(first.stderr)")
        let summary = Self.object(first.stdout)
        let pending = summary["pending"] as? Int ?? -1
        let indexed = summary["indexed"] as? Int ?? -1
        #expect(pending > 0 && indexed > 0, "some, not all, were left: \(summary)")
        #expect((summary["pending_reasons"] as? [String: Int])?[PendingPackage.rateLimited] ?? 0 > 0, "\(summary)")
        #expect((summary["call_again_at"] as? [String: String])?["pypi"] != nil, "the summary says when the index asked to be called again")
        // One line says it, whatever the number of refused requests; no line is long.
        let told = first.stderr.split(separator: "\n").filter { $0.contains("asked not to be called before") }
        #expect(told.count == 1, "\(first.stderr)")
        #expect(first.stderr.split(separator: "\n").allSatisfy { $0.count <= 1_000 })

        let show = try await TrawlProcess.run(["show", "--problems", "-p", "plone"], environment: env)
        #expect(show.stdout.contains("\(pending) pending (\(PendingPackage.rateLimited)"), "\(show.stdout)")
        let shown = try await TrawlProcess.run(["show", "--problems", "-p", "plone", "--json"], environment: env)
        let waiting = Set(((Self.object(shown.stdout)["pending"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String })
        #expect(waiting.count == pending)
        // Every Plone package is stored or waits; the Flask one may wait too (a scan cut short cannot
        // tell a member from another project before fetching it).
        let plone = Set(Self.world.filter { $0.classifiers.contains { $0.hasPrefix("Framework :: Plone") } }.map { FakePyPI.normalize($0.name) })
        let reader = try SQLiteStore(path: storePath)
        let stored = Set(try await reader.documentNames(collection: "plone"))
        try await reader.close()
        #expect(stored.count == indexed)
        #expect(plone.subtracting(stored) == plone.intersection(waiting), "nothing forgotten")

        fake.setFaults([])  // the index has recovered
        let second = try await TrawlProcess.run(next, environment: env)
        #expect(second.status == 0, "\(second.stderr)")
        let after = Self.object(second.stdout)
        #expect(after["pending_retried"] as? Int == pending, "\(after)")
        #expect(after["pending"] as? Int == 0, "\(after)")

        let store = try SQLiteStore(path: storePath)
        #expect(Set(try await store.documentNames(collection: "plone")) == plone)
        #expect(try await store.problems(collection: "plone", package: nil).isEmpty, "stored packages lose their fetch problems")
        #expect(try await PendingPackages.load(from: store, collection: "plone").isEmpty)
        try await store.close()
        try await fake.shutdown()
    }

    /// A worker job takes only the pending packages whose backoff is over; a command takes them all.
    @Test func aWorkerRetriesPendingPackagesOnlyAfterTheirBackoff() async throws {
        let fake = try await FakePyPI.start(CrawlCLITests.projects(20))
        let dir = TrawlProcess.temporaryDirectory()
        let path = dir.appendingPathComponent("t.sqlite").path
        var env = environment(fake, store: path)
        env["TRAWL_WORKER_POLL_MS"] = "50"
        #expect(try await TrawlProcess.run(["crawl", "-p", "plone", "--discovery", "scan", "--quiet"], environment: env).status == 0)
        let released = (0..<5).map { String(format: "collective.addon%04d", $0 * 3) }
        for name in released { fake.release(name, version: "7.0") }
        fake.setFaults([.projectJSON503])
        let failed = try await TrawlProcess.run(["crawl", "-p", "plone", "--json"], environment: env)
        #expect(failed.status == 3, "\(failed.stderr.suffix(1_000))")
        #expect(Self.object(failed.stdout)["pending"] as? Int == 5, "\(failed.stdout)")
        fake.setFaults([])

        let store = try StoreLocator.open("sqlite:\(path)")
        func versions() async throws -> [String] {
            var out: [String] = []
            for name in released { out.append(try await store.document(name, collection: "plone")?.version ?? "") }
            return out
        }
        // Not due yet: a feed poll leaves them waiting.
        var pending = try await PendingPackages.load(from: store, collection: "plone")
        let waiting = pending.due(at: 0, all: true)
        #expect(waiting.map(\.name) == released.map(FakePyPI.normalize))
        #expect(waiting.allSatisfy { $0.attempts == 1 && $0.notBefore > Int64(Date().timeIntervalSince1970) })
        try await store.enqueue(NewJob(kind: JobKind.pollFeeds, profile: "plone", uniqueKey: "poll-1"), now: 0)
        let early = try await TrawlProcess.run(["worker", "--once", "--no-schedule"], environment: env, directory: dir)
        #expect(early.status == 0, "\(early.stderr.suffix(1_500))")
        #expect(try await versions().allSatisfy { $0 != "7.0" })
        #expect(try await PendingPackages.load(from: store, collection: "plone").count == 5)

        // Their backoff over (as if the hour had passed): the next feed poll fetches them.
        pending = PendingPackages(waiting.map { var entry = $0; entry.notBefore = 0; return entry })
        try await pending.save(to: store, collection: "plone")
        try await store.enqueue(NewJob(kind: JobKind.pollFeeds, profile: "plone", uniqueKey: "poll-2"), now: 0)
        let due = try await TrawlProcess.run(["worker", "--once", "--no-schedule"], environment: env, directory: dir)
        #expect(due.status == 0, "\(due.stderr.suffix(1_500))")
        #expect(try await versions() == Array(repeating: "7.0", count: 5))
        #expect(try await PendingPackages.load(from: store, collection: "plone").isEmpty)
        try await store.close()
        try await fake.shutdown()
    }

    /// A URL carrying a thousand names (a ClickHouse downloads query) is shown without its query.
    @Test func logLinesStayShortWhenAnUpstreamFails() async throws {
        let fake = try await FakePyPI.start(CrawlCLITests.projects(1_200))
        let dir = TrawlProcess.temporaryDirectory()
        let env = environment(fake, store: dir.appendingPathComponent("t.sqlite").path)
        let crawl = try await TrawlProcess.run(["crawl", "-p", "plone", "--discovery", "scan", "--no-enrich", "--quiet"], environment: env)
        #expect(crawl.status == 0, "\(crawl.stderr)")
        let enrich = try await TrawlProcess.run(["enrich", "downloads", "-p", "plone", "--force", "-v"], environment: env)
        let lines = enrich.stderr.split(separator: "\n")
        #expect(lines.contains { $0.contains("127.0.0.1:1") }, "the failing upstream is named: \(enrich.stderr.prefix(2_000))")
        let longest = lines.map(\.count).max() ?? 0
        #expect(longest <= 1_000, "longest line \(longest)")
        #expect(!enrich.stderr.contains("collective-addon0999"), "no list of names in the log")
        try await fake.shutdown()
    }
}
