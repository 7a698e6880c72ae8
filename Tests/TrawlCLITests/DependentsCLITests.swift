import Foundation
import TestSupport
import Testing

/// "Used by" as users meet it through the binary: a crawl counts each package's dependents in the
/// ecosystem, `--sort dependents` puts the most required first, the health score's `dependents`
/// rule follows the count, and a later incremental crawl that only fetched the *requiring*
/// packages still moves the required one's count and score.
@Suite struct DependentsCLITests {
    static func addon(_ i: Int, requires: [String], versions: [String] = ["1.0"]) -> FakePyPI.Project {
        FakePyPI.Project(name: "collective.addon\(i)", versions: versions, classifiers: ["Framework :: Plone :: 6.0"],
                         requiresDist: requires, summary: "Addon \(i) for Plone sites")
    }

    static func environment(_ fake: FakePyPI, store: String) -> [String: String] {
        [
            "TRAWL_PYPI_URL": fake.baseURL, "TRAWL_STORE": "sqlite:\(store)", "TRAWL_CLICKHOUSE_URL": "http://127.0.0.1:1",
            "TRAWL_PYPISTATS_URL": "http://127.0.0.1:1", "TRAWL_GITHUB_API_URL": "http://127.0.0.1:1",
            "TRAWL_HTTP_BACKOFF_MS": "5", "TRAWL_HTTP_MAX_ATTEMPTS": "2", "TRAWL_REFRESH_CONFIRM_DELAY": "0.05",
        ]
    }

    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    /// The stored document of `name` as `trawl show --json` prints it.
    static func shown(_ name: String, _ env: [String: String]) async throws -> [String: Any] {
        let show = try await TrawlProcess.run(["show", name, "-p", "plone", "--json"], environment: env)
        #expect(show.status == 0, "\(show.stderr)")
        return json(show.stdout)["document"] as? [String: Any] ?? [:]
    }

    static func dependentsRule(_ document: [String: Any]) -> [String: Any] {
        (document["health_score_breakdown"] as? [String: Any])?["dependents"] as? [String: Any] ?? [:]
    }

    @Test func countsSortAndScoreFollowTheRequiringPackages() async throws {
        let library = FakePyPI.Project(name: "Plone.Core_Lib", classifiers: ["Framework :: Plone :: 6.0"], summary: "Shared code for addons")
        let requirements = [
            ["plone-core-lib>=1.0"], ["PLONE.CORE.LIB"], ["plone_core_lib ; extra == \"full\""],
            ["plone.core-lib; sys_platform == \"linux\""], ["plone-core-lib", "collective.addon0"], ["plone-core-lib[x] (<3)"],
        ]
        let fake = try await FakePyPI.start([library] + requirements.enumerated().map { Self.addon($0.offset, requires: $0.element) })
        defer { Task { try? await fake.shutdown() } }
        let env = Self.environment(fake, store: TrawlProcess.temporaryDirectory().appendingPathComponent("t.sqlite").path)

        let crawl = try await TrawlProcess.run(["crawl", "-p", "plone", "--discovery", "scan", "--json"], environment: env)
        #expect(crawl.status == 0, "\(crawl.stderr)")
        #expect(Self.json(crawl.stdout)["indexed"] as? Int == 7, "\(crawl.stdout)")

        let search = try await TrawlProcess.run(["search", "-p", "plone", "--sort", "dependents", "--json", "--limit", "3"], environment: env)
        #expect(search.status == 0, "\(search.stderr)")
        let hits = (Self.json(search.stdout)["hits"] as? [[String: Any]] ?? []).compactMap { $0["document"] as? [String: Any] }
        #expect(hits.map { $0["normalized_name"] as? String ?? "" } == ["plone-core-lib", "collective-addon0", "collective-addon1"], "\(search.stdout.prefix(400))")
        #expect(hits.map { $0["dependents_count"] as? Int ?? -1 } == [6, 1, 0])

        let library1 = try await Self.shown("plone.core-lib", env)
        #expect(library1["dependents_count"] as? Int == 6)
        #expect(Self.dependentsRule(library1)["points"] as? Int == 4, "\(Self.dependentsRule(library1))")
        #expect((Self.dependentsRule(library1)["why"] as? String ?? "").contains("required by 6 packages"))

        // Four addons release a version without the library. Only they are fetched; the library's
        // count and score move all the same.
        for i in 2...5 { fake.add(Self.addon(i, requires: [], versions: ["1.0", "2.0"])) }
        let incremental = try await TrawlProcess.run(["crawl", "-p", "plone", "--incremental", "--json"], environment: env)
        #expect(incremental.status == 0, "\(incremental.stderr)")
        #expect(Self.json(incremental.stdout)["fetched"] as? Int == 4, "\(incremental.stdout)")
        let library2 = try await Self.shown("plone-core-lib", env)
        #expect(library2["dependents_count"] as? Int == 2)
        #expect(Self.dependentsRule(library2)["points"] as? Int == 2, "\(Self.dependentsRule(library2))")
        #expect((Self.dependentsRule(library2)["why"] as? String ?? "").contains("required by 2 packages"))
    }
}
