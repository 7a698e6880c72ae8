import ArgumentParser
import Foundation
import Logging
import TrawlCore
import TrawlStore

/// `trawl worker`: the scheduler and job runner. Any number may share one store; with PostgreSQL
/// they may run on many machines.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the profiles' schedules and execute queued jobs.",
        discussion: """
            Each minute the worker enqueues the jobs the profiles' `schedule:` makes due (incremental → poll_feeds, \
            refresh → refresh_profile, downloads → enrich_downloads, full → full_fetch, github → update_github; the \
            last two only for profiles listing that enricher); a slot is enqueued once however \
            many workers run. Jobs are claimed with a lease (TRAWL_WORKER_LEASE seconds, default 60) renewed while they \
            run: if a worker dies, another runs its job again. Failures retry with backoff (TRAWL_JOB_RETRY_BASE seconds, \
            default 30, doubling) and are dead-lettered after TRAWL_JOB_MAX_ATTEMPTS (default 5) attempts.
            Feed polls run three times a minute (at :00, :20 and :40) so a release is searchable within a minute, and \
            one runner beside the --concurrency ones takes only feed polls and single-project updates, so they never \
            wait behind a full crawl, a GitHub refresh or a downloads run.
            Webhook deliveries (notify jobs, queued by crawls of profiles with `notify:`) run in one more runner of \
            their own and only there, so a failing receiver never holds up a crawl; each is one signed POST, retried \
            with the same backoff up to 8 attempts. The secret is read from the variable the profile's secret_env names.
            Which profiles: those named with -p; without -p, those whose collection already exists in the store \
            (checked again each minute). A profile with no collection is never crawled unless it is named. --once: enqueue what is due now, run until nothing is runnable, exit.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Profile to keep fresh (repeatable; default: every profile whose collection exists).") var profile: [String] = []
    @Flag(name: .long, help: "Enqueue what is due now, run jobs until none is runnable, then exit.") var once = false
    @Option(name: .long, help: "Jobs run at the same time by this worker.") var concurrency = 1
    @Flag(name: .long, help: "Only run jobs; enqueue no scheduled ones.") var noSchedule = false
    #if TRAWL_TEST_HOOKS
    /// Tests: schedule as if it were this epoch second (debug builds only).
    @Option(name: .long, help: .hidden) var scheduleAt: Int64?
    #else
    var scheduleAt: Int64? { nil }
    #endif

    func validate() throws {
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() async throws {
        let env = CLIEnvironment(global)
        let set = try env.loadProfiles()
        let store = try env.openStore()
        let scope = try WorkerScope.resolve(named: profile, set: set, store: store)
        let handlers = CrawlJobs(env: env, store: store, profiles: set).handlers()
        let worker = QueueWorker(
            queue: store, handlers: handlers, configuration: Self.workerConfiguration(env.config, scope: scope, once: once,
                concurrency: concurrency, schedule: !noSchedule, scheduleAt: scheduleAt.map { Date(timeIntervalSince1970: TimeInterval($0)) }),
            logger: env.logger)
        env.logger.info("worker started", metadata: [
            "id": "\(worker.configuration.id)", "store": "\(store.redactedDescription)",
            "profiles": "\(scope.scope == nil ? scope.profiles.map(\.key).joined(separator: ",") : "those with a collection")", "concurrency": "\(concurrency)",
        ])
        StopSignal.install()
        let running = Task { try await worker.run() }
        // SIGINT/SIGTERM: stop claiming, hand running jobs back, exit 0.
        let watcher = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(200))
                if StopSignal.requested { running.cancel(); return }
            }
        }
        defer { watcher.cancel() }
        do {
            let summary = try await running.value
            try await store.close()
            if !global.quiet {
                print("worker: \(summary.scheduled) scheduled, \(summary.completed) done, \(summary.failed) failed (will retry), \(summary.dead) dead, \(summary.lost) lost")
            }
            if summary.failed + summary.dead > 0 { throw ExitCode(3) }
        } catch let error as ExitCode {
            throw error
        } catch is CancellationError where StopSignal.requested {
            try? await store.close()
            if !global.quiet { print("worker stopped") }
        } catch {
            try? await store.close()
            Console.error("worker failed: \(error)")
            throw ExitCode(1)
        }
    }

    /// The worker's settings from flags and TRAWL_WORKER_LEASE / TRAWL_JOB_RETRY_BASE / TRAWL_JOB_MAX_ATTEMPTS.
    static func workerConfiguration(
        _ config: TrawlConfig, scope: WorkerScope, once: Bool, concurrency: Int, schedule: Bool, scheduleAt: Date?
    ) -> QueueWorker.Configuration {
        let lease = Int64(config.integer("TRAWL_WORKER_LEASE", in: 2...86_400) ?? 60)
        let base = Int64(config.integer("TRAWL_JOB_RETRY_BASE", in: 0...86_400) ?? 30)
        let attempts = config.integer("TRAWL_JOB_MAX_ATTEMPTS", in: 1...100) ?? 5
        let poll = Int64(config.integer("TRAWL_WORKER_POLL_MS", in: 10...600_000) ?? 1000)
        return QueueWorker.Configuration(
            profiles: scope.profiles, concurrency: concurrency, lease: lease, idlePoll: .milliseconds(poll), once: once, schedule: schedule,
            scheduleAt: scheduleAt, backoff: JobBackoff(base: base), maxAttempts: attempts, scope: scope.scope)
    }
}

/// SIGINT/SIGTERM set a flag (all a C signal handler may do); the worker polls it and stops cleanly.
enum StopSignal {
    nonisolated(unsafe) static var flag: sig_atomic_t = 0

    static var requested: Bool { flag != 0 }

    static func install() {
        signal(SIGINT) { _ in StopSignal.flag = 1 }
        signal(SIGTERM) { _ in StopSignal.flag = 1 }
    }
}
