import Foundation
import Logging
import Synchronization
import Testing
import TrawlCore
@testable import TrawlStore

/// The durable job queue, on both stores: claims, leases, retries, dead letters, unique slots.
@Suite struct JobQueueTests {
    @Test(arguments: StoreKind.allCases) func enqueueClaimComplete(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let q = fixture.store
        let a = try #require(try await q.enqueue(NewJob(kind: JobKind.pollFeeds, profile: "plone"), now: 100))
        let b = try #require(try await q.enqueue(NewJob(kind: JobKind.updateProject, profile: "plone", arguments: #"{"name":"x"}"#), now: 101))
        #expect(try await q.enqueue(NewJob(kind: "later", runAt: 500), now: 102) != nil)
        #expect(try await q.claimJob(worker: "w1", kinds: ["nothing-of-this-kind"], lease: 60, now: 200) == nil)
        #expect(try await q.claimJob(worker: "w1", kinds: [], lease: 60, now: 200) == nil)
        let first = try #require(try await q.claimJob(worker: "w1", kinds: nil, lease: 60, now: 200))
        #expect(first.id == a && first.attempts == 1 && first.leaseExpiresAt == 260 && first.profile == "plone")
        let second = try #require(try await q.claimJob(worker: "w2", kinds: [JobKind.updateProject], lease: 60, now: 200))
        #expect(second.id == b && second.arguments == #"{"name":"x"}"#)
        #expect(try await q.claimJob(worker: "w3", kinds: nil, lease: 60, now: 200) == nil, "the third job is not due yet")
        #expect(try await !q.completeJob(a, worker: "w2", now: 210), "only the holder acknowledges")
        #expect(try await q.completeJob(a, worker: "w1", now: 210))
        #expect(try await q.job(a)?.status == .done)
        #expect(try await q.job(a)?.finishedAt == 210)
        let counts = try await q.jobCounts()
        #expect(counts.contains(JobCount(kind: JobKind.pollFeeds, status: .done, count: 1)))
        #expect(counts.contains(JobCount(kind: JobKind.updateProject, status: .running, count: 1)))
        #expect(counts.contains(JobCount(kind: "later", status: .pending, count: 1)))
        #expect(try await q.jobs(status: .running, limit: 10).map(\.id) == [b])
        #expect(try await q.jobs(status: nil, limit: 10).count == 3)
    }

    @Test(arguments: StoreKind.allCases) func aScheduleSlotIsEnqueuedOnce(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let q = fixture.store
        // Many "workers" (separate store connections) race for the same slot.
        var stores: [any Store] = [q]
        for _ in 0..<3 { stores.append(try fixture.reopen()) }
        let ids = try await withThrowingTaskGroup(of: Int64?.self) { group in
            for i in 0..<12 {
                let store = stores[i % stores.count]
                group.addTask {
                    try await store.enqueue(NewJob(kind: JobKind.pollFeeds, profile: "flet", uniqueKey: "schedule:flet:incremental:202611231830"), now: 1)
                }
            }
            return try await group.reduce(into: [Int64]()) { if let id = $1 { $0.append(id) } }
        }
        #expect(ids.count == 1)
        #expect(try await q.jobs(status: nil, limit: 100).count == 1)
        #expect(try await q.enqueue(NewJob(kind: JobKind.pollFeeds, profile: "flet", uniqueKey: "schedule:flet:incremental:202611231831"), now: 2) != nil)
        for store in stores.dropFirst() { try await store.close() }
    }

    @Test(arguments: StoreKind.allCases) func anExpiredLeaseLetsAnotherWorkerRunTheJob(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let q = fixture.store
        let id = try #require(try await q.enqueue(NewJob(kind: JobKind.fullFetch, profile: "plone"), now: 0))
        let claimed = try #require(try await q.claimJob(worker: "dies", kinds: nil, lease: 10, now: 1000))
        #expect(try await q.renewLease(job: id, worker: "dies", lease: 10, now: 1005))
        #expect(try await q.claimJob(worker: "other", kinds: nil, lease: 10, now: 1014) == nil, "renewed: still held")
        let retaken = try #require(try await q.claimJob(worker: "other", kinds: nil, lease: 10, now: 1016))
        #expect(retaken.id == claimed.id && retaken.attempts == 2)
        #expect(try await !q.renewLease(job: id, worker: "dies", lease: 10, now: 1017), "the old holder learns it lost the job")
        #expect(try await !q.completeJob(id, worker: "dies", now: 1017))
        #expect(try await q.failJob(id, worker: "dies", error: "x", retryAt: 2000, now: 1017) == nil)
        #expect(try await q.completeJob(id, worker: "other", now: 1018))
        #expect(try await q.job(id)?.status == .done)
    }

