import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing
import TrawlCore
import TrawlStore

/// `trawl worker` and `trawl queue` as processes: many workers on one PostgreSQL, one killed
/// with `kill -9` mid-job; schedule slots; dead letters; purge safety.
@Suite struct WorkerCLITests {
    /// A fresh PostgreSQL database, or nil (skipped locally, failed in CI) where there is none.
    static func postgres() async throws -> String? {
        guard let server = try await PostgresServer.running() else {
            if RequiredServer.inCI { Issue.record("PostgreSQL is required in CI (scripts/setup installs Debian's postgresql)") }
            print("skipped: PostgreSQL is not installed (apt-get install postgresql)")
            return nil
        }
        return try await server.database()
    }

    static func environment(store: String) -> [String: String] {
        [
            "TRAWL_STORE": store, "TRAWL_WORKER_TEST_KINDS": "1", "TRAWL_WORKER_LEASE": "2", "TRAWL_WORKER_POLL_MS": "100",
            "TRAWL_JOB_RETRY_BASE": "0", "TRAWL_PYPI_URL": "http://127.0.0.1:1", "TRAWL_CLICKHOUSE_URL": "http://127.0.0.1:1",
            "TRAWL_PYPISTATS_URL": "http://127.0.0.1:1",
        ]
    }

