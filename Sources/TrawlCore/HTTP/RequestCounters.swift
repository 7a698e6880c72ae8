public import Foundation
import Synchronization

/// Counts requests sent per upstream (every attempt, retries included) for `--json` summaries and
/// benchmarks: "unchanged costs nothing" is checked by reading these.
public final class RequestCounters: Sendable {
    public struct Counts: Sendable, Equatable, Codable {
        /// Requests sent, retries included.
        public var requests = 0
        /// Answers that were 304 Not Modified (the stored body was reused).
        public var notModified = 0
        /// Attempts that were retried (429, 5xx, connection errors, truncated bodies).
        public var retries = 0
        /// When the upstream asked to be called again, where that was later than Trawl waits
        /// (`RetryPolicy.maxWait`): the run stopped calling it.
        public var callAgainAt: Date?

        public init() {}
    }

    private let state = Mutex<[Upstream: Counts]>([:])

    public init() {}

    func record(_ upstream: Upstream, _ update: (inout Counts) -> Void) {
        state.withLock { update(&$0[upstream, default: Counts()]) }
    }

    public subscript(upstream: Upstream) -> Counts {
        state.withLock { $0[upstream] ?? Counts() }
    }

    public func snapshot() -> [Upstream: Counts] {
        state.withLock { $0 }
    }

    public func reset() {
        state.withLock { $0 = [:] }
    }
}
