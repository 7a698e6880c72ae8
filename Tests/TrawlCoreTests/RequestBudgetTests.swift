import TestSupport
import Testing
@testable import TrawlCore

/// The sliding-window quota (pypistats: 30 requests a minute on top of ≤ 5/s).
@Suite struct RequestBudgetTests {
    /// The window is only ever checked from below (a loaded machine makes waits longer, never
    /// shorter): the fourth start comes a whole window after the first.
    @Test func aFullWindowWaitsForItsOldestStart() async throws {
        let limiter = HostLimiter()
        let budget = RequestBudget(count: 3, per: .milliseconds(400))
        var starts: [ContinuousClock.Instant] = []
        for _ in 0..<5 {
            let at = try await limiter.withPermit(host: "h", limit: 1, minimumInterval: .zero, budget: budget) { ContinuousClock.now }
            starts.append(at)
        }
        #expect(starts[3] - starts[0] >= .milliseconds(400), "the fourth waits for the first to leave the window")
        #expect(starts[4] - starts[1] >= .milliseconds(400))
    }

    /// "Three fit at once" without a clock bound: with an hour-long window the first three starts
    /// return (a test that waited an hour would not), and the fourth is still waiting when cancelled —
    /// its body never runs.
    @Test func theBudgetsCountFitsAndOneMoreWaits() async throws {
        let limiter = HostLimiter()
        let budget = RequestBudget(count: 3, per: .seconds(3600))
        for i in 0..<3 {
            let ran = try await limiter.withPermit(host: "h", limit: 1, minimumInterval: .zero, budget: budget) { i }
            #expect(ran == i)
        }
        let fourth = Task {
            try await limiter.withPermit(host: "h", limit: 1, minimumInterval: .zero, budget: budget) { 3 }
        }
        try await Task.sleep(for: .milliseconds(200))
        fourth.cancel()
        // Its body ran (a fourth start inside the window) if this returns 3 instead of throwing.
        await #expect(throws: CancellationError.self) { _ = try await fourth.value }
    }

    @Test func pypistatsGetsThirtyAMinuteByDefault() async throws {
        #expect(Upstream.pypistats.defaultBudget == RequestBudget(count: 30, per: .seconds(60)))
        #expect(Upstream.pypistats.defaultMinimumInterval == .milliseconds(200))
        #expect(Upstream.pypistats.defaultConcurrency == 1)
        #expect(Upstream.pypi.defaultBudget == nil)
        let config = HTTPFetcher.Configuration(budget: [.pypistats: RequestBudget(count: 2, per: .seconds(1))])
        #expect(config.budget(for: .pypistats)?.count == 2)
    }

    @Test func theFetcherAppliesTheBudgetPerUpstream() async throws {
        let server = try await LoopbackServer.start { _ in .json("{}") }
        let fetcher = HTTPFetcher(configuration: .init(
            requestTimeout: TestTimeouts.request, connectTimeout: TestTimeouts.connect, minimumInterval: [.pypistats: .zero], budget: [.pypistats: RequestBudget(count: 2, per: .milliseconds(500))]))
        // Measured on the client: the third start cannot come before the first start + 500 ms,
        // however slowly the first connection opens.
        let before = ContinuousClock.now
        for _ in 0..<3 { _ = try await fetcher.fetch(FetchRequest(server.baseURL + "/budgeted", upstream: .pypistats)) }
        let elapsed = ContinuousClock.now - before
        try await fetcher.shutdown()
        try await server.shutdown()
        #expect(server.requestCount(prefix: "/budgeted") == 3, "\(server.receivedPaths)")
        #expect(elapsed >= .milliseconds(500), "the third pypistats request waited for the window (\(elapsed))")
        #expect(fetcher.configuration.budget(for: .other) == nil, "other upstreams have no budget")
    }
}