    @Test func twoWorkersOneKilledMidJobEveryJobCompletesOnce() async throws {
        guard let url = try await Self.postgres() else { return }
        let dir = TrawlProcess.temporaryDirectory()
        let marker = dir.appendingPathComponent("done.txt")
        _ = FileManager.default.createFile(atPath: marker.path, contents: nil)
        let store = try StoreLocator.open(url)
        var ids: [Int64] = []
        for _ in 0..<12 {
            let arguments = #"{"ms": 1500, "marker": "\#(marker.path)"}"#
            ids.append(try #require(try await store.enqueue(NewJob(kind: "test_sleep", arguments: arguments, maxAttempts: 5), now: Int64(Date().timeIntervalSince1970))))
        }
        let env = Self.environment(store: url)
        let victim = try TrawlProcess.spawn(["worker", "--no-schedule"], environment: env, directory: dir)
        let survivor = try TrawlProcess.spawn(["worker", "--no-schedule"], environment: env, directory: dir)
        // Kill the victim while it holds a job.
        var killedJob: Int64?
        for _ in 0..<300 where killedJob == nil {
            try await Task.sleep(for: .milliseconds(50))
            killedJob = try await store.jobs(status: .running, limit: 20).first { $0.worker?.contains(":\(victim.processIdentifier):") == true }?.id
        }
        kill(victim.processIdentifier, SIGKILL)
        let killed = try #require(killedJob, "the victim claimed a job")
        var finished = false
        for _ in 0..<600 where !finished {
            try await Task.sleep(for: .milliseconds(100))
            finished = try await store.jobCounts() == [JobCount(kind: "test_sleep", status: .done, count: ids.count)]
        }
        kill(survivor.processIdentifier, SIGKILL)
        while victim.isRunning || survivor.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        let counts = try await store.jobCounts()
        #expect(finished, "every job completed: \(counts)")
        let lines = try String(contentsOf: marker, encoding: .utf8).split(separator: "\n").compactMap { Int64($0) }
        #expect(lines.sorted() == ids.sorted(), "each job's work happened exactly once")
        let rerun = try #require(try await store.job(killed))
        #expect(rerun.attempts == 2, "the killed worker's job ran again after its lease expired")
        #expect(rerun.worker?.contains(":\(survivor.processIdentifier):") == true)
        try await store.close()
    }

    @Test func aScheduleSlotIsEnqueuedOnceWithThreeWorkers() async throws {
        guard let url = try await Self.postgres() else { return }
        let dir = TrawlProcess.temporaryDirectory()
        let profiles = dir.appendingPathComponent("profiles")
        try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
        try """
            key: slotty
            name: Slotty
            sources:
              - kind: pypi-names
                names: [slot-package]
            enrichers: [pypi]
            schedule:
              incremental: "*/5 * * * *"
              refresh: "0 3 * * *"
              downloads: ""
              full: ""
            """.write(to: profiles.appendingPathComponent("slotty.yaml"), atomically: true, encoding: .utf8)
        let fake = try await FakePyPI.start([.init(name: "slot-package", summary: "One package")])
        var env = Self.environment(store: url)
        env["TRAWL_PROFILES_DIR"] = profiles.path
        env["TRAWL_PYPI_URL"] = fake.baseURL
        env["TRAWL_HTTP_MAX_ATTEMPTS"] = "1"
        // 2026-11-01 03:00 UTC: both the incremental (every 5 minutes) and the refresh (03:00 daily) are due.
        let at = "1793502000"
        let workerEnv = env
        let results = try await withThrowingTaskGroup(of: TrawlProcess.Result.self) { group in
            for _ in 0..<3 {
                group.addTask { try await TrawlProcess.run(["worker", "--once", "-p", "slotty", "--schedule-at", at], environment: workerEnv, directory: dir) }
            }
            var all: [TrawlProcess.Result] = []
            for try await result in group { all.append(result) }
            return all
        }
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        let store = try StoreLocator.open(url)
        let jobs = try await store.jobs(status: nil, limit: 100)
        #expect(Set(jobs.compactMap(\.uniqueKey)) == [
            "schedule:slotty:incremental:202611010300", "schedule:slotty:incremental:202611010300+20s",
            "schedule:slotty:incremental:202611010300+40s", "schedule:slotty:refresh:202611010300",
        ])
        #expect(jobs.count == 4, "each slot once (three feed polls and a refresh), though three workers scheduled it")
        #expect(jobs.allSatisfy { $0.status == .done }, "\(jobs.map { "\($0.kind) \($0.status) \($0.lastError ?? "")" })")
        #expect(try await store.documentNames(collection: "slotty") == ["slot-package"], "the scheduled crawl ran")
        let stats = try await TrawlProcess.run(["queue", "stats", "--json"], environment: env, directory: dir)
        let json = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
        #expect((json?["totals"] as? [String: Int])?["done"] == 4, "\(stats.stdout)")
        #expect(((json?["kinds"] as? [String: [String: Int]])?["poll_feeds"])?["done"] == 3)
        try await store.close()
        try await fake.shutdown()
    }

    @Test func failingJobsAreDeadLetteredAndStatsShowThem() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        let url = "sqlite:\(dir.appendingPathComponent("q.sqlite").path)"
        let store = try StoreLocator.open(url)
        try await store.enqueue(NewJob(kind: "test_fail", maxAttempts: 3), now: 0)
        try await store.enqueue(NewJob(kind: "test_sleep"), now: 0)
        try await store.enqueue(NewJob(kind: JobKind.updateProject, profile: "plone"), now: 0)
        var env = Self.environment(store: url)
        env["TRAWL_JOB_MAX_ATTEMPTS"] = "3"
        let run = try await TrawlProcess.run(["worker", "--once", "--no-schedule"], environment: env, directory: dir)
        #expect(run.status == 3, "failures give exit 3: \(run.stderr)")
        #expect(run.stdout.contains("1 done"), "\(run.stdout)")
        let jobs = try await store.jobs(status: nil, limit: 10)
        let failing = try #require(jobs.first { $0.kind == "test_fail" })
        #expect(failing.status == .dead && failing.attempts == 3)
        #expect(jobs.first { $0.kind == JobKind.updateProject }?.status == .dead, "a job without its arguments is dead at once")
        #expect(jobs.first { $0.kind == JobKind.updateProject }?.lastError?.contains("needs {\"name\"") == true)
        let stats = try await TrawlProcess.run(["queue", "stats"], environment: env, directory: dir)
        #expect(stats.status == 0)
        #expect(stats.stdout.contains("test_fail"))
        #expect(stats.stdout.contains("workers seen in the last minute: 1"), "\(stats.stdout)")
        try await store.close()
    }

    @Test func jobKindsRunTheCrawlCode() async throws {
        let fake = try await FakePyPI.start(CrawlCLITests.projects(6))
        let dir = TrawlProcess.temporaryDirectory()
        let path = dir.appendingPathComponent("t.sqlite").path
        var env = CrawlCLITests().environment(fake, store: path)
        env["TRAWL_WORKER_POLL_MS"] = "50"
        let store = try StoreLocator.open("sqlite:\(path)")
        // The first poll_feeds of an empty collection is a full crawl.
        try await store.enqueue(NewJob(kind: JobKind.pollFeeds, profile: "plone"), now: 0)
        let first = try await TrawlProcess.run(["worker", "--once", "--no-schedule"], environment: env, directory: dir)
        #expect(first.status == 0, "\(first.stderr.suffix(1500))")
        #expect(try await store.documentCount(collection: "plone") == 6)
        // update_project re-fetches one package.
        fake.release("collective.addon0002", version: "2.0")
        try await store.enqueue(NewJob(kind: JobKind.updateProject, profile: "plone", arguments: #"{"name": "Collective.Addon0002"}"#), now: 0)
        let second = try await TrawlProcess.run(["worker", "--once", "--no-schedule"], environment: env, directory: dir)
        #expect(second.status == 0, "\(second.stderr.suffix(1500))")
        #expect(try await store.document("collective.addon0002", collection: "plone")?.version == "2.0")
        #expect(try await store.checkpoint("crawl:plone:refresh:list") == nil, "a one-package job leaves no checkpoint behind")
        try await store.close()
        try await fake.shutdown()
    }

    @Test func sigtermHandsTheRunningJobBackAndExitsCleanly() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        let url = "sqlite:\(dir.appendingPathComponent("q.sqlite").path)"
        let store = try StoreLocator.open(url)
        let marker = dir.appendingPathComponent("done.txt")
        _ = FileManager.default.createFile(atPath: marker.path, contents: nil)
        let id = try #require(try await store.enqueue(NewJob(kind: "test_sleep", arguments: #"{"ms": 20000, "marker": "\#(marker.path)"}"#), now: 0))
        var env = Self.environment(store: url)
        env["TRAWL_WORKER_LEASE"] = "600"
        let worker = try TrawlProcess.spawn(["worker", "--no-schedule"], environment: env, directory: dir)
        var running = false
        for _ in 0..<300 where !running {
            try await Task.sleep(for: .milliseconds(50))
            running = try await store.job(id)?.status == .running
        }
        #expect(running)
        kill(worker.processIdentifier, SIGTERM)
        while worker.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        #expect(worker.terminationStatus == 0)
        let job = try #require(try await store.job(id))
        #expect(job.status == .failed, "handed back at once, not left until its 10-minute lease expires")
        #expect(job.lastError?.contains("worker stopped") == true)
        #expect(try String(contentsOf: marker, encoding: .utf8).isEmpty, "the job did not finish")
        try await store.close()
    }

    @Test func purgeAsksAndRefusesWithoutATerminal() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        let url = "sqlite:\(dir.appendingPathComponent("q.sqlite").path)"
        let store = try StoreLocator.open(url)
        for _ in 0..<4 { try await store.enqueue(NewJob(kind: JobKind.pollFeeds, profile: "plone"), now: 0) }
        let env = ["TRAWL_STORE": url]
        let refused = try await TrawlProcess.run(["queue", "purge"], environment: env, directory: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--force"))
        #expect(try await store.jobs(status: nil, limit: 10).count == 4, "nothing was deleted")
        let forced = try await TrawlProcess.run(["queue", "purge", "--force"], environment: env, directory: dir)
        #expect(forced.status == 0)
        #expect(forced.stdout.contains("purged 4 jobs"))
        #expect(try await store.jobs(status: nil, limit: 10).isEmpty)
        try await store.close()
    }
}

