import Foundation
import TestSupport
import Testing
import TrawlCore
@testable import TrawlPyPI

/// Discovery through real ClickHouse SQL (chdb behind a loopback HTTP server).
@Suite struct ClickHouseDiscoveryTests {
    func fakeOrSkip(_ fixture: [String: Any]) throws -> ClickHouseFake? {
        guard ClickHouseFake.isAvailable else {
            if RequiredServer.inCI { Issue.record("python3 with chdb is required in CI (scripts/setup installs it)") }
            print("skipped: python3 with chdb not installed (pip install chdb)")
            return nil
        }
        return try ClickHouseFake.start(fixture: fixture)
    }

    @Test func paginatesPastTheTruncationAndConfirmsOnFreshJSON() async throws {
        var projects: [FakePyPI.Project] = []
        var rows: [[String: Any]] = []
        for i in 0..<1_250 {
            let name = String(format: "collective.pkg%04d", i)
            let sub = i % 3 == 0 ? "Framework :: Plone :: 6.0" : "Framework :: Plone"
            projects.append(.init(name: name, versions: ["1.0"], classifiers: [sub]))
            // The dump has one row per uploaded file: names repeat.
            rows.append(["name": name, "version": "1.0", "classifiers": [sub]])
            rows.append(["name": name, "version": "0.9", "classifiers": [sub]])
        }
        // Stale dump: this one no longer carries the classifier on the index.
        projects.append(.init(name: "left-plone", versions: ["2.0"], classifiers: ["Framework :: Django"]))
        rows.append(["name": "left-plone", "version": "1.0", "classifiers": ["Framework :: Plone"]])
        rows.append(["name": "o'reilly-plone", "version": "1.0", "classifiers": ["Framework :: Plonex"]])
        for i in 0..<300 { rows.append(["name": "django-\(i)", "version": "1", "classifiers": ["Framework :: Django"]]) }
        guard let clickhouse = try fakeOrSkip(["projects": rows, "downloads": []]) else { return }
        defer { clickhouse.stop() }
        let h = try await CrawlHarness.start(projects, clickhouseURL: clickhouse.baseURL)
        let summary = try await h.crawler(.full, discovery: .clickhouse).run()
        let names = try await h.names()
        try await h.shutdown()
        #expect(summary.discovered == 1_251)
        #expect(names.count == 1_250, "left-plone is dropped on its fresh JSON")
        #expect(!names.contains("left-plone"))
        #expect(await clickhouse.queryCount() == 2, "two keyset pages of 900")
        // One JSON request per package, plus the serial: ≤ 1.05 requests per matched package.
        #expect(summary.requests.pypi <= 1_252)
        #expect(Double(summary.requests.pypi) / Double(names.count) <= 1.05)
        let stats = try await clickhouse.stats()
        let last = (stats["last_queries"] as? [[String: Any]])?.last
        #expect("\(last ?? [:])".contains("Framework :: Plone"), "classifiers travel as bound parameters")
    }

    @Test func requiresSourceFindsReverseDependencies() async throws {
        let rows: [[String: Any]] = [
            ["name": "flet-map", "requires_dist": ["flet>=0.21", "requests"]],
            ["name": "flet-charts", "requires_dist": ["Flet[all] (>=0.1) ; extra == \"x\""]],
            ["name": "not-flet", "requires_dist": ["fletcher>=1"]],
            ["name": "flet", "requires_dist": ["httpx"]],
        ]
        guard let clickhouse = try fakeOrSkip(["projects": rows, "downloads": []]) else { return }
        defer { clickhouse.stop() }
        let projects: [FakePyPI.Project] = [
            .init(name: "flet-map", requiresDist: ["flet>=0.21", "requests"]),
            .init(name: "flet-charts", requiresDist: ["Flet[all] (>=0.1) ; extra == \"x\""]),
            .init(name: "not-flet", requiresDist: ["fletcher>=1"]),
        ]
        let h = try await CrawlHarness.start(projects, clickhouseURL: clickhouse.baseURL)
        let profile = Profile(key: "plone", name: "Flet-like", sources: [PluginSpec(kind: "pypi-requires", options: PluginOptions(["requires": .string("flet")]))],
                              enrichers: [], origin: ProfileOrigin(path: "test", layer: .dropIn))
        _ = try await h.crawler(.full, profile: profile, discovery: .clickhouse).run()
        let names = try await h.names()
        try await h.shutdown()
        #expect(names == ["flet-charts", "flet-map"])
    }
}
