import Testing
import TestSupport
import TrawlCore
import TrawlPyPI

/// An outage must not empty a directory: a full crawl or refresh that would remove (or flag stale)
/// more than half of a collection does nothing of the kind unless forced, and a discovery that
/// failed on every path is an error, not an empty world.
@Suite struct ShrinkGuardTests {
    static func world() -> [FakePyPI.Project] {
        (0..<10).map { FakePyPI.Project(name: "collective.kept\($0)", classifiers: ["Framework :: Plone :: 6.0"]) }
    }

    @Test func aRefreshThatWouldRemoveMostOfTheCollectionRemovesNothingUnlessForced() async throws {
        let h = try await CrawlHarness.start(Self.world())
        _ = try await h.crawler(.full).run()
        for i in 0..<6 { h.fake.remove("collective.kept\(i)") }
        let refused = try await h.crawler(.refresh).run()
        #expect(refused.removed == 0)
        #expect(refused.withheld?.contains("remove 6 of the 10") == true, "\(refused.withheld ?? "nil")")
        #expect(try await h.names().count == 10)
        let forced = try await h.crawler(.refresh, force: true).run()
        #expect(forced.removed == 6)
        #expect(forced.withheld == nil)
        #expect(try await h.names().count == 4)
        try await h.shutdown()
    }

    @Test func aRefreshRemovingLessThanHalfNeedsNoForce() async throws {
        let h = try await CrawlHarness.start(Self.world())
        _ = try await h.crawler(.full).run()
        for i in 0..<3 { h.fake.remove("collective.kept\(i)") }
        let summary = try await h.crawler(.refresh).run()
        #expect(summary.removed == 3)
        #expect(summary.withheld == nil)
        try await h.shutdown()
    }

    /// The bound itself: "more than half" is refused, exactly half is not (5 of 10 here, 6 of 10
    /// above is refused).
    @Test func aRefreshRemovingExactlyHalfNeedsNoForce() async throws {
        let h = try await CrawlHarness.start(Self.world())
        _ = try await h.crawler(.full).run()
        for i in 0..<5 { h.fake.remove("collective.kept\(i)") }
        let summary = try await h.crawler(.refresh).run()
        #expect(summary.removed == 5)
        #expect(summary.withheld == nil, "\(summary.withheld ?? "nil")")
        #expect(try await h.names().count == 5)
        try await h.shutdown()
    }

    @Test func aFullCrawlFlaggingExactlyHalfStaleNeedsNoForce() async throws {
        let h = try await CrawlHarness.start(Self.world())
        _ = try await h.crawler(.full).run()
        for i in 0..<5 { h.fake.remove("collective.kept\(i)") }
        let summary = try await h.crawler(.full).run()
        #expect(summary.stale == 5)
        #expect(summary.withheld == nil, "\(summary.withheld ?? "nil")")
        try await h.shutdown()
    }

    @Test func aFullCrawlThatWouldFlagMostOfTheCollectionStaleFlagsNothingUnlessForced() async throws {
        let h = try await CrawlHarness.start(Self.world())
        _ = try await h.crawler(.full).run()
        for i in 0..<7 { h.fake.remove("collective.kept\(i)") }
        let refused = try await h.crawler(.full).run()
        #expect(refused.stale == 0)
        #expect(refused.withheld?.contains("flag stale 7 of the 10") == true, "\(refused.withheld ?? "nil")")
        let stale = try await h.store.documents(collection: "plone", after: nil, limit: 100).filter(\.stale)
        #expect(stale.isEmpty)
        let forced = try await h.crawler(.full, force: true).run()
        #expect(forced.stale == 7)
        try await h.shutdown()
    }

    /// A source that finds nothing and says why, as a source whose upstream is down does.
    struct DownSource: Source {
        static let descriptor = PluginDescriptor(kind: "down-for-test", summary: "always fails", options: [])
        init(options: PluginOptions, context: PluginContext) throws {}
        init() {}
        func discover(_ emit: @escaping @Sendable (Candidate) async throws -> Void) async throws -> DiscoveryReport {
            DiscoveryReport(problems: [Problem(package: "", kind: "discovery", message: "upstream answered 503", seenAt: 0)])
        }
    }

    @Test func aDiscoveryThatFailedOnEveryPathIsAnError() async throws {
        let h = try await CrawlHarness.start(Self.world())
        do {
            _ = try await h.crawler(.full, sources: [DownSource(), DownSource()]).run()
            Issue.record("a full crawl whose every source failed must not succeed with nothing")
        } catch let error as CrawlError {
            #expect("\(error)".contains("discovery failed on every path"), "\(error)")
            #expect("\(error)".contains("upstream answered 503"))
        }
        #expect(try await h.names().isEmpty)
        try await h.shutdown()
    }
}
