import Foundation
import TestSupport
import Testing
import TrawlCore
import TrawlStore

/// `trawl crawl/show/search/export` end to end against the fake index, including `kill -9`.
@Suite struct CrawlCLITests {
    static func projects(_ count: Int) -> [FakePyPI.Project] {
        var list = (0..<count).map { i in
            FakePyPI.Project(name: String(format: "collective.addon%04d", i), versions: ["1.0", "1.\(i % 7)"],
                             classifiers: ["Framework :: Plone :: 6.\(i % 2)"], summary: "Addon number \(i) for Plone sites")
        }
        list.append(.init(name: "flask-other", classifiers: ["Framework :: Flask"]))
        return list
    }

    func environment(_ fake: FakePyPI, store: String) -> [String: String] {
        [
            "TRAWL_PYPI_URL": fake.baseURL, "TRAWL_STORE": "sqlite:\(store)", "TRAWL_CLICKHOUSE_URL": "http://127.0.0.1:1",
            "TRAWL_PYPISTATS_URL": "http://127.0.0.1:1", "TRAWL_GITHUB_API_URL": "http://127.0.0.1:1",
            "TRAWL_HTTP_BACKOFF_MS": "5", "TRAWL_HTTP_MAX_ATTEMPTS": "2", "TRAWL_REFRESH_CONFIRM_DELAY": "0.05",
        ]
    }

    @Test func crawlJSONSummaryThenShowSearchExport() async throws {
        let fake = try await FakePyPI.start(Self.projects(30))
        let dir = TrawlProcess.temporaryDirectory()
        let env = environment(fake, store: dir.appendingPathComponent("t.sqlite").path)
        let crawl = try await TrawlProcess.run(["crawl", "-p", "plone", "--discovery", "scan", "--json"], environment: env)
        #expect(crawl.status == 0, "\(crawl.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(crawl.stdout.utf8)) as? [String: Any]
        #expect(summary?["mode"] as? String == "full", "an empty collection gets a full crawl")
        #expect(summary?["indexed"] as? Int == 30)
        #expect(summary?["discovered"] as? Int == 30)
        #expect((summary?["requests"] as? [String: Any])?["pypi"] as? Int ?? 0 >= 31)
        for key in ["profile", "fetched", "unchanged", "removed", "problems", "seconds"] { #expect(summary?[key] != nil, "missing \(key)") }

        let again = try await TrawlProcess.run(["crawl", "-p", "plone", "--json"], environment: env)
        let second = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]
        #expect(second?["mode"] as? String == "incremental", "a filled collection gets an incremental crawl")

        let show = try await TrawlProcess.run(["show", "Collective.Addon0003", "-p", "plone"], environment: env)
        #expect(show.status == 0)
        #expect(show.stdout.contains("collective.addon0003 1.3"))
        let showJSON = try await TrawlProcess.run(["show", "collective-addon0003", "-p", "plone", "--json", "--all-versions"], environment: env)
        let shown = try JSONSerialization.jsonObject(with: Data(showJSON.stdout.utf8)) as? [String: Any]
        #expect((shown?["releases"] as? [Any])?.count == 2)
        #expect((shown?["document"] as? [String: Any])?["normalized_name"] as? String == "collective-addon0003")

        let search = try await TrawlProcess.run(["search", "addon", "number", "7", "-p", "plone", "--json", "--limit", "3"], environment: env)
        let hits = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any]
        #expect((hits?["hits"] as? [[String: Any]])?.count ?? 0 >= 1)
        // --explain: the exact name first, with its reasons (JSON and text).
        let explained = try await TrawlProcess.run(["search", "collective.addon0003", "-p", "plone", "--json", "--explain", "--limit", "2"], environment: env)
        let top = ((try JSONSerialization.jsonObject(with: Data(explained.stdout.utf8)) as? [String: Any])?["hits"] as? [[String: Any]])?.first
        #expect((top?["document"] as? [String: Any])?["normalized_name"] as? String == "collective-addon0003")
        #expect((top?["explain"] as? [String: Any])?["tier"] as? String == "exact_name")
        let text = try await TrawlProcess.run(["search", "collective.addon0003", "-p", "plone", "--explain", "--limit", "1"], environment: env)
        #expect(text.stdout.contains("tier exact_name (level 14) in name"), "\(text.stdout)")

