import DequeModule
import Synchronization

/// Admits searches in arrival order, at most `limit` at a time; the others wait in a FIFO.
///
/// Left to the scheduler, 64 concurrent searches interleave at every suspension point (processor
/// sharing): cheap queries finish early and costly ones are overtaken again and again, which is what
/// made Trawl's p99 under load worse than Typesense's while its throughput was higher (issue 18).
/// One search at a time per core, first come first served, bounds how long any request waits by the
/// queue ahead of it. While the in-memory index loads, the limit is 1: searches then run on SQL, and
/// unbounded they starved the load they were waiting for.
final class SearchAdmission: Sendable {
    struct State {
        var running = 0
        var waiting: Deque<CheckedContinuation<Void, Never>> = []
    }

    let state = Mutex(State())

    /// Runs `body` once admitted under `limit` (at least 1), releasing the slot when it returns or throws.
    func run<T>(limit: Int, _ body: () async throws -> T) async throws -> T {
        await acquire(limit: max(1, limit))
        defer { release(limit: max(1, limit)) }
        return try await body()
    }

    /// Searches admitted and waiting now (for `/metrics` and tests).
    var load: (running: Int, waiting: Int) { state.withLock { ($0.running, $0.waiting.count) } }

    private func acquire(limit: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                // Nobody overtakes a waiting search, even when a slot is free this instant.
                guard state.running < limit, state.waiting.isEmpty else {
                    state.waiting.append(continuation)
                    return false
                }
                state.running += 1
                return true
            }
            if now { continuation.resume() }
        }
    }

    private func release(limit: Int) {
        let admitted = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.running -= 1
            // The limit may have grown (the index finished loading): admit as many as it now allows.
            var admitted: [CheckedContinuation<Void, Never>] = []
            while state.running < limit, let next = state.waiting.popFirst() {
                state.running += 1
                admitted.append(next)
            }
            return admitted
        }
        for continuation in admitted { continuation.resume() }
    }
}
