public import Foundation
public import Logging

/// One `trawl worker`: runs the profiles' schedules (enqueuing each due slot once, however many
/// workers share the store) and executes claimed jobs, `concurrency` at a time.
///
/// Reusable outside the CLI command (`trawl serve --worker` runs one in the server process):
/// `run()` returns when `once` is set and the queue has nothing runnable, or when its task is cancelled.
public struct QueueWorker: Sendable {
    public struct Configuration: Sendable {
        /// Unique per process: `host:pid:random`.
        public var id: String
        public var profiles: [Profile]
        /// Narrows `profiles` before each scheduling pass (nil: all of them). `trawl worker` without
        /// `-p` keeps only profiles whose collection exists, asked again each minute so a profile
        /// crawled later joins without a restart.
        public var scope: (@Sendable ([Profile]) async throws -> [Profile])?
        public var concurrency: Int
        /// Seconds a claim lasts without renewal; renewed every third of it while the job runs.
        public var lease: Int64
        /// Seconds between claims when the queue is empty.
        public var idlePoll: Duration
        public var once: Bool
        /// Whether this worker enqueues the profiles' schedule slots.
        public var schedule: Bool
        /// A fixed "now" for the scheduler (tests, backfills); nil: the clock.
        public var scheduleAt: Date?
        public var limits: [String: JobLimits]
        public var backoff: JobBackoff
        /// Attempts before a scheduled job is dead-lettered.
        public var maxAttempts: Int
        /// Whether one extra runner claims only `JobSchedule.fastKinds` (feed polls, single-project
        /// updates), beside the `concurrency` runners that claim any kind.
        public var fastLane: Bool
        /// Whether `JobSchedule.deliveryKinds` (webhooks) run in one runner of their own instead of in
        /// the `concurrency` runners (which then never claim them).
        public var deliveryLane: Bool

        public init(
            id: String = QueueWorker.makeID(), profiles: [Profile] = [], concurrency: Int = 1, lease: Int64 = 60,
            idlePoll: Duration = .seconds(1), once: Bool = false, schedule: Bool = true, scheduleAt: Date? = nil,
            limits: [String: JobLimits] = JobLimits.defaults, backoff: JobBackoff = JobBackoff(), maxAttempts: Int = 5,
            fastLane: Bool = true, deliveryLane: Bool = true, scope: (@Sendable ([Profile]) async throws -> [Profile])? = nil
        ) {
            self.fastLane = fastLane
            self.deliveryLane = deliveryLane
            self.scope = scope
            self.id = id
            self.profiles = profiles
            self.concurrency = max(1, concurrency)
            self.lease = max(1, lease)
            self.idlePoll = idlePoll
            self.once = once
            self.schedule = schedule
            self.scheduleAt = scheduleAt
            self.limits = limits
            self.backoff = backoff
            self.maxAttempts = maxAttempts
        }

        public func limits(for kind: String) -> JobLimits { limits[kind] ?? JobLimits.fallback }
    }

    /// What happened to the jobs this worker ran (for `--once` summaries and tests).
    public struct Summary: Sendable, Equatable {
        public var completed = 0
        public var failed = 0
        public var dead = 0
        public var lost = 0
        public var scheduled = 0

        public init() {}
    }

    public let queue: any JobQueue
    public let handlers: JobHandlers
    public let configuration: Configuration
    public let logger: Logger

    public init(queue: any JobQueue, handlers: JobHandlers, configuration: Configuration, logger: Logger) {
        self.queue = queue
        self.handlers = handlers
        self.configuration = configuration
        self.logger = logger
    }