    @Test(arguments: StoreKind.allCases) func retriesWithBackoffThenDeadLetters(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let q = fixture.store
        let id = try #require(try await q.enqueue(NewJob(kind: JobKind.enrichDownloads, profile: "django", maxAttempts: 3), now: 0))
        var now: Int64 = 100
        for attempt in 1...3 {
            let job = try #require(try await q.claimJob(worker: "w", kinds: nil, lease: 30, now: now))
            #expect(job.attempts == attempt)
            let status = try await q.failJob(id, worker: "w", error: "boom \(attempt)", retryAt: now + 50, now: now)
            #expect(status == (attempt < 3 ? .failed : .dead))
            #expect(try await q.claimJob(worker: "w", kinds: nil, lease: 30, now: now + 49) == nil, "not before the backoff")
            now += 50
        }
        let dead = try #require(try await q.job(id))
        #expect(dead.status == .dead && dead.lastError == "boom 3" && dead.attempts == 3)
        #expect(try await q.claimJob(worker: "w", kinds: nil, lease: 30, now: now + 10_000) == nil, "dead letters are not claimed")

        // A permanent failure (no retry time) is dead at once; a worker dying on the last attempt too.
        let bad = try #require(try await q.enqueue(NewJob(kind: JobKind.updateProject, maxAttempts: 5), now: 0))
        _ = try #require(try await q.claimJob(worker: "w", kinds: nil, lease: 30, now: now))
        #expect(try await q.failJob(bad, worker: "w", error: "no name", retryAt: nil, now: now) == .dead)
        let fragile = try #require(try await q.enqueue(NewJob(kind: JobKind.pollFeeds, maxAttempts: 1), now: 0))
        _ = try #require(try await q.claimJob(worker: "dies", kinds: nil, lease: 30, now: now))
        #expect(try await q.claimJob(worker: "w", kinds: nil, lease: 30, now: now + 31) == nil)
        #expect(try await q.job(fragile)?.status == .dead)
        #expect(try await q.job(fragile)?.lastError?.contains("lease expired") == true)
    }

