import TestSupport
import Testing
@testable import TrawlCore

/// The sliding-window quota (pypistats: 30 requests a minute on top of ≤ 5/s).
@Suite struct RequestBudgetTests {
    @Test func aFullWindowWaitsForItsOldestStart() async throws {
        let limiter = HostLimiter()
        let budget = RequestBudget(count: 3, per: .milliseconds(400))
        var starts: [ContinuousClock.Instant] = []
        for _ in 0..<5 {
            let at = try await limiter.withPermit(host: "h", limit: 1, minimumInterval: .zero, budget: budget) { ContinuousClock.now }
            starts.append(at)
        }
        #expect(starts[2] - starts[0] < .milliseconds(390), "three fit in the window at once")
        #expect(starts[3] - starts[0] >= .milliseconds(390), "the fourth waits for the first to leave the window")
        #expect(starts[4] - starts[1] >= .milliseconds(390))
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
            minimumInterval: [.pypistats: .zero], budget: [.pypistats: RequestBudget(count: 2, per: .milliseconds(500))]))
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
