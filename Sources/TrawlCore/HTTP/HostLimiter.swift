import Synchronization

/// Bounds the requests in flight per host and spaces their starts, so every upstream sees the
/// politeness of docs/design.md §3 however many tasks a crawl runs at once.
public final class HostLimiter: Sendable {
    private struct Gate {
        var limit: Int
        var minimumInterval: Duration
        var inFlight = 0
        var lastStart: ContinuousClock.Instant?
        var budget: RequestBudget?
        /// Starts inside the budget's window, oldest first.
        var recentStarts: [ContinuousClock.Instant] = []
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let gates = Mutex<[String: Gate]>([:])

    public init() {}

    /// Runs `body` once a slot for `host` is free, its start spaced by `minimumInterval` and, with a
    /// `budget`, no more than `budget.count` starts within any `budget.window`.
    public func withPermit<T: Sendable>(
        host: String, limit: Int, minimumInterval: Duration, budget: RequestBudget? = nil, _ body: () async throws -> T
    ) async throws -> T {
        await acquire(host: host, limit: max(1, limit), minimumInterval: minimumInterval, budget: budget)
        defer { release(host: host) }
        try await spaceStart(host: host)
        return try await body()
    }

    private func acquire(host: String, limit: Int, minimumInterval: Duration, budget: RequestBudget?) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = gates.withLock { gates -> Bool in
                var gate = gates[host] ?? Gate(limit: limit, minimumInterval: minimumInterval)
                gate.limit = limit
                gate.minimumInterval = minimumInterval
                gate.budget = budget
                defer { gates[host] = gate }
                if gate.inFlight < gate.limit {
                    gate.inFlight += 1
                    return true
                }
                gate.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func release(host: String) {
        let next = gates.withLock { gates -> CheckedContinuation<Void, Never>? in
            guard var gate = gates[host] else { return nil }
            defer { gates[host] = gate }
            if gate.waiters.isEmpty {
                gate.inFlight -= 1
                return nil
            }
            return gate.waiters.removeFirst()  // the slot passes straight to the next waiter
        }
        next?.resume()
    }

    /// Waits until `minimumInterval` has passed since the previous start on this host and the
    /// budget's window has room for one more start.
    private func spaceStart(host: String) async throws {
        while true {
            let wait = gates.withLock { gates -> Duration in
                guard var gate = gates[host], gate.minimumInterval > .zero || gate.budget != nil else { return .zero }
                let now = ContinuousClock.now
                if let last = gate.lastStart, now < last + gate.minimumInterval {
                    return (last + gate.minimumInterval) - now
                }
                if let budget = gate.budget {
                    gate.recentStarts.removeAll { $0 + budget.window <= now }
                    if gate.recentStarts.count >= budget.count, let oldest = gate.recentStarts.first {
                        gates[host] = gate
                        return (oldest + budget.window) - now
                    }
                    gate.recentStarts.append(now)
                }
                gate.lastStart = now
                gates[host] = gate
                return .zero
            }
            if wait == .zero { return }
            try await Task.sleep(for: wait)
        }
    }

    /// Requests currently in flight for `host` (for tests and metrics).
    public func inFlight(host: String) -> Int {
        gates.withLock { $0[host]?.inFlight ?? 0 }
    }
}