    @Test(arguments: StoreKind.allCases) func concurrentClaimsNeverShareAJob(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let q = fixture.store
        for i in 0..<60 { try await q.enqueue(NewJob(kind: "test", arguments: "{\"i\":\(i)}"), now: 0) }
        var stores: [any Store] = [q]
        for _ in 0..<3 { stores.append(try fixture.reopen()) }
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (n, store) in stores.enumerated() {
                for lane in 0..<2 {
                    group.addTask {
                        var mine: [Int64] = []
                        while let job = try await store.claimJob(worker: "w\(n)-\(lane)", kinds: nil, lease: 600, now: 10) {
                            mine.append(job.id)
                            #expect(try await store.completeJob(job.id, worker: "w\(n)-\(lane)", now: 11))
                        }
                        return mine
                    }
                }
            }
            return try await group.reduce(into: [Int64]()) { $0 += $1 }
        }
        #expect(claimed.count == 60)
        #expect(Set(claimed).count == 60, "no job was claimed twice")
        #expect(try await q.jobCounts() == [JobCount(kind: "test", status: .done, count: 60)])
        for store in stores.dropFirst() { try await store.close() }
    }

    @Test(arguments: StoreKind.allCases) func purgeHeartbeatsAndWorkersSeen(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let q = fixture.store
        for _ in 0..<3 { try await q.enqueue(NewJob(kind: "a"), now: 0) }
        _ = try await q.claimJob(worker: "w", kinds: nil, lease: 60, now: 1)
        try await q.workerHeartbeat(WorkerInfo(id: "old", host: "h", pid: 1, startedAt: 0, seenAt: 100, running: 0))
        try await q.workerHeartbeat(WorkerInfo(id: "new", host: "h", pid: 2, startedAt: 0, seenAt: 150, running: 0))
        try await q.workerHeartbeat(WorkerInfo(id: "new", host: "h", pid: 2, startedAt: 0, seenAt: 200, running: 1))
        #expect(try await q.workers(seenSince: 140).map(\.id) == ["new"])
        #expect(try await q.workers(seenSince: 140).first?.running == 1)
        #expect(try await q.purgeJobs(statuses: [.pending]) == 2)
        #expect(try await q.purgeJobs(statuses: []) == 1)
        #expect(try await q.jobCounts().isEmpty)
    }

    // MARK: The worker loop over a real store

    static func worker(_ store: any Store, _ handlers: JobHandlers, limits: [String: JobLimits] = [:], attempts: Int = 3) -> QueueWorker {
        QueueWorker(
            queue: store, handlers: handlers,
            configuration: .init(concurrency: 2, lease: 30, idlePoll: .milliseconds(20), once: true, schedule: false,
                                 limits: limits, backoff: JobBackoff(base: 0), maxAttempts: attempts),
            logger: { var logger = Logger(label: "test"); logger.logLevel = .critical; return logger }())
    }

    @Test(arguments: StoreKind.allCases) func workerRunsRetriesAndDeadLetters(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        var handlers = JobHandlers()
        handlers.register("ok") { _ in }
        handlers.register("flaky") { job in if job.attempts < 2 { throw Flaky() } }
        handlers.register("broken") { _ in throw Flaky() }
        handlers.register("invalid") { _ in throw PermanentJobError("bad arguments") }
        for kind in ["ok", "ok", "flaky", "broken", "invalid"] { try await store.enqueue(NewJob(kind: kind, maxAttempts: 3), now: 0) }
        try await store.enqueue(NewJob(kind: "unknown-kind"), now: 0)
        let summary = try await Self.worker(store, handlers).run()
        #expect(summary.completed == 3)  // ok, ok, flaky on its 2nd attempt
        #expect(summary.dead == 2)  // broken after 3 attempts, invalid at once
        let jobs = try await store.jobs(status: nil, limit: 10)
        #expect(jobs.first { $0.kind == "broken" }?.attempts == 3)
        #expect(jobs.first { $0.kind == "invalid" }?.attempts == 1)
        #expect(jobs.first { $0.kind == "unknown-kind" }?.status == .pending, "kinds a worker cannot run are left for one that can")
    }

    @Test(arguments: StoreKind.allCases) func softLimitKeepsPartialResultsAndHardLimitAbandons(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let store = fixture.store
        var handlers = JobHandlers()
        handlers.register("long") { job in
            // Saves progress as it goes, like a crawl's batches, and honours cancellation.
            for step in 1...1000 {
                try await store.saveCheckpoint("long:\(job.id)", value: "\(step)")
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        handlers.register("stubborn") { _ in
            // Ignores cancellation entirely: waits on work it cannot cancel.
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Task.detached {
                    try? await Task.sleep(for: .seconds(3))
                    done.resume()
                }
            }
        }
        let long = try #require(try await store.enqueue(NewJob(kind: "long", maxAttempts: 1), now: 0))
        let stubborn = try #require(try await store.enqueue(NewJob(kind: "stubborn", maxAttempts: 1), now: 0))
        let summary = try await Self.worker(store, handlers, limits: [
            "long": JobLimits(soft: .milliseconds(300), hard: .seconds(20)),
            "stubborn": JobLimits(soft: .milliseconds(100), hard: .milliseconds(400)),
        ]).run()
        #expect(summary.dead == 2)
        #expect(try await store.job(long)?.lastError?.contains("soft time limit") == true)
        #expect(Int(try await store.checkpoint("long:\(long)") ?? "0") ?? 0 >= 1, "partial progress was kept")
        #expect(try await store.job(stubborn)?.lastError?.contains("hard time limit") == true)
    }

    @Test(arguments: StoreKind.allCases) func aBatchIsEnqueuedAtOnceSkippingKnownKeys(_ kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let q = fixture.store
        try await q.enqueue(NewJob(kind: JobKind.notify, uniqueKey: "notify:b"), now: 1)
        let batch = ["a", "b", "c", "a"].map { NewJob(kind: JobKind.notify, profile: "plone", arguments: #"{"k":"\#($0)"}"#, uniqueKey: "notify:\($0)", maxAttempts: 8) }
        #expect(try await q.enqueue(batch, now: 2) == 2, "b was queued before, a is repeated in the batch")
        #expect(try await q.enqueue([NewJob](), now: 3) == 0)
        let jobs = try await q.jobs(status: .pending, limit: 10)
        #expect(Set(jobs.compactMap(\.uniqueKey)) == ["notify:a", "notify:b", "notify:c"])
        #expect(jobs.first { $0.uniqueKey == "notify:c" }?.maxAttempts == 8)
    }

    @Test func webhookDeliveriesHaveALaneOfTheirOwn() {
        let kinds = [JobKind.fullFetch, JobKind.notify, JobKind.pollFeeds, JobKind.updateProject]
        let runners = QueueWorker.runnerKinds(kinds, .init(concurrency: 2))
        #expect(runners == [
            [JobKind.fullFetch, JobKind.pollFeeds, JobKind.updateProject], [JobKind.fullFetch, JobKind.pollFeeds, JobKind.updateProject],
            [JobKind.pollFeeds, JobKind.updateProject], [JobKind.notify],
        ])
        #expect(QueueWorker.runnerKinds(kinds, .init(concurrency: 1, fastLane: false, deliveryLane: false)) == [kinds])
        #expect(QueueWorker.runnerKinds([JobKind.notify], .init(concurrency: 3)) == [[JobKind.notify]], "no idle general runners")
        #expect(QueueWorker.runnerKinds(["test_sleep"], .init(concurrency: 2)) == [["test_sleep"], ["test_sleep"]])
    }

    /// Webhook deliveries run in a lane of their own: the general runners never claim them, so a
    /// receiver that hangs cannot hold a runner a crawl needs.
    @Test func deliveriesAreClaimedOnlyByTheDeliveryLane() async throws {
        guard let fixture = try await StoreFixture.make(.sqlite) else { return }
        let queue = ClaimRecorder(fixture.store)
        var handlers = JobHandlers()
        handlers.register(JobKind.notify) { _ in }
        handlers.register(JobKind.fullFetch) { _ in }
        handlers.register(JobKind.pollFeeds) { _ in }
        for kind in [JobKind.notify, JobKind.fullFetch, JobKind.notify, JobKind.pollFeeds] { try await fixture.store.enqueue(NewJob(kind: kind), now: 0) }
        let worker = QueueWorker(
            queue: queue, handlers: handlers,
            configuration: .init(concurrency: 2, idlePoll: .milliseconds(20), once: true, schedule: false, backoff: JobBackoff(base: 0)),
            logger: { var logger = Logger(label: "test"); logger.logLevel = .critical; return logger }())
        let summary = try await worker.run()
        #expect(summary.completed == 4)
        let claims = queue.claims
        #expect(claims.filter { $0.kind == JobKind.notify }.count == 2)
        #expect(claims.allSatisfy { ($0.kind == JobKind.notify) == ($0.kinds == [JobKind.notify]) }, "\(claims)")
        #expect(claims.contains { !$0.kinds.contains(JobKind.notify) && $0.kinds.contains(JobKind.fullFetch) })
    }

    @Test func scheduleSlotsFollowTheProfiles() throws {
        var profile = Profile(key: "flet", name: "Flet", sources: [], enrichers: [], origin: ProfileOrigin(path: "t", layer: .dropIn))
        profile.schedule = .defaults
        let sunday0200 = Date(timeIntervalSince1970: 1_763_863_200)  // 2025-11-23 02:00 UTC, a Sunday
        let jobs = JobSchedule.due([profile], at: sunday0200.addingTimeInterval(42))
        #expect(Set(jobs.map(\.kind)) == [JobKind.pollFeeds, JobKind.refreshProfile])
        #expect(jobs.map(\.uniqueKey).contains("schedule:flet:incremental:202511230200"))
        // Feed polls: three per minute slot, at +0, +20 and +40 s, each its own unique slot key.
        let polls = JobSchedule.due([profile], at: sunday0200.addingTimeInterval(60))
        #expect(polls.map(\.kind) == Array(repeating: JobKind.pollFeeds, count: 3))
        #expect(polls.map(\.uniqueKey) == ["schedule:flet:incremental:202511230201", "schedule:flet:incremental:202511230201+20s", "schedule:flet:incremental:202511230201+40s"])
        #expect(polls.map(\.runAt) == [nil, 1_763_863_260 + 20, 1_763_863_260 + 40])
        profile.schedule.incremental = nil
        #expect(JobSchedule.due([profile], at: sunday0200.addingTimeInterval(60)).isEmpty)
        #expect(JobBackoff(base: 30, cap: 100).delay(afterAttempt: 1) == 30)
        #expect(JobBackoff(base: 30, cap: 100).delay(afterAttempt: 3) == 100)
    }

    @Test func githubAndDownloadsSlotsNeedTheirEnricher() throws {
        let origin = ProfileOrigin(path: "t", layer: .dropIn)
        var plain = Profile(key: "plain", name: "Plain", sources: [], enrichers: [PluginSpec(kind: "pypi")], origin: origin)
        plain.schedule = .defaults
        var full = plain
        full.key = "full"
        full.enrichers = ["pypi", "github", "downloads"].map { PluginSpec(kind: $0) }
        let monday0500 = Date(timeIntervalSince1970: 1_763_960_400)  // 2025-11-24 05:00 UTC, a Monday
        let jobs = JobSchedule.due([plain, full], at: monday0500)
        #expect(jobs.filter { $0.kind == JobKind.updateGitHub }.map(\.profile) == ["full"])
        #expect(jobs.contains { $0.uniqueKey == "schedule:full:github:202511240500" })
        #expect(jobs.filter { $0.kind == JobKind.pollFeeds }.count == 2 * JobSchedule.pollOffsets.count)
        let sunday0400 = Date(timeIntervalSince1970: 1_763_870_400)  // 2025-11-23 04:00 UTC, a Sunday
        #expect(JobSchedule.due([plain, full], at: sunday0400).filter { $0.kind == JobKind.enrichDownloads }.map(\.profile) == ["full"])
        full.schedule.github = nil
        #expect(!JobSchedule.due([full], at: monday0500).contains { $0.kind == JobKind.updateGitHub })
    }
}