        let exportFile = dir.appendingPathComponent("plone.jsonl").path
        let export = try await TrawlProcess.run(["export", "-p", "plone", "--format", "jsonl", "--output", exportFile], environment: env)
        #expect(export.status == 0)
        let lines = try String(contentsOfFile: exportFile, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 30)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        for field in ["name", "normalized_name", "version", "version_sortable", "upload_timestamp", "health_score", "profiles", "first_seen"] {
            #expect(first?[field] != nil, "export lacks \(field)")
        }
        try await fake.shutdown()
    }

    @Test func theShrinkGuardExits3AndForceRemoves() async throws {
        let fake = try await FakePyPI.start(Self.projects(6))
        let dir = TrawlProcess.temporaryDirectory()
        let env = environment(fake, store: dir.appendingPathComponent("t.sqlite").path)
        #expect(try await TrawlProcess.run(["crawl", "-p", "plone", "--discovery", "scan", "--quiet"], environment: env).status == 0)
        for i in 0..<4 { fake.remove(String(format: "collective.addon%04d", i)) }
        let refused = try await TrawlProcess.run(["crawl", "-p", "plone", "--refresh", "--json"], environment: env)
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("shrink guard: would remove 4 of the 6 packages of 'plone'"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--force"))
        let summary = try JSONSerialization.jsonObject(with: Data(refused.stdout.utf8)) as? [String: Any]
        #expect(summary?["removed"] as? Int == 0)
        #expect((summary?["withheld"] as? String)?.isEmpty == false)
        let forced = try await TrawlProcess.run(["crawl", "-p", "plone", "--refresh", "--force", "--json"], environment: env)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect((try JSONSerialization.jsonObject(with: Data(forced.stdout.utf8)) as? [String: Any])?["removed"] as? Int == 4)
        try await fake.shutdown()
    }

    /// An outage is not an empty world (docs/design.md: "a run that discovers nothing because an
    /// upstream failed exits non-zero"), checked through the binary as a user and a scheduler see it:
    /// an index answering 503 everywhere, and one whose project list is empty, each make a first
    /// crawl exit 1 with one `crawl failed:` line naming the cause, print no summary and store nothing.
    @Test(arguments: ["down", "lists no project"])
    func anIndexOutageIsNotAnEmptyWorld(outage: String) async throws {
        let index = try await LoopbackServer.start { request in
            guard outage == "lists no project", request.path.hasPrefix("/simple") else { return .text("down for maintenance", status: 503) }
            return .json(#"{"meta":{"api-version":"1.1","_last-serial":5},"projects":[]}"#,
                         headers: [("Content-Type", "application/vnd.pypi.simple.v1+json")])
        }
        let dir = TrawlProcess.temporaryDirectory()
        let store = dir.appendingPathComponent("t.sqlite").path
        let env = [
            "TRAWL_PYPI_URL": index.baseURL, "TRAWL_STORE": "sqlite:\(store)", "TRAWL_CLICKHOUSE_URL": "http://127.0.0.1:1",
            "TRAWL_PYPISTATS_URL": "http://127.0.0.1:1", "TRAWL_GITHUB_API_URL": "http://127.0.0.1:1",
            "TRAWL_HTTP_BACKOFF_MS": "5", "TRAWL_HTTP_MAX_ATTEMPTS": "2", "TRAWL_REFRESH_CONFIRM_DELAY": "0.05",
        ]
        let crawl = try await TrawlProcess.run(["crawl", "-p", "plone", "--discovery", "scan", "--json"], environment: env)
        try await index.shutdown()
        #expect(crawl.status == 1, "\(outage): \(crawl.stderr.suffix(2000))")
        let failures = crawl.stderr.split(separator: "\n").filter { $0.hasPrefix("crawl failed:") }
        #expect(failures.count == 1, "\(outage): \(crawl.stderr.suffix(2000))")
        #expect(failures.first?.contains(outage == "down" ? "HTTP 503" : "list no project") == true, "\(failures)")
        #expect(crawl.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "no summary of a run that did not happen: \(crawl.stdout)")
        let opened = try StoreLocator.open("sqlite:\(store)")
        #expect(try await opened.documentCount(collection: "plone") == 0)
        try await opened.close()
    }

    @Test func problemsGiveExitCode3AndAreListed() async throws {
        let fake = try await FakePyPI.start(Self.projects(5))
        fake.setRawBody("collective.addon0002", "<html>Service temporarily broken</html>")
        let dir = TrawlProcess.temporaryDirectory()
        let env = environment(fake, store: dir.appendingPathComponent("t.sqlite").path)
        let crawl = try await TrawlProcess.run(["crawl", "-p", "plone", "--discovery", "scan", "--quiet"], environment: env)
        #expect(crawl.status == 3, "\(crawl.stderr)")
        let problems = try await TrawlProcess.run(["show", "--problems", "-p", "plone"], environment: env)
        #expect(problems.stdout.contains("collective-addon0002  [pypi-json]"), "\(problems.stdout)")
        try await fake.shutdown()
    }

    @Test func manualModeWithClassifierAndTarget() async throws {
        let fake = try await FakePyPI.start(Self.projects(3))
        let dir = TrawlProcess.temporaryDirectory()
        let env = environment(fake, store: dir.appendingPathComponent("t.sqlite").path)
        let crawl = try await TrawlProcess.run(["crawl", "--classifier", "Framework :: Flask", "--target", "flaskish", "--discovery", "scan", "--json"], environment: env)
        #expect(crawl.status == 0, "\(crawl.stderr)")
        let names = try await SQLiteStore(path: dir.appendingPathComponent("t.sqlite").path).documentNames(collection: "flaskish")
        #expect(names == ["flask-other"])
        let bad = try await TrawlProcess.run(["crawl", "--classifier", "Framework: Flask", "--target", "x"], environment: env)
        #expect(bad.status == 2)
        try await fake.shutdown()
    }

    /// 600 packages: a scan prefetches every project's JSON, so only the store phase (30 batches of
    /// 20) is left to be killed in; with fewer, a fast machine stored them all between two polls.
    @Test func killDashNineThenRerunEqualsACleanRun() async throws {
        let fake = try await FakePyPI.start(Self.projects(600))
        let dir = TrawlProcess.temporaryDirectory()
        let cleanStore = dir.appendingPathComponent("clean.sqlite").path
        let clean = try await TrawlProcess.run(["crawl", "-p", "plone", "--full", "--discovery", "scan", "--quiet"], environment: environment(fake, store: cleanStore))
        #expect(clean.status == 0, "\(clean.stderr)")

        fake.setFaults([.latency(.milliseconds(15))])
        let killedStore = dir.appendingPathComponent("killed.sqlite").path
        var env = environment(fake, store: killedStore)
        env["TRAWL_BATCH_SIZE"] = "20"
        env["TRAWL_PYPI_CONCURRENCY"] = "4"
        let process = try TrawlProcess.spawn(["crawl", "-p", "plone", "--full", "--discovery", "scan", "--quiet"], environment: env, directory: dir)
        var count = 0
        for _ in 0..<2000 {
            try await Task.sleep(for: .milliseconds(10))
            if FileManager.default.fileExists(atPath: killedStore),
                let n = try? await SQLiteStore(path: killedStore).documentCount(collection: "plone") { count = n }
            if count >= 60 { break }
        }
        kill(process.processIdentifier, SIGKILL)
        while process.isRunning { try await Task.sleep(for: .milliseconds(5)) }
        #expect(count >= 60 && count < 600, "killed mid-run after \(count) documents")
        fake.setFaults([])
        let rerun = try await TrawlProcess.run(["crawl", "-p", "plone", "--discovery", "scan", "--json"], environment: env)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("\"resumed\":true"), "\(rerun.stdout)")
        let a = try await Self.snapshot(cleanStore), b = try await Self.snapshot(killedStore)
        #expect(a.count == 600)
        #expect(a == b, "the resumed collection equals the clean one")
        try await fake.shutdown()
    }

    static func snapshot(_ path: String) async throws -> [PackageDocument] {
        let store = try SQLiteStore(path: path)
        var docs: [PackageDocument] = []
        for name in try await store.documentNames(collection: "plone") {
            guard var d = try await store.document(name, collection: "plone") else { continue }
            d.firstSeen = 0
            d.lastSynced = 0
            docs.append(d)
        }
        return docs
    }
}

