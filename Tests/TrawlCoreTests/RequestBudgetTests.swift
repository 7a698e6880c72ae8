import Synchronization
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
        #expect(starts[2] - starts[0] < .milliseconds(200), "three fit in the window at once")
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
        let arrivals = Mutex<[ContinuousClock.Instant]>([])
        let server = try await LoopbackServer.start { _ in
            arrivals.withLock { $0.append(.now) }
            return .json("{}")
        }
        let fetcher = HTTPFetcher(configuration: .init(
            minimumInterval: [.pypistats: .zero], budget: [.pypistats: RequestBudget(count: 2, per: .milliseconds(500))]))
        for _ in 0..<3 { _ = try await fetcher.fetch(FetchRequest(server.baseURL + "/x", upstream: .pypistats)) }
        try await fetcher.shutdown()
        try await server.shutdown()
        let times = arrivals.withLock { $0 }
        #expect(times.count == 3)
        // Arrivals, not starts: the first one also paid for opening the connection, so allow slack.
        #expect(times[2] - times[0] >= .milliseconds(350), "the third request waited for the window (\(times[2] - times[0]))")
    }
}