/// An ordinary (retryable) failure.
struct Flaky: Error {}

/// A queue that records which kinds each successful claim asked for.
final class ClaimRecorder: JobQueue, Sendable {
    let base: any Store
    private let recorded = Mutex<[(kinds: [String], kind: String)]>([])

    init(_ base: any Store) { self.base = base }

    var claims: [(kinds: [String], kind: String)] { recorded.withLock { $0 } }

    func claimJob(worker: String, kinds: [String]?, lease: Int64, now: Int64) async throws -> ClaimedJob? {
        let job = try await base.claimJob(worker: worker, kinds: kinds, lease: lease, now: now)
        if let job { recorded.withLock { $0.append((kinds ?? [], job.kind)) } }
        return job
    }

    func enqueue(_ job: NewJob, now: Int64) async throws -> Int64? { try await base.enqueue(job, now: now) }
    func enqueue(_ jobs: [NewJob], now: Int64) async throws -> Int { try await base.enqueue(jobs, now: now) }
    func renewLease(job: Int64, worker: String, lease: Int64, now: Int64) async throws -> Bool {
        try await base.renewLease(job: job, worker: worker, lease: lease, now: now)
    }
    func completeJob(_ job: Int64, worker: String, now: Int64) async throws -> Bool { try await base.completeJob(job, worker: worker, now: now) }
    func failJob(_ job: Int64, worker: String, error: String, retryAt: Int64?, now: Int64) async throws -> JobStatus? {
        try await base.failJob(job, worker: worker, error: error, retryAt: retryAt, now: now)
    }
    func job(_ id: Int64) async throws -> JobRecord? { try await base.job(id) }
    func jobs(status: JobStatus?, limit: Int) async throws -> [JobRecord] { try await base.jobs(status: status, limit: limit) }
    func jobCounts() async throws -> [JobCount] { try await base.jobCounts() }
    func purgeJobs(statuses: [JobStatus]) async throws -> Int { try await base.purgeJobs(statuses: statuses) }
    func workerHeartbeat(_ worker: WorkerInfo) async throws { try await base.workerHeartbeat(worker) }
    func workers(seenSince since: Int64) async throws -> [WorkerInfo] { try await base.workers(seenSince: since) }
}
