import Testing
import TrawlCore
@testable import TrawlStats

/// `is_new` and `is_verified` at their thresholds.
@Suite struct FlagsTests {
    static let now = StatsHarness.now
    static func ago(_ days: Int) -> Int64 { now - Int64(days) * StatsHarness.day }

    static func releases(_ days: [Int]) -> [Release] {
        days.enumerated().map { Release(version: "1.\($0.offset)", uploadTimestamp: ago($0.element)) }
    }

    @Test func newMeansTheFirstReleaseIsAtMostThirtyDaysOld() {
        #expect(PackageFlags.isNew(releases: Self.releases([10]), now: Self.now))
        #expect(PackageFlags.isNew(releases: Self.releases([30, 2]), now: Self.now))
        #expect(!PackageFlags.isNew(releases: Self.releases([31]), now: Self.now))
        #expect(!PackageFlags.isNew(releases: Self.releases([400, 1]), now: Self.now), "a fresh release of an old package is not new")
        #expect(!PackageFlags.isNew(releases: [], now: Self.now))
        #expect(!PackageFlags.isNew(releases: [Release(version: "0.1", uploadTimestamp: 0)], now: Self.now), "no date, no claim")
    }

    /// A package meeting every verification rule exactly at its threshold.
    static func qualifying(_ change: (inout PackageDocument) -> Void = { _ in }) -> PackageDocument {
        PackageDocument(name: "good").with { d in
            d.version = "1.0"
            d.downloadLastMonth = 101
            d.uploadTimestamp = ago(180)
            d.license = "MIT"
            d.summary = String(repeating: "s", count: 30)
            d.keywords = ["flet"]
            change(&d)
        }
    }

    @Test func verifiedNeedsEveryRule() {
        #expect(PackageFlags.isVerified(Self.qualifying(), now: Self.now))
        #expect(PackageFlags.isVerified(Self.qualifying { $0.keywords = []; $0.topics = ["flet"] }, now: Self.now), "topics do as well as keywords")
        #expect(PackageFlags.isVerified(Self.qualifying { $0.license = ""; $0.classifiers = ["License :: OSI Approved :: MIT License"] }, now: Self.now))
        let failing: [(String, (inout PackageDocument) -> Void)] = [
            ("no version", { $0.version = "" }),
            ("100 downloads", { $0.downloadLastMonth = 100 }),
            ("released 181 days ago", { $0.uploadTimestamp = Self.ago(181) }),
            ("no release date", { $0.uploadTimestamp = 0 }),
            ("no license", { $0.license = "" }),
            ("29-character summary", { $0.summary = String(repeating: "s", count: 29) }),
            ("no topics or keywords", { $0.keywords = [] }),
        ]
        for (label, change) in failing {
            let d = Self.qualifying(change)
            #expect(!PackageFlags.isVerified(d, now: Self.now), "\(label)")
            #expect(PackageFlags.verificationGaps(d, now: Self.now).count == 1, "\(label): \(PackageFlags.verificationGaps(d, now: Self.now))")
        }
    }

    @Test func officialIsAlwaysVerified() {
        #expect(PackageFlags.isVerified(PackageDocument(name: "flet-map").with { $0.isOfficial = true }, now: Self.now))
    }

    @Test func theEnricherSetsFlagsAndKeepsOfficial() async throws {
        let h = try StatsHarness()
        let enricher = try FlagsEnricher(options: PluginOptions(), context: h.context())
        var batch = EnrichmentBatch(
            documents: [Self.qualifying(), PackageDocument(name: "official").with { $0.isOfficial = true }, PackageDocument(name: "unknown").with { $0.isNew = true }],
            releases: ["good": Self.releases([5]), "official": Self.releases([900])])
        try await enricher.enrich(&batch)
        try await h.shutdown()
        #expect(batch.documents.map(\.isVerified) == [true, true, false])
        #expect(batch.documents.map(\.isNew) == [true, false, true], "without its releases a package keeps its flag")
        #expect(batch.documents[1].isOfficial)
    }
}