/// `trawl compare` prints the table the page shows.
@Suite struct CompareCLITests {
    @Test func compareTwoCrawledPackagesAndReportAMissingOne() async throws {
        let fake = try await FakePyPI.start(CrawlCLITests.projects(4))
        let dir = TrawlProcess.temporaryDirectory()
        let env = CrawlCLITests().environment(fake, store: dir.appendingPathComponent("t.sqlite").path)
        #expect(try await TrawlProcess.run(["crawl", "-p", "plone", "--discovery", "scan", "--quiet"], environment: env).status == 0)
        let table = try await TrawlProcess.run(["compare", "collective.addon0001", "collective.addon0003", "-p", "plone"], environment: env)
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.contains("collective.addon0001") == true && lines.first?.contains("collective.addon0003") == true)
        #expect(lines.contains { $0.hasPrefix("Latest version") && $0.contains("1.1") && $0.contains("1.3") }, "\(table.stdout)")
        #expect(lines.contains { $0.hasPrefix("Health score") })
        let json = try await TrawlProcess.run(["compare", "collective.addon0002,nope", "-p", "plone", "--json"], environment: env)
        #expect(json.status == 1)
        #expect(json.stderr.contains("not in collection 'plone': nope"))
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["packages"] as? [String] == ["collective-addon0002"])
        #expect(object?["missing"] as? [String] == ["nope"])
        #expect(try await TrawlProcess.run(["compare", "-p", "plone"], environment: env).status == 64)
        try await fake.shutdown()
    }
}
