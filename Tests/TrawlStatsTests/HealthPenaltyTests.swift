import Foundation
import Testing
import TrawlCore
@testable import TrawlStats

/// The penalty rules of docs/health-score.md: a development status that says not to use the
/// package, and known vulnerabilities; the score never below 0 and the breakdown still its sum.
@Suite struct HealthPenaltyTests {
    static func score(_ configure: (inout PackageDocument) -> Void) -> HealthScore {
        HealthScore.compute(HealthScoreTests.complete(configure), now: HealthScoreTests.now)
    }

    static let advisory = Vulnerability(id: "PYSEC-2024-1", aliases: ["CVE-2024-0001"], summary: "XSS in the widget",
                                        link: "https://osv.invalid/PYSEC-2024-1", fixedIn: ["2.0.1"])

    @Test func inactiveAndPlanningCount() {
        let inactive = Self.score { $0.classifiers += ["Development Status :: 7 - Inactive"] }
        #expect(inactive.breakdown["development_status"]?.points == -40)
        #expect(inactive.breakdown["development_status"]?.max == 0)
        #expect(inactive.score == 60)
        #expect(inactive.breakdown["development_status"]?.why.contains("7 - Inactive") == true)
        let planning = Self.score { $0.classifiers += ["Development Status :: 1 - Planning"] }
        #expect(planning.breakdown["development_status"]?.points == -20)
        #expect(planning.score == 80)
        let stable = Self.score { $0.classifiers += ["Development Status :: 5 - Production/Stable"] }
        #expect(stable.breakdown["development_status"]?.points == 0)
        #expect(stable.score == 100)
    }

    @Test func knownVulnerabilitiesLowerTheScore() {
        let one = Self.score { $0.vulnerabilities = [Self.advisory] }
        #expect(one.breakdown["vulnerabilities"]?.points == -20)
        #expect(one.breakdown["vulnerabilities"]?.why.contains("PYSEC-2024-1") == true)
        #expect(one.score == 80)
        var second = Self.advisory
        second.id = "GHSA-xxxx"
        let three = Self.score { $0.vulnerabilities = [Self.advisory, second, second] }
        #expect(three.breakdown["vulnerabilities"]?.points == -40, "at most −40")
        #expect(Self.score { _ in }.breakdown["vulnerabilities"]?.points == 0)
    }

    @Test func theScoreNeverGoesBelowZeroAndStillAddsUp() {
        var d = PackageDocument(name: "poor")
        d.author = "Someone"
        d.license = "MIT"
        d.classifiers = ["Development Status :: 7 - Inactive", "A :: B", "C :: D"]
        d.vulnerabilities = [Self.advisory]
        let score = HealthScore.compute(d, now: HealthScoreTests.now)
        #expect(score.score == 0)
        #expect(score.breakdown.values.reduce(0) { $0 + $1.points } == score.score)
        #expect(score.breakdown["vulnerabilities"]?.points == 0, "the last penalty is trimmed first")
        #expect(score.breakdown["vulnerabilities"]?.why.contains("0 of 20 taken") == true)
        #expect(score.breakdown["development_status"]?.points == -30)
        #expect(score.breakdown["development_status"]?.why.contains("30 of 40 taken") == true)
    }

    @Test func oldDocumentsWithoutTheFieldStillDecode() throws {
        let old = #"{"name":"x","normalized_name":"x","version":"1.0","health_score":7}"#
        let doc = try JSONDecoder().decode(PackageDocument.self, from: Data(old.utf8))
        #expect(doc.vulnerabilities.isEmpty && doc.healthScore == 7)
        var withOne = doc
        withOne.vulnerabilities = [Self.advisory]
        let again = try JSONDecoder().decode(PackageDocument.self, from: JSONEncoder().encode(withOne))
        #expect(again.vulnerabilities == [Self.advisory])
        #expect(String(decoding: try JSONEncoder().encode(withOne), as: UTF8.self).contains("\"fixed_in\":[\"2.0.1\"]"))
    }
}