/// `trawl serve --worker`: one process serves and runs the queue; SIGTERM stops both cleanly.
@Suite struct ServeWorkerCLITests {
    @Test func serveWithWorkerRunsQueuedJobsAndServesTheirResults() async throws {
        let fake = try await FakePyPI.start(CrawlCLITests.projects(6))
        let dir = TrawlProcess.temporaryDirectory()
        let path = dir.appendingPathComponent("t.sqlite").path
        var env = CrawlCLITests().environment(fake, store: path)
        env["TRAWL_WORKER_POLL_MS"] = "50"
        env["TRAWL_ADMIN_KEY"] = "serve-worker-admin-key"
        let store = try StoreLocator.open("sqlite:\(path)")
        try await store.enqueue(NewJob(kind: JobKind.pollFeeds, profile: "plone"), now: 0)
        let port = try ServerPorts.free()
        let server = try TrawlProcess.spawn(["serve", "--worker", "--port", String(port), "-p", "plone"], environment: env, directory: dir)
        var indexed = 0
        for _ in 0..<600 where indexed < 6 {
            try await Task.sleep(for: .milliseconds(50))
            indexed = try await store.documentCount(collection: "plone")
        }
        #expect(indexed == 6, "the worker inside the server ran the queued crawl")
        // The server answers from what its worker stored.
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/api/v1/plone/packages?per_page=1")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let body = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(body?["found"] as? Int == 6, "\(String(decoding: data, as: UTF8.self).prefix(300))")
        kill(server.processIdentifier, SIGTERM)
        while server.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        #expect(server.terminationStatus == 0)
        #expect(try await store.jobs(status: .running, limit: 10).isEmpty, "no job is left claimed by a stopped server")
        try await store.close()
        try await fake.shutdown()
    }
}
