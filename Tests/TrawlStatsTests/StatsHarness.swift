import Foundation
import Logging
import TestSupport
import Testing
import TrawlCore
import TrawlStats
import TrawlStore

/// A fresh store, a fast-retrying HTTP layer and plugin contexts for the stats enrichers.
struct StatsHarness {
    let store: SQLiteStore
    let http: HTTPFetcher

    static let closed = "http://127.0.0.1:1"
    static let day: Int64 = 86_400

    init(maxWait: Duration = .seconds(5), budget: [Upstream: RequestBudget] = [:]) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-stats-\(UUID().uuidString)/t.sqlite").path
        store = try SQLiteStore(path: path)
        http = HTTPFetcher(configuration: .init(
            retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20), maxWait: maxWait),
            requestTimeout: TestTimeouts.request, connectTimeout: TestTimeouts.connect, budget: budget))
    }

    func context(clickhouse: String = closed, pypistats: String = closed, environment: [String: String] = [:],
                 categories: [String: CategoryRule] = [:], types: [String: CategoryRule] = [:]) -> PluginContext {
        var env = ["TRAWL_CLICKHOUSE_URL": clickhouse, "TRAWL_PYPISTATS_URL": pypistats]
        env.merge(environment) { _, new in new }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return PluginContext(http: http, config: TrawlConfig(environment: env), store: store, logger: logger, profileKey: "test",
                             categories: categories, types: types)
    }

    func downloads(_ context: PluginContext, _ options: [String: OptionValue] = [:]) throws -> DownloadsEnricher {
        try DownloadsEnricher(options: PluginOptions(options), context: context)
    }

    func shutdown() async throws { try await http.shutdown() }

    /// The chdb fake, or nil (with a message) where chdb is missing; in CI a missing fake fails.
    static func clickhouse(_ fixture: [String: Any]) throws -> ClickHouseFake? {
        guard ClickHouseFake.isAvailable else {
            if RequiredServer.inCI { Issue.record("python3 with chdb is required in CI (scripts/setup installs it)") }
            print("skipped: python3 with chdb not installed (pip install chdb)")
            return nil
        }
        return try ClickHouseFake.start(fixture: fixture)
    }

    /// `YYYY-MM-DD`, `days` before 2026-11-20 (the fixtures' latest day).
    static func date(daysBefore days: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let latest = calendar.date(from: DateComponents(year: 2026, month: 11, day: 20))!
        let date = calendar.date(byAdding: .day, value: -days, to: latest)!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    static func document(_ name: String, _ configure: (inout PackageDocument) -> Void = { _ in }) -> PackageDocument {
        var d = PackageDocument(name: name)
        configure(&d)
        return d
    }
}
