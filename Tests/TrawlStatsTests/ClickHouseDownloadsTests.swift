import Foundation
import TestSupport
import Testing
import TrawlCore
@testable import TrawlStats

/// The `downloads` enricher against real ClickHouse SQL (chdb behind a loopback HTTP server, with
/// the public endpoint's 1,000-row truncation).
@Suite struct ClickHouseDownloadsTests {
    /// Package `i`: `i % 7 + 1` downloads a day for 35 days ending on the latest day; an unmerged
    /// extra row of 1 on the latest day for every fifth, of 2 ten days back for every third.
    static func rows(for i: Int, project: String) -> [[String: Any]] {
        var rows: [[String: Any]] = (0..<35).map { ["date": StatsHarness.date(daysBefore: $0), "project": project, "count": i % 7 + 1] }
        if i % 5 == 0 { rows.append(["date": StatsHarness.date(daysBefore: 0), "project": project, "count": 1]) }
        if i % 3 == 0 { rows.append(["date": StatsHarness.date(daysBefore: 10), "project": project, "count": 2]) }
        return rows
    }

    static func expected(_ i: Int) -> (day: Int, week: Int, month: Int, total: Int) {
        let base = i % 7 + 1, five = i % 5 == 0 ? 1 : 0, three = i % 3 == 0 ? 2 : 0
        return (base + five, 7 * base + five, 30 * base + five + three, 35 * base + five + three)
    }

    @Test func twentyFiveHundredPackagesInThreeQueriesPastTheTruncation() async throws {
        var rows: [[String: Any]] = []
        var documents: [PackageDocument] = []
        for i in 0..<2_500 {
            // Published with capitals and dots; the table spells projects PEP 503-normalized.
            documents.append(PackageDocument(name: String(format: "Collective.Pkg%04d", i)))
            if i < 2_400 { rows += Self.rows(for: i, project: String(format: "collective-pkg%04d", i)) }
        }
        rows.shuffle()
        guard let clickhouse = try StatsHarness.clickhouse(["projects": [], "downloads": rows]) else { return }
        defer { clickhouse.stop() }
        let h = try StatsHarness()
        var batch = EnrichmentBatch(documents: documents)
        try await h.downloads(h.context(clickhouse: clickhouse.baseURL)).enrich(&batch)
        try await h.shutdown()

        #expect(await clickhouse.queryCount() == 3, "one query per batch of ≤ 1,000 names")
        #expect(batch.problems.isEmpty)
        var wrong: [String] = []
        for (i, d) in batch.documents.enumerated() {
            let e = i < 2_400 ? Self.expected(i) : (0, 0, 0, 0)
            if (d.downloadLastDay, d.downloadLastWeek, d.downloadLastMonth, d.downloadTotal) != e || d.downloadSource != "clickhouse" || d.downloadUpdated == 0 {
                wrong.append("\(d.name): \(d.downloadLastDay)/\(d.downloadLastWeek)/\(d.downloadLastMonth)/\(d.downloadTotal) \(d.downloadSource), want \(e)")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong, e.g. \(wrong.prefix(3))")
        let stats = try await clickhouse.stats()
        let queries = stats["last_queries"] as? [[String: Any]] ?? []
        #expect(queries.allSatisfy { ($0["result_rows"] as? Int ?? .max) <= 1_000 }, "every answer within the truncation")
        #expect(queries.allSatisfy { !("\($0["sql"] ?? "")".contains("pkg0")) }, "names are bound, not pasted")
    }

    @Test func aNameWithAQuoteIsBoundNotPasted() async throws {
        let rows: [[String: Any]] = [
            ["date": StatsHarness.date(daysBefore: 0), "project": "o'reilly-tools", "count": 5],
            ["date": StatsHarness.date(daysBefore: 3), "project": "o'reilly-tools", "count": 7],
            ["date": StatsHarness.date(daysBefore: 0), "project": "back\\slash", "count": 2],
            ["date": StatsHarness.date(daysBefore: 0), "project": "plain", "count": 1],
        ]
        guard let clickhouse = try StatsHarness.clickhouse(["projects": [], "downloads": rows]) else { return }
        defer { clickhouse.stop() }
        let h = try StatsHarness()
        var batch = EnrichmentBatch(documents: [PackageDocument(name: "O'Reilly.Tools"), PackageDocument(name: "back\\slash"), PackageDocument(name: "plain")])
        try await h.downloads(h.context(clickhouse: clickhouse.baseURL)).enrich(&batch)
        try await h.shutdown()
        #expect(batch.documents.map(\.downloadLastWeek) == [12, 2, 1])
        #expect(batch.documents.map(\.downloadSource) == ["clickhouse", "clickhouse", "clickhouse"])
        let last = try #require((try await clickhouse.stats())["last_queries"] as? [[String: Any]]).last
        let sql = "\(last?["sql"] ?? "")", params = "\(last?["params"] ?? "")"
        #expect(!sql.contains("reilly"))
        #expect(params.contains("reilly"))
        #expect(last?["status"] as? Int == 200)
    }

    @Test func lastDayIsTheDumpsLatestDayNotThePackagesOwn() async throws {
        var rows: [[String: Any]] = [["date": StatsHarness.date(daysBefore: 0), "project": "pip", "count": 1_000_000]]
        // Quiet since ten days before the dump's latest day.
        for d in 10..<20 { rows.append(["date": StatsHarness.date(daysBefore: d), "project": "quiet-pkg", "count": 3]) }
        guard let clickhouse = try StatsHarness.clickhouse(["projects": [], "downloads": rows]) else { return }
        defer { clickhouse.stop() }
        let h = try StatsHarness()
        var batch = EnrichmentBatch(documents: [PackageDocument(name: "quiet-pkg")])
        try await h.downloads(h.context(clickhouse: clickhouse.baseURL)).enrich(&batch)
        try await h.shutdown()
        let d = batch.documents[0]
        #expect((d.downloadLastDay, d.downloadLastWeek, d.downloadLastMonth, d.downloadTotal) == (0, 0, 30, 30))
    }

    @Test func batchesRespectNameCountAndURLSize() throws {
        let names = (0..<2_500).map { String(format: "collective-pkg%04d", $0) }
        #expect(ClickHouseDownloads.batches(names).map(\.count) == [1_000, 1_000, 500])
        let long = (0..<1_000).map { "a-very-long-package-name-that-goes-on-and-on-\($0)-" + String(repeating: "x", count: 60) }
        let split = ClickHouseDownloads.batches(long)
        #expect(split.count > 1 && split.allSatisfy { $0.reduce(0) { $0 + ClickHouseDownloads.encodedSize($1) } <= ClickHouseDownloads.maxEncodedBytes })
        #expect(split.flatMap { $0 } == long)
    }

    @Test func aBatchAboveTheTruncationIsRefused() async throws {
        let h = try StatsHarness()
        let client = ClickHouseDownloads(client: ClickHouseClient(http: h.http, baseURL: StatsHarness.closed, user: "demo", password: Secret("")))
        await #expect(throws: ClickHouseDownloads.BatchTooLarge.self) {
            _ = try await client.counts(for: (0...1_000).map { "p\($0)" })
        }
        #expect(h.http.counters[.clickhouse].requests == 0)
        try await h.shutdown()
    }
}
