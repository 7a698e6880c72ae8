import Foundation
import Synchronization

/// What is left of the GitHub budget, as the last answer told it (`x-ratelimit-remaining/reset`
/// headers, GraphQL's `rateLimit { remaining resetAt }`). Once it is gone, every further request
/// is refused locally, so a run stops GitHub work cleanly instead of hammering a closed door.
public final class GitHubRateLimit: Sendable {
    struct State {
        var remaining: Int?
        var resetAt: Int64?
        var exhausted = false
        var pointsUsed = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Requests may go out: the budget is not known to be gone (or its reset time has passed).
    public func check() throws(GitHubBudgetExhausted) {
        let now = Int64(Date().timeIntervalSince1970)
        try state.withLock { s throws(GitHubBudgetExhausted) in
            if let reset = s.resetAt, now >= reset, s.exhausted || s.remaining == 0 {
                s.exhausted = false
                s.remaining = nil
            }
            if s.exhausted || s.remaining == 0 { throw GitHubBudgetExhausted(resetAt: s.resetAt) }
        }
    }

    /// Records the budget a response reports.
    public func observe(remaining: Int?, resetAt: Int64?, cost: Int? = nil) {
        state.withLock { s in
            if let remaining { s.remaining = remaining }
            if let resetAt { s.resetAt = resetAt }
            if let cost { s.pointsUsed += cost }
        }
    }

    /// The server refused for lack of budget: nothing more is sent until `resetAt`.
    public func markExhausted(resetAt: Int64?) {
        state.withLock { s in
            s.exhausted = true
            s.remaining = 0
            if let resetAt { s.resetAt = resetAt }
        }
    }

    public var isExhausted: Bool { state.withLock { $0.exhausted || $0.remaining == 0 } }
    public var resetAt: Int64? { state.withLock { $0.resetAt } }
    public var remaining: Int? { state.withLock { $0.remaining } }
    /// GraphQL points reported as spent (`rateLimit.cost`) by this client.
    public var graphQLPointsUsed: Int { state.withLock { $0.pointsUsed } }
}

/// GitHub's budget is spent: stop GitHub work, keep what was fetched, resume after `resetAt`.
public struct GitHubBudgetExhausted: Error, Sendable, CustomStringConvertible {
    public var resetAt: Int64?

    public init(resetAt: Int64?) { self.resetAt = resetAt }

    public var resetDescription: String {
        guard let resetAt else { return "unknown" }
        return Date(timeIntervalSince1970: TimeInterval(resetAt)).formatted(.iso8601)
    }

    public var description: String { "GitHub API budget exhausted; it resets at \(resetDescription)" }
}