    public static func makeID() -> String {
        let host = ProcessInfo.processInfo.hostName
        return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    public func run() async throws -> Summary {
        let tally = Tally()
        let started = Self.now
        try await heartbeat(started: started, running: 0)
        if configuration.schedule { await tally.add(scheduled: try await enqueueDue(at: configuration.scheduleAt ?? Date())) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            if !configuration.once {
                // Background duties until cancelled: schedule each minute, heartbeat every 10 s.
                group.addTask {
                    var lastSlot = JobSchedule.slot(configuration.scheduleAt ?? Date())
                    var lastBeat = ContinuousClock.now
                    while !Task.isCancelled {
                        try await Task.sleep(for: .seconds(1))
                        let date = Date()
                        let slot = JobSchedule.slot(date)
                        if configuration.schedule && slot != lastSlot {
                            lastSlot = slot
                            do { await tally.add(scheduled: try await enqueueDue(at: date)) } catch {
                                logger.warning("cannot enqueue scheduled jobs", metadata: ["error": "\(error)"])
                            }
                        }
                        if ContinuousClock.now - lastBeat >= .seconds(10) {
                            lastBeat = .now
                            try? await heartbeat(started: started, running: await tally.running)
                        }
                    }
                }
            }
            for kinds in Self.runnerKinds(handlers.kinds, configuration) {
                group.addTask { try await runnerLoop(tally, kinds: kinds) }
            }
            if configuration.once {
                try await group.waitForAll()
            } else {
                // Runner loops never return unless cancelled; the first error ends the worker.
                _ = try await group.next()
                group.cancelAll()
            }
        }
        try? await heartbeat(started: started, running: 0)
        return await tally.summary
    }

    /// The kinds each runner claims, one entry per runner: `concurrency` general runners; the fast
    /// lane, one more runner that claims only short freshness jobs, so a release is picked up while
    /// every other runner is busy with a long job; and the delivery lane, webhooks only — and only
    /// there, so a receiver that times out holds a runner of its own, never one a crawl is waiting for.
    public static func runnerKinds(_ kinds: [String], _ configuration: Configuration) -> [[String]] {
        let delivery = configuration.deliveryLane ? kinds.filter(JobSchedule.deliveryKinds.contains) : []
        let general = kinds.filter { !delivery.contains($0) }
        var runners = general.isEmpty ? [] : Array(repeating: general, count: configuration.concurrency)
        let fast = kinds.filter(JobSchedule.fastKinds.contains)
        if configuration.fastLane, !fast.isEmpty { runners.append(fast) }
        if !delivery.isEmpty { runners.append(delivery) }
        return runners
    }

    /// Enqueues the slots due in `date`'s minute; returns how many were new.
    public func enqueueDue(at date: Date) async throws -> Int {
        var added = 0
        let profiles = try await configuration.scope?(configuration.profiles) ?? configuration.profiles
        for var job in JobSchedule.due(profiles, at: date) {
            job.maxAttempts = configuration.maxAttempts
            if let id = try await queue.enqueue(job, now: Self.now) {
                added += 1
                logger.info("scheduled", metadata: ["job": "\(id)", "kind": "\(job.kind)", "profile": "\(job.profile ?? "")"])
            }
        }
        return added
    }

    func heartbeat(started: Int64, running: Int) async throws {
        let host = ProcessInfo.processInfo.hostName
        try await queue.workerHeartbeat(WorkerInfo(
            id: configuration.id, host: host, pid: Int(ProcessInfo.processInfo.processIdentifier), startedAt: started,
            seenAt: Self.now, running: running))
    }

    func runnerLoop(_ tally: Tally, kinds: [String]) async throws {
        while !Task.isCancelled {
            let claimed: ClaimedJob?
            do {
                claimed = try await queue.claimJob(worker: configuration.id, kinds: kinds, lease: configuration.lease, now: Self.now)
            } catch {
                if configuration.once { throw error }
                logger.warning("cannot claim a job", metadata: ["error": "\(error)"])
                try await Task.sleep(for: configuration.idlePoll)
                continue
            }
            guard let job = claimed else {
                if configuration.once { return }
                try await Task.sleep(for: configuration.idlePoll)
                continue
            }
            await tally.started()
            let outcome = await execute(job)
            await tally.finished(outcome)
        }
    }

    enum Outcome: Sendable {
        case completed, failed, dead, lost
    }

    enum Event: Sendable {
        case finished((any Error)?)
        case softLimit, hardLimit, leaseLost
    }

    /// Runs one job under its lease and time limits, then acknowledges it (acks-late).
    func execute(_ job: ClaimedJob) async -> Outcome {
        guard let handler = handlers[job.kind] else { return .lost }
        let limits = configuration.limits(for: job.kind)
        let (events, signal) = AsyncStream.makeStream(of: Event.self)
        let work = Task {
            do {
                try await handler(job)
                signal.yield(.finished(nil))
            } catch {
                signal.yield(.finished(error))
            }
        }
        let timers = Task {
            try await Task.sleep(for: limits.soft)
            signal.yield(.softLimit)
            try await Task.sleep(for: limits.hard - limits.soft)
            signal.yield(.hardLimit)
        }
        let renewal = Task {
            let every = Duration.milliseconds(max(200, configuration.lease * 1000 / 3))
            while !Task.isCancelled {
                try await Task.sleep(for: every)
                do {
                    if try await !queue.renewLease(job: job.id, worker: configuration.id, lease: configuration.lease, now: Self.now) {
                        signal.yield(.leaseLost)
                        return
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("cannot renew a lease", metadata: ["job": "\(job.id)", "error": "\(error)"])
                }
            }
        }
        defer {
            timers.cancel()
            renewal.cancel()
            signal.finish()
        }
        logger.info("job started", metadata: ["job": "\(job.id)", "kind": "\(job.kind)", "profile": "\(job.profile ?? "")", "attempt": "\(job.attempts)"])
        var softHit = false, leaseLost = false, ended = false
        var failure: String?
        var permanent = false
        loop: for await event in events {
            switch event {
            case .finished(let error):
                ended = true
                if let error {
                    permanent = error is PermanentJobError
                    failure = softHit
                        ? "soft time limit (\(limits.soft)) reached; partial results kept, the retry resumes"
                        : "\(error)"
                } else if softHit {
                    failure = nil  // finished anyway: count it as done
                }
                break loop
            case .softLimit:
                softHit = true
                logger.warning("soft time limit reached; asking the job to stop", metadata: ["job": "\(job.id)", "kind": "\(job.kind)"])
                work.cancel()
            case .hardLimit:
                ended = true
                work.cancel()
                failure = "hard time limit (\(limits.hard)) reached; abandoned"
                break loop
            case .leaseLost:
                leaseLost = true
                logger.warning("lost the lease (another worker took the job over); stopping it", metadata: ["job": "\(job.id)"])
                work.cancel()
            }
        }
        if leaseLost { return .lost }
        if !ended {
            // The worker itself is stopping (its task was cancelled): stop the job and hand it back
            // at once rather than leave it until its lease expires. Unstructured, so it is not cancelled too.
            work.cancel()
            let queue = self.queue, id = configuration.id
            _ = await Task { try? await queue.failJob(job.id, worker: id, error: "the worker stopped before the job finished", retryAt: Self.now, now: Self.now) }.value
            logger.info("job handed back (worker stopping)", metadata: ["job": "\(job.id)"])
            return .lost
        }
        do {
            if let failure {
                let retryAt: Int64? = permanent ? nil : Self.now + configuration.backoff.delay(afterAttempt: job.attempts)
                let status = try await queue.failJob(job.id, worker: configuration.id, error: failure, retryAt: retryAt, now: Self.now)
                logger.warning("job failed", metadata: [
                    "job": "\(job.id)", "kind": "\(job.kind)", "status": "\(status?.rawValue ?? "lost")", "error": "\(failure)",
                ])
                switch status {
                case .dead: return .dead
                case nil: return .lost
                default: return .failed
                }
            }
            guard try await queue.completeJob(job.id, worker: configuration.id, now: Self.now) else { return .lost }
            logger.info("job done", metadata: ["job": "\(job.id)", "kind": "\(job.kind)"])
            return .completed
        } catch {
            logger.error("cannot acknowledge a job; its lease will expire and it runs again", metadata: ["job": "\(job.id)", "error": "\(error)"])
            return .lost
        }
    }

    actor Tally {
        var summary = Summary()
        var running = 0

        func add(scheduled: Int) { summary.scheduled += scheduled }
        func started() { running += 1 }

        func finished(_ outcome: Outcome) {
            running -= 1
            switch outcome {
            case .completed: summary.completed += 1
            case .failed: summary.failed += 1
            case .dead: summary.dead += 1
            case .lost: summary.lost += 1
            }
        }
    }
}
