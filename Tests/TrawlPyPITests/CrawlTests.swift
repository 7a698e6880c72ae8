import Foundation
import TestSupport
import Testing
import TrawlCore
@testable import TrawlPyPI

/// Full, incremental and refresh runs against the fake index.
@Suite struct CrawlTests {
    @Test func fullScanFindsByPrefixSubClassifierAndUnrelatedName() async throws {
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        let summary = try await h.crawler(.full).run()
        let names = try await h.names()
        try await h.shutdown()
        #expect(names.count == 23)
        #expect(names.contains("plone-app-example"))
        #expect(names.contains("collective-only-sub"), "a package with only a sub-classifier")
        #expect(names.contains("unrelated-name"), "the classifier counts, not the name")
        #expect(!names.contains("plonex-lookalike"), "Plonex is not Plone")
        #expect(!names.contains { $0.hasPrefix("flask") || $0.hasPrefix("django") })
        #expect(summary.discovered == 23)
        #expect(summary.indexed == 23)
        #expect(summary.problems == 0)
    }

    @Test func documentFieldsFromTheJSON() async throws {
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        _ = try await h.crawler(.full).run()
        let doc = try #require(try await h.store.document("plone.app.example", collection: "plone"))
        let releases = try await h.store.releases("plone.app.example", collection: "plone")
        try await h.shutdown()
        #expect(doc.name == "plone.app.example")
        #expect(doc.version == "1.2.10")
        #expect(doc.versionMajor == 1 && doc.versionMinor == 2 && doc.versionBugfix == 10, "1.2.10 is not 0.0.0")
        #expect(doc.versionSortable > PEP440Version.sortableKey("1.2.9"))
        #expect(doc.keywords == ["plone", "cms"])
        #expect(doc.pythonVersions == ["3.12"])
        #expect(doc.author == "Jane Doe")
        #expect(doc.profiles == ["plone"])
        #expect(doc.discoveredBy == ["pypi-classifiers"])
        #expect(doc.githubURL == "https://github.com/example/plone.app.example", "the repository is detected from project_urls")
        #expect(doc.uploadTimestamp == 1_709_460_000)  // 2024-03-03T10:00:00Z, the latest upload
        #expect(releases.map(\.version) == ["1.2.10", "1.2.9", "1.0"])
        #expect(doc.firstSeen > 0 && doc.lastSynced > 0)
        let sub = try #require(try await h.store.document("collective.only_sub", collection: "plone"))
        #expect(sub.frameworkVersions == ["6.0"])
    }

