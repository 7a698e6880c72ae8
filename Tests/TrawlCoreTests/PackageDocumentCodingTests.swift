import Foundation
import Testing
import TrawlCore

/// `PackageDocument`'s hand-written decoding (concrete scalar reads, the breakdown through nested
/// containers) reads back everything the synthesized encoding writes, and stays lenient.
@Suite struct PackageDocumentCodingTests {
    @Test func everyFieldSurvivesARoundTrip() throws {
        var d = PackageDocument(name: "Django-Round_Trip")
        d.version = "2.1"
        d.description = "line\nwith \"quotes\" and é"
        d.classifiers = ["Framework :: Django"]
        d.projectURLs = ["Source": "https://example.org/x"]
        d.uploadTimestamp = 1_800_000_000
        d.yanked = true
        d.versionMajor = 2
        d.githubStars = 42
        d.githubUpdated = 1_700_000_000
        d.githubArchived = true
        d.downloadLastMonth = 1_234
        d.healthScore = 61
        d.healthScoreBreakdown = [
            "recency": HealthRuleResult(points: 40, max: 40, why: "last release 3 days ago"),
            "penalty": HealthRuleResult(points: -5, max: 0, why: "archived"),
        ]
        d.dependentsCount = 3
        d.lastSerial = 99
        let again = try JSONDecoder().decode(PackageDocument.self, from: JSONEncoder().encode(d))
        #expect(again == d)
    }

    @Test func anAbsentOrNullBreakdownIsEmptyAndABrokenOneFails() throws {
        for text in [#"{"name":"x"}"#, #"{"name":"x","health_score_breakdown":null}"#, #"{"name":"x","health_score_breakdown":{}}"#] {
            let doc = try JSONDecoder().decode(PackageDocument.self, from: Data(text.utf8))
            #expect(doc.healthScoreBreakdown.isEmpty && doc.normalizedName == "x", "\(text)")
        }
        let broken = #"{"name":"x","health_score_breakdown":{"recency":{"points":"many","max":40,"why":""}}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PackageDocument.self, from: Data(broken.utf8)) }
    }
}
