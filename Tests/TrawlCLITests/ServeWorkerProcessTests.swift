import AsyncHTTPClient
import Foundation
import TestSupport
import Testing
import TrawlCore
import TrawlStore

/// `trawl serve --worker` left running as users run it: two profiles crawled into one store,
/// releases of both published while it runs become searchable through the Typesense-compatible
/// endpoint (the in-memory index) and the API, and the profiles nobody crawled or named are never
/// crawled. Timings are printed, not asserted; the test waits generously.
@Suite struct ServeWorkerProcessTests {
    static let adminKey = "serve-worker-admin-key-0123456789"

    @Test func releasesOfTwoProfilesBecomeSearchableAndAnUncrawledProfileIsNeverCrawled() async throws {
        var world = (0..<4).map { FakePyPI.Project(name: "flask-ext-\($0)", classifiers: ["Framework :: Flask"], summary: "Flask extension \($0)") }
        world += (0..<4).map { FakePyPI.Project(name: "collective.thing\($0)", classifiers: ["Framework :: Plone :: 6.1"], summary: "Plone add-on \($0)") }
        world.append(FakePyPI.Project(name: "django-unnamed", classifiers: ["Framework :: Django"]))
        let fake = try await FakePyPI.start(world)
        let dir = TrawlProcess.temporaryDirectory()
        let storeURL = "sqlite:" + dir.appendingPathComponent("t.sqlite").path
        var env = CrawlCLITests().environment(fake, store: dir.appendingPathComponent("t.sqlite").path)
        env["TRAWL_ADMIN_KEY"] = Self.adminKey
        env["TRAWL_WORKER_POLL_MS"] = "100"
        for p in ["flask", "plone"] {
            let crawl = try await TrawlProcess.run(["crawl", "-p", p, "--discovery", "scan", "--quiet"], environment: env, directory: dir)
            #expect(crawl.status == 0 || crawl.status == 3, "\(crawl.stderr.suffix(1000))")
        }

        // -p flask names the page's profile; plone is kept because its collection exists; django
        // and flet have none and are not named.
        let serve = try await ServingProcess.start(["serve", "--port", "0", "--worker", "-p", "flask"], environment: env, directory: dir)
        let released = ContinuousClock.now
        var wanted: [(collection: String, name: String, version: String)] = []
        for i in 0..<3 {
            fake.release("flask-ext-\(i)", version: "2.0.\(i)")
            wanted.append(("flask", "flask-ext-\(i)", "2.0.\(i)"))
            fake.release("collective.thing\(i)", version: "3.0.\(i)")
            wanted.append(("plone", "collective-thing\(i)", "3.0.\(i)"))
        }
        fake.add(FakePyPI.Project(name: "collective.brandnew", versions: ["0.1"], classifiers: ["Framework :: Plone :: 6.1"]))
        wanted.append(("plone", "collective-brandnew", "0.1"))
        fake.release("django-unnamed", version: "9.9")

        var pending = wanted
        var seen: [String: Duration] = [:]
        let deadline = ContinuousClock.now + .seconds(150)
        while !pending.isEmpty, ContinuousClock.now < deadline, serve.process.isRunning {
            var still: [(collection: String, name: String, version: String)] = []
            for item in pending {
                if try await searchedVersion(serve, collection: item.collection, name: item.name) == item.version {
                    seen["\(item.collection)/\(item.name)"] = ContinuousClock.now - released
                } else {
                    still.append(item)
                }
            }
            pending = still
            if !pending.isEmpty { try await Task.sleep(for: .milliseconds(250)) }
        }
        print("serve --worker: release → searchable per package: \(seen.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" })")
        #expect(pending.isEmpty, "not searchable after 150 s: \(pending.map(\.name)); stderr: \(serve.stderr.suffix(3000))")
        // The API (the same store, the same index) agrees.
        let api = try await get(serve, "/api/v1/plone/packages/collective-brandnew")
        #expect((try JSONSerialization.jsonObject(with: Data(api.utf8)) as? [String: Any]).flatMap { ($0["document"] as? [String: Any])?["version"] as? String } == "0.1", "\(api.prefix(300))")

        #expect(await serve.stop() == 0, "\(serve.stderr.suffix(2000))")
        let store = try StoreLocator.open(storeURL)
        let collections = Set(try await store.collections().map(\.name))
        #expect(collections == ["flask", "plone"], "no collection for a profile nobody crawled or named: \(collections)")
        let jobs = try await store.jobs(status: nil, limit: 10_000)
        #expect(!jobs.contains { $0.profile == "flet" || $0.profile == "django" }, "\(Set(jobs.compactMap(\.profile)))")
        #expect(jobs.contains { $0.profile == "plone" && $0.kind == JobKind.pollFeeds }, "the existing plone collection is kept fresh")
        try await store.close()
        try await fake.shutdown()
    }

    func get(_ serve: ServingProcess, _ path: String) async throws -> String {
        var request = HTTPClientRequest(url: serve.baseURL + path)
        request.headers.add(name: "X-TYPESENSE-API-KEY", value: Self.adminKey)
        let response = try await HTTPClient.shared.execute(request, timeout: TestTimeouts.clientRequest)
        return String(buffer: try await response.body.collect(upTo: 8 << 20))
    }

    /// The version of `name`'s hit in a search for it through the Typesense-compatible endpoint.
    func searchedVersion(_ serve: ServingProcess, collection: String, name: String) async throws -> String? {
        let body = try await get(serve, "/collections/\(collection)/documents/search?q=\(name)&query_by=name&per_page=5")
        let hits = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["hits"] as? [[String: Any]] ?? []
        return hits.lazy.compactMap { $0["document"] as? [String: Any] }.first { $0["normalized_name"] as? String == name }?["version"] as? String
    }
}
