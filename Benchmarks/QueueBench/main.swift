// `swift run -c release trawl-queue-bench [JOBS]`: jobs per second through the PostgreSQL job queue
// with 1, 2 and 4 workers (each with its own connection pool, as separate processes would have),
// running a no-op job kind so the figure is the queue's own cost: claim (FOR UPDATE SKIP LOCKED +
// lease), acknowledge. Starts a throwaway PostgreSQL like the tests do. Prints figures, asserts nothing.
import Foundation
import Logging
import TestSupport
import TrawlCore
import TrawlStore

let jobs = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 2000
guard let server = try await PostgresServer.running() else {
    print("PostgreSQL is not installed (apt-get install postgresql)")
    exit(1)
}
var logger = Logger(label: "bench")
logger.logLevel = .error
var handlers = JobHandlers()
handlers.register("noop") { _ in }

print("jobs/s through the PostgreSQL queue (\(jobs) no-op jobs per run)")
for workers in [1, 2, 4] {
    let url = try await server.database()
    let seed = try StoreLocator.open(url)
    for start in stride(from: 0, to: jobs, by: 500) {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in start..<min(start + 500, jobs) {
                group.addTask { try await seed.enqueue(NewJob(kind: "noop"), now: 0) }
            }
            try await group.waitForAll()
        }
    }
    let stores = try (0..<workers).map { _ in try StoreLocator.open(url) }
    for store in stores { _ = try await store.jobCounts() }  // connected and migrated before the clock starts
    let (workerHandlers, workerLogger) = (handlers, logger)
    let clock = ContinuousClock.now
    let completed = try await withThrowingTaskGroup(of: Int.self) { group in
        for store in stores {
            group.addTask {
                let worker = QueueWorker(
                    queue: store, handlers: workerHandlers,
                    configuration: .init(concurrency: 1, lease: 60, idlePoll: .milliseconds(10), once: true, schedule: false),
                    logger: workerLogger)
                return try await worker.run().completed
            }
        }
        var total = 0
        for try await n in group { total += n }
        return total
    }
    let elapsed = ContinuousClock.now - clock
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let done = try await seed.jobCounts().first { $0.status == .done }?.count ?? 0
    print("  \(workers) worker\(workers == 1 ? " " : "s"): \(String(format: "%7.0f", Double(completed) / seconds)) jobs/s  (\(completed) in \(String(format: "%.2f", seconds)) s; done in store: \(done))")
    for store in stores { try await store.close() }
    try await seed.close()
}
