import Foundation
import Synchronization
import TestSupport
import Testing
import TrawlCore
@testable import TrawlStats

/// The pypistats fallback (ClickHouse unreachable), its politeness, and the refresh TTL.
@Suite struct PyPIStatsFallbackTests {
    /// A pypistats fake: `recent` figures derived from the name's length; the first request is
    /// answered 429 with `Retry-After`; request start times are kept.
    final class Fake: Sendable {
        final class Starts: Sendable {
            let list = Mutex<[(path: String, at: ContinuousClock.Instant)]>([])
        }

        let starts = Starts()
        let server: LoopbackServer

        init(first429RetryAfter: String? = "1", handler: (@Sendable (String) -> LoopbackResponse?)? = nil) async throws {
            let starts = self.starts
            server = try await LoopbackServer.start { request in
                let n = starts.list.withLock { list in
                    list.append((request.path, .now))
                    return list.count
                }
                if n == 1, let first429RetryAfter { return .json(#"{"message":"slow down"}"#, status: 429, headers: [("Retry-After", first429RetryAfter)]) }
                if let custom = handler?(request.path) { return custom }
                let parts = request.path.split(separator: "/")
                guard parts.count == 4, parts[0] == "api", parts[1] == "packages", parts[3] == "recent" else { return .status(404) }
                let size = parts[2].count
                return .json(#"{"data":{"last_day":\#(size),"last_month":\#(size * 30),"last_week":\#(size * 7)},"package":"\#(parts[2])","type":"recent_downloads"}"#)
            }
        }

        var paths: [String] { starts.list.withLock { $0.map(\.path) } }
        var gaps: [Duration] {
            starts.list.withLock { list in zip(list.dropFirst(), list).map { $0.at - $1.at } }
        }
    }

    @Test func unreachableClickHouseFallsBackToPyPIStatsHonouring429() async throws {
        let fake = try await Fake()
        let h = try StatsHarness()
        let enricher = try h.downloads(h.context(pypistats: fake.server.baseURL))
        var batch = EnrichmentBatch(documents: [
            StatsHarness.document("Flet.Charts") { $0.downloadTotal = 10_000 },
            StatsHarness.document("flet-map"),
            StatsHarness.document("x"),
        ])
        try await enricher.enrich(&batch)
        let clickhouseRequests = h.http.counters[.clickhouse].requests
        #expect(clickhouseRequests >= 1)

        let d = batch.documents
        #expect(d.map(\.downloadSource) == ["pypistats", "pypistats", "pypistats"])
        #expect(d.map(\.downloadLastDay) == [11, 8, 1], "figures of /api/packages/{normalized}/recent")
        #expect(d.map(\.downloadLastMonth) == [330, 240, 30])
        #expect(d[0].downloadTotal == 10_000, "pypistats has no total: the previous one is kept")
        #expect(d[1].downloadTotal == 240, "… raised to at least the last month")
        #expect(d.allSatisfy { $0.downloadUpdated > 0 })
        #expect(fake.paths == ["/api/packages/flet-charts/recent", "/api/packages/flet-charts/recent", "/api/packages/flet-map/recent", "/api/packages/x/recent"])
        let gaps = fake.gaps
        #expect(gaps[0] >= .milliseconds(950), "Retry-After: 1 was honoured (\(gaps[0]))")
        // The retry starts ≥ 1 s after the 429 arrived, the next two ≥ 200 ms after each other's
        // start (≤ 5/s): the last arrival is ≥ 1.4 s after the first, whatever the load.
        #expect(gaps.reduce(.zero, +) >= .milliseconds(1_400), "≤ 5 requests/s: \(gaps)")

        // The run remembers ClickHouse is down: the next batch goes straight to pypistats.
        var next = EnrichmentBatch(documents: [StatsHarness.document("flet-camera")])
        try await enricher.enrich(&next)
        #expect(h.http.counters[.clickhouse].requests == clickhouseRequests)
        #expect(next.documents[0].downloadSource == "pypistats")
        try await h.shutdown()
        try await fake.server.shutdown()
    }

    @Test func aLongRetryAfterStopsTheFallbackLeavingFiguresUntouched() async throws {
        let fake = try await Fake(first429RetryAfter: "3600")
        let h = try StatsHarness(maxWait: .seconds(2))
        var batch = EnrichmentBatch(documents: [
            StatsHarness.document("a") { $0.downloadLastMonth = 77; $0.downloadSource = "clickhouse"; $0.downloadUpdated = 5 },
            StatsHarness.document("b"),
        ])
        try await h.downloads(h.context(pypistats: fake.server.baseURL)).enrich(&batch)
        try await h.shutdown()
        #expect(fake.paths.count == 1, "no request after the service said to come back in an hour")
        #expect(batch.documents[0].downloadLastMonth == 77 && batch.documents[0].downloadSource == "clickhouse" && batch.documents[0].downloadUpdated == 5)
        #expect(batch.documents[1].downloadUpdated == 0, "not refreshed, so the next run retries it")
        #expect(batch.problems.isEmpty, "an upstream outage is not a package problem")
        try await fake.server.shutdown()
    }

    @Test func unknownPackageIsZeroAndABadAnswerIsAProblem() async throws {
        let fake = try await Fake(first429RetryAfter: nil) { path in
            if path.contains("/gone/") { return .status(404) }
            if path.contains("/broken/") { return .text("<html>oops</html>") }
            return nil
        }
        let h = try StatsHarness()
        var batch = EnrichmentBatch(documents: [StatsHarness.document("gone"), StatsHarness.document("broken"), StatsHarness.document("ok")])
        try await h.downloads(h.context(pypistats: fake.server.baseURL)).enrich(&batch)
        try await h.shutdown()
        #expect(batch.documents.map(\.downloadSource) == ["pypistats", "", "pypistats"])
        #expect(batch.documents[0].downloadLastMonth == 0)
        #expect(batch.documents[2].downloadLastMonth == 60)
        #expect(batch.problems.map(\.package) == ["broken"])
        #expect(batch.problems.first?.kind == "downloads")
        try await fake.server.shutdown()
    }

    @Test func thePerRunAllowanceBoundsTheFallback() async throws {
        let fake = try await Fake(first429RetryAfter: nil)
        let h = try StatsHarness()
        var batch = EnrichmentBatch(documents: ["a", "b", "c", "d"].map { PackageDocument(name: $0) })
        try await h.downloads(h.context(pypistats: fake.server.baseURL), ["pypistats-limit": .int(2)]).enrich(&batch)
        try await h.shutdown()
        #expect(batch.documents.map(\.downloadSource) == ["pypistats", "pypistats", "", ""])
        #expect(fake.paths.count == 2)
        try await fake.server.shutdown()
    }

    @Test func freshFiguresAreSkippedUntilTheTTLUnlessForced() async throws {
        let fake = try await Fake(first429RetryAfter: nil)
        let h = try StatsHarness()
        let hourAgo = StatsHarness.now - 3_600
        let documents = [
            StatsHarness.document("fresh") { $0.downloadUpdated = hourAgo; $0.downloadLastMonth = 1; $0.downloadSource = "clickhouse" },
            StatsHarness.document("old") { $0.downloadUpdated = hourAgo - 2 * StatsHarness.day },
        ]
        var batch = EnrichmentBatch(documents: documents)
        try await h.downloads(h.context(pypistats: fake.server.baseURL)).enrich(&batch)
        #expect(fake.paths == ["/api/packages/old/recent"], "only the one older than 24 h")
        #expect(batch.documents[0] == documents[0])

        var forced = EnrichmentBatch(documents: documents)
        try await h.downloads(h.context(pypistats: fake.server.baseURL), ["force": .bool(true)]).enrich(&forced)
        #expect(fake.paths.count == 3)
        #expect(forced.documents[0].downloadLastMonth == 150 && forced.documents[0].downloadSource == "pypistats")

        // TRAWL_DOWNLOADS_TTL in seconds: 30 minutes makes the hour-old figures due.
        var short = EnrichmentBatch(documents: [documents[0]])
        try await h.downloads(h.context(pypistats: fake.server.baseURL, environment: ["TRAWL_DOWNLOADS_TTL": "1800"])).enrich(&short)
        #expect(fake.paths.count == 4)
        try await h.shutdown()
        try await fake.server.shutdown()
    }
}