    @Test func limitAndFilterName() async throws {
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        let limited = try await h.crawler(.full, limit: 5).run()
        #expect(limited.indexed == 5)
        #expect(try await h.names().count == 5)
        let filtered = try await h.crawler(.full, filter: "addon1").run()
        let names = try await h.names()
        try await h.shutdown()
        #expect(filtered.discovered == 11)  // addon1, addon10…addon19
        // The first five (by name) were addon0, addon1, addon10, addon11, addon12; the filter adds the rest.
        #expect(names.count == 12)
        #expect(try await h.store.search(SearchQuery(filters: [.flag(field: "stale", value: true)]), collection: "plone").total == 0,
                "a partial crawl flags nothing stale")
    }

    @Test func secondFullRunCostsOnly304s() async throws {
        // Port 1 is outside the ephemeral range: no other test's server can ever be bound there,
        // unlike a just-closed ephemeral port, which a parallel test may be handed next.
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects(), clickhouseURL: "http://127.0.0.1:1")
        let first = try await h.crawler(.full, discovery: .clickhouse).run()  // ClickHouse unreachable: falls back to scan
        #expect(first.indexed == 23)
        h.fake.resetCounters()
        let second = try await h.crawler(.full).run()
        try await h.shutdown()
        // The index lists every project's serial: nothing changed, so nothing is downloaded.
        #expect(second.unchanged == 23)
        #expect(h.fake.jsonServed == 0)
        #expect(h.fake.notModifiedServed == 0, "the serial says unchanged: not even a 304")
        let h2 = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        _ = try await h2.crawler(.full).run()
        h2.fake.resetCounters()
        let refresh = try await h2.crawler(.refresh).run()
        #expect(h2.fake.jsonServed == 0, "unchanged projects are not downloaded again")
        #expect(h2.fake.notModifiedServed == 23)
        #expect(refresh.unchanged == 23)
        #expect(refresh.fetched == 0)
        try await h2.shutdown()
    }

    @Test func repeatScanReadsOnlyWhatChanged() async throws {
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        _ = try await h.crawler(.full, limit: 3).run()  // partial: must not vouch for a later scan
        _ = try await h.crawler(.full).run()
        #expect(try await h.names().count == 23, "the partial run did not hide anything from the full one")
        h.fake.release("collective.addon5", version: "3.0")
        h.fake.add(.init(name: "fresh.plone.thing", versions: ["0.1"], classifiers: ["Framework :: Plone :: 6.2"]))
        h.fake.add(.init(name: "fresh-flask-thing", versions: ["0.1"], classifiers: ["Framework :: Flask"]))
        h.fake.resetCounters()
        let third = try await h.crawler(.full).run()
        let names = try await h.names()
        let addon5 = try await h.store.document("collective.addon5", collection: "plone")
        try await h.shutdown()
        #expect(h.fake.jsonServed == 3, "one changed member and two new projects")
        #expect(third.unchanged == 22)
        #expect(names.count == 24)
        #expect(names.contains("fresh-plone-thing"))
        #expect(addon5?.version == "3.0")
    }

    @Test func packagesNoLongerDiscoveredAreKeptButStale() async throws {
        var projects = CrawlHarness.sampleProjects()
        let h = try await CrawlHarness.start(projects)
        _ = try await h.crawler(.full).run()
        projects[0].classifiers = ["Framework :: Django"]  // plone.app.example leaves Plone
        h.fake.add(projects[0])
        let second = try await h.crawler(.full).run()
        let doc = try await h.store.document("plone.app.example", collection: "plone")
        try await h.shutdown()
        #expect(second.stale == 1)
        #expect(doc?.stale == true, "kept, flagged, never silently dropped")
    }

    @Test func malformedJSONIsAProblemAndTheCrawlGoesOn() async throws {
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        _ = try await h.crawler(.full).run()
        h.fake.setRawBody("collective.addon3", #"{"info": {"name": "collective.addon3", "versi"#)
        h.fake.setRawBody("collective.addon4", #"{"releases": {}}"#)
        h.fake.release("collective.addon3", version: "9.0")  // new serial → new ETag → a real fetch
        h.fake.release("collective.addon4", version: "9.0")
        let refresh = try await h.crawler(.refresh).run()
        let problems = try await h.store.problems(collection: "plone", package: nil)
        let kept = try await h.store.document("collective.addon3", collection: "plone")
        try await h.shutdown()
        #expect(refresh.problems == 2)
        #expect(Set(problems.map(\.package)) == ["collective-addon3", "collective-addon4"])
        #expect(problems.allSatisfy { $0.kind == "pypi-json" })
        #expect(problems.contains { $0.message.contains("no 'info'") })
        #expect(kept?.version == "1.3", "bad data never replaces or removes the stored document")
        #expect(try await h.names().count == 23)
    }

    @Test func refreshDuring503StormRemovesNothing() async throws {
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        _ = try await h.crawler(.full).run()
        h.fake.setFaults([.projectJSON503])
        let refresh = try await h.crawler(.refresh).run()
        let count = try await h.names().count
        try await h.shutdown()
        #expect(refresh.removed == 0)
        #expect(count == 23)
        #expect(refresh.problems == 23)
    }

    @Test func refreshRemovesExactlyTheConfirmed404() async throws {
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        _ = try await h.crawler(.full).run()
        h.fake.remove("collective.addon7")
        let refresh = try await h.crawler(.refresh).run()
        let names = try await h.names()
        try await h.shutdown()
        #expect(refresh.removed == 1)
        #expect(names.count == 22)
        #expect(!names.contains("collective-addon7"))
    }

    @Test func incrementalCatchesMoreThan100ReleasesAndNewProjects() async throws {
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        _ = try await h.crawler(.full).run()
        // 150 releases between two polls: more than the RSS feed's 100 items.
        for round in 0..<7 {
            for i in 0..<20 { h.fake.release("collective.addon\(i)", version: "2.\(round)") }
        }
        for i in 0..<10 { h.fake.release("flask-thing\(i)", version: "9.9") }
        h.fake.add(.init(name: "brand.new.plone", versions: ["0.1"], classifiers: ["Framework :: Plone :: 6.1"]))
        h.fake.add(.init(name: "brand-new-other", versions: ["0.1"], classifiers: ["Framework :: Django"]))
        h.fake.resetCounters()
        let inc = try await h.crawler(.incremental).run()
        let names = try await h.names()
        let addon0 = try await h.store.document("collective.addon0", collection: "plone")
        let addon19 = try await h.store.document("collective.addon19", collection: "plone")
        try await h.shutdown()
        #expect(names.contains("brand-new-plone"), "a new project is checked against the profile's sources")
        #expect(!names.contains("brand-new-other"))
        #expect(addon0?.version == "2.6")
        #expect(addon19?.version == "2.6", "the oldest of the 150 events is not lost")
        #expect(names.count == 24)
        // 20 updated + 2 new + 10 flask (fetched to check, not kept): never all 23 again.
        #expect(h.fake.jsonServed == 32)
        #expect(inc.indexed == 21)
    }

    @Test func incrementalDedupsAndAdvancesTheSerial() async throws {
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        _ = try await h.crawler(.full).run()
        h.fake.release("collective.addon1", version: "5.0")
        let first = try await h.crawler(.incremental).run()
        h.fake.resetCounters()
        let again = try await h.crawler(.incremental).run()
        try await h.shutdown()
        #expect(first.indexed == 1)
        #expect(again.discovered == 0, "the serial advanced and the dedup key is claimed")
        #expect(h.fake.jsonServed == 0)
    }

    @Test func incrementalRemovalNeedsAConfirmed404() async throws {
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        _ = try await h.crawler(.full).run()
        h.fake.remove("collective.addon2")
        let inc = try await h.crawler(.incremental).run()
        let names = try await h.names()
        try await h.shutdown()
        #expect(inc.removed == 1)
        #expect(!names.contains("collective-addon2"))
    }

    @Test func incrementalWithoutSerialAsksForAFullCrawl() async throws {
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        await #expect(throws: CrawlError.self) { _ = try await h.crawler(.incremental).run() }
        try await h.shutdown()
    }

    @Test func resumesFromCheckpointAfterInterruption() async throws {
        let projects = CrawlHarness.sampleProjects()
        let clean = try await CrawlHarness.start(projects)
        _ = try await clean.crawler(.full).run()
        let expected = try await Self.snapshot(clean)
        try await clean.shutdown()

        let h = try await CrawlHarness.start(projects)
        h.fake.setFaults([.latency(.milliseconds(30))])
        let task = Task { try await h.crawler(.full).run() }
        // Wait until some batches are committed, then stop the run mid-way.
        var waited = 0
        while try await h.names().count < 8, waited < 1000 {
            try await Task.sleep(for: .milliseconds(5))
            waited += 1
        }
        task.cancel()
        _ = try? await task.value
        let partial = try await h.names().count
        #expect(partial > 0 && partial < 23, "interrupted mid-way (\(partial))")
        #expect(try await h.store.checkpoint("crawl:plone:full:list") != nil)
        h.fake.setFaults([])
        let resumed = try await h.crawler(.full).run()
        #expect(resumed.resumed)
        #expect(try await Self.snapshot(h) == expected)
        #expect(try await h.store.checkpoint("crawl:plone:full:list") == nil)
        try await h.shutdown()
    }

    /// Every document without its run-dependent timestamps.
    static func snapshot(_ h: CrawlHarness) async throws -> [PackageDocument] {
        try await h.store.documents(collection: "plone", after: nil, limit: 1000).map { d in
            var d = d
            d.firstSeen = 0
            d.lastSynced = 0
            return d
        }
    }
}
