import Foundation
import TestSupport
import Testing
import TrawlCore
@testable import TrawlStats

/// Every rule of docs/health-score.md at its thresholds, and the breakdown adding up to the score.
@Suite struct HealthScoreTests {
    static let now: Int64 = 1_800_000_000
    static let day = StatsHarness.day

    static func ago(_ days: Int) -> Int64 { now - Int64(days) * day }

    /// A package every base rule gives full points.
    static func complete(_ configure: (inout PackageDocument) -> Void = { _ in }) -> PackageDocument {
        var d = PackageDocument(name: "complete")
        d.uploadTimestamp = ago(10)
        d.description = String(repeating: "word ", count: 200) + "\n![screenshot](https://example.org/shot.png)"
        d.docsURL = "https://complete.readthedocs.io"
        d.projectURLs = ["Documentation": "https://complete.readthedocs.io"]
        d.author = "Ada"
        d.license = "MIT"
        d.classifiers = ["A :: B", "C :: D", "E :: F"]
        configure(&d)
        return d
    }

    static func github(stars: Int, pushedDaysAgo: Int?, issues: Int = 0, archived: Bool = false) -> (inout PackageDocument) -> Void {
        { d in
            d.githubURL = "https://github.com/o/r"
            d.githubStars = stars
            d.githubOpenIssues = issues
            d.githubUpdated = pushedDaysAgo.map(ago) ?? 0
            d.githubArchived = archived
        }
    }

    func points(_ rule: HealthRule, _ d: PackageDocument) -> Int {
        HealthScore.compute(d, now: Self.now).breakdown[rule.rawValue]?.points ?? -1
    }

    @Test(arguments: [(0, 40), (90, 40), (91, 30), (180, 30), (181, 20), (365, 20), (366, 10), (730, 10), (731, 0), (5_000, 0)])
    func recency(days: Int, expected: Int) {
        #expect(points(.recency, PackageDocument(name: "p").with { $0.uploadTimestamp = Self.ago(days) }) == expected)
    }

    @Test func recencyUnknownOrArchivedIsZero() {
        #expect(points(.recency, PackageDocument(name: "p")) == 0)
        let archived = Self.complete { $0.githubArchived = true; $0.githubURL = "https://github.com/o/r" }
        #expect(points(.recency, archived) == 0)
        #expect(HealthScore.compute(archived, now: Self.now).breakdown["recency"]?.why.contains("archived") == true)
    }

    @Test(arguments: [(0, 0), (99, 0), (100, 3), (299, 3), (300, 6), (999, 6), (1_000, 10), (20_000, 10)])
    func description(length: Int, expected: Int) {
        #expect(points(.description, PackageDocument(name: "p").with { $0.description = String(repeating: "x", count: length) }) == expected)
    }

    @Test func docsURL() {
        #expect(points(.docsURL, PackageDocument(name: "p").with { $0.docsURL = "https://x.example/manual" }) == 5)
        #expect(points(.docsURL, PackageDocument(name: "p").with { $0.homePage = "https://p.readthedocs.io/en/latest/" }) == 5)
        #expect(points(.docsURL, PackageDocument(name: "p").with { $0.homePage = "https://docs.p.dev" }) == 5)
        #expect(points(.docsURL, PackageDocument(name: "p").with { $0.homePage = "https://github.com/o/p" }) == 0)
        #expect(points(.docsURL, PackageDocument(name: "p")) == 0)
    }

    @Test func docsLink() {
        #expect(points(.docsLink, PackageDocument(name: "p").with { $0.projectURLs = ["Documentation": "https://x.example"] }) == 5)
        #expect(points(.docsLink, PackageDocument(name: "p").with { $0.projectURLs = ["Homepage": "https://o.github.io/p"] }) == 5)
        #expect(points(.docsLink, PackageDocument(name: "p").with { $0.projectURLs = ["Source": "https://github.com/o/p", "Tracker": "https://github.com/o/p/issues"] }) == 0)
    }

    @Test(arguments: [
        ("![demo](https://raw.githubusercontent.com/o/p/main/demo.png)", 10),
        ("<p><img width=\"400\" src=\"https://example.org/app.gif\"></p>", 10),
        (".. image:: https://example.org/screen.jpg\n   :alt: screen", 10),
        ("![shot](https://github.com/user-attachments/assets/1f2e3d4c)", 10),
        ("[![PyPI](https://img.shields.io/pypi/v/p.svg)](https://x) [![CI](https://github.com/o/p/actions/workflows/ci.yml/badge.svg)](https://x)", 0),
        (".. image:: https://travis-ci.org/o/p.png\n.. image:: https://coveralls.io/repos/o/p/badge.png", 0),
        ("![logo](https://example.org/logo.svg)", 0),
        ("no pictures here", 0),
        // The markers that let a text skip the patterns are matched without case, as the patterns are.
        ("<P><IMG SRC='https://example.org/App.PNG'></P>", 10),
        ("..  FIGURE:: https://example.org/screen.jpg", 10),
        ("text :: with colons but ! [no] image", 0),
    ])
    func screenshot(description: String, expected: Int) {
        #expect(points(.screenshot, PackageDocument(name: "p").with { $0.description = description }) == expected)
    }

    @Test func descriptionLengthIgnoresSurroundingWhiteSpace() {
        #expect(HealthRules.trimmedLength("  \n\t abc \u{00A0}\n") == 3)
        #expect(HealthRules.trimmedLength("\u{2003} a b \r\n") == 3, "inner spaces count, an em space around does not")
        #expect(HealthRules.trimmedLength("") == 0 && HealthRules.trimmedLength(" \n ") == 0)
        #expect(HealthRules.trimmedLength("e\u{301}x") == 2, "characters, not scalars")
        #expect(points(.description, PackageDocument(name: "p").with { $0.description = "\n" + String(repeating: "x", count: 999) + "\n\n" }) == 6)
        #expect(points(.description, PackageDocument(name: "p").with { $0.description = String(repeating: "x", count: 1_000) }) == 10)
    }

    /// The ASCII fast path of `trimmedLength` counts what the grapheme count counts (CR LF is one
    /// character), and the `memchr` scan of `mentions` finds what the byte-by-byte scan finds.
    @Test func fastPathsAgreeWithTheSlowOnes() {
        var random = SystemRandomNumberGenerator()
        let alphabet: [Character] = [" ", "\t", "\r", "\n", "a", "X", "!", "[", "<", "i", "M", "g", ":", "\u{0B}", "\u{0C}"]
        for _ in 0..<2_000 {
            let text = String((0..<Int.random(in: 0...24, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            let slow = text.unicodeScalars.firstIndex { !$0.properties.isWhitespace }.map { first in
                text[first...text.unicodeScalars.lastIndex { !$0.properties.isWhitespace }!].count
            } ?? 0
            #expect(HealthRules.asciiTrimmedLength(text) == slow, "\(Array(text.utf8))")
            for marker in DescriptionImages.syntaxes.map(\.marker) {
                #expect(DescriptionImages.mentions(text, marker) == DescriptionImages.slowlyMentions(text, marker), "\(text.debugDescription)")
            }
        }
        #expect(HealthRules.asciiTrimmedLength("caf\u{E9}") == nil, "not ASCII: the grapheme count decides")
        #expect(HealthRules.asciiTrimmedLength(" a\r\nb ") == 3)
        #expect(DescriptionImages.mentions("x <ImG", Array("<img".utf8)) && !DescriptionImages.mentions("<im", Array("<img".utf8)))
    }

    @Test func authorLicenseClassifiers() {
        #expect(points(.author, PackageDocument(name: "p").with { $0.author = "Ada" }) == 10)
        #expect(points(.author, PackageDocument(name: "p").with { $0.maintainer = "Bob" }) == 10)
        #expect(points(.author, PackageDocument(name: "p").with { $0.author = "UNKNOWN" }) == 0)
        #expect(points(.author, PackageDocument(name: "p")) == 0)
        #expect(points(.license, PackageDocument(name: "p").with { $0.license = "BSD-3-Clause" }) == 10)
        #expect(points(.license, PackageDocument(name: "p").with { $0.classifiers = ["License :: OSI Approved :: MIT License"] }) == 10)
        #expect(points(.license, PackageDocument(name: "p").with { $0.license = "UNKNOWN" }) == 0)
        #expect(points(.license, PackageDocument(name: "p")) == 0)
        #expect(points(.classifiers, PackageDocument(name: "p").with { $0.classifiers = ["a", "b"] }) == 0)
        #expect(points(.classifiers, PackageDocument(name: "p").with { $0.classifiers = ["a", "b", "c"] }) == 10)
    }

    @Test(arguments: [(0, 0), (9, 0), (10, 2), (49, 2), (50, 4), (249, 4), (250, 7), (999, 7), (1_000, 10), (90_000, 10)])
    func stars(count: Int, expected: Int) {
        #expect(points(.githubStars, PackageDocument(name: "p").with(Self.github(stars: count, pushedDaysAgo: 5))) == expected)
    }

    @Test(arguments: [(365, 10), (366, 5), (730, 5), (731, 0), (3_000, 0)])
    func starsFadeWithoutPushes(daysSincePush: Int, expected: Int) {
        #expect(points(.githubStars, PackageDocument(name: "p").with(Self.github(stars: 5_000, pushedDaysAgo: daysSincePush))) == expected)
    }

    @Test func starsOfArchivedOrUnknownPush() {
        #expect(points(.githubStars, PackageDocument(name: "p").with(Self.github(stars: 5_000, pushedDaysAgo: 1, archived: true))) == 0)
        #expect(points(.githubStars, PackageDocument(name: "p").with(Self.github(stars: 5_000, pushedDaysAgo: nil))) == 5)
    }

    @Test(arguments: [(0, 5), (90, 5), (91, 2), (365, 2), (366, 0)])
    func activity(daysSincePush: Int, expected: Int) {
        #expect(points(.githubActivity, PackageDocument(name: "p").with(Self.github(stars: 1, pushedDaysAgo: daysSincePush))) == expected)
        #expect(points(.githubActivity, PackageDocument(name: "p").with(Self.github(stars: 1, pushedDaysAgo: daysSincePush, archived: true))) == 0)
    }

    @Test(arguments: [(9, 0, 0), (100, 0, 5), (100, 10, 5), (100, 11, 3), (100, 25, 3), (100, 26, 1), (100, 50, 1), (100, 51, 0)])
    func issuesToStars(stars: Int, issues: Int, expected: Int) {
        #expect(points(.githubIssues, PackageDocument(name: "p").with(Self.github(stars: stars, pushedDaysAgo: 10, issues: issues))) == expected)
    }

    @Test func issuesOfArchivedOrSilentRepositoriesDoNotCount() {
        #expect(points(.githubIssues, PackageDocument(name: "p").with(Self.github(stars: 100, pushedDaysAgo: 10, archived: true))) == 0)
        #expect(points(.githubIssues, PackageDocument(name: "p").with(Self.github(stars: 100, pushedDaysAgo: 731))) == 0)
    }

    @Test func absentGitHubDataIsNoBonusNotAPenalty() {
        let score = HealthScore.compute(Self.complete(), now: Self.now)
        #expect(score.score == 100, "full base points reach the ceiling without GitHub")
        for rule in HealthRule.allCases where rule.isBonus {
            #expect(score.breakdown[rule.rawValue]?.points == 0)
            #expect(score.breakdown[rule.rawValue]?.why.contains("not a penalty") == true)
        }
        // A GitHub URL alone (data not fetched yet) is not GitHub data either.
        let urlOnly = HealthScore.compute(Self.complete { $0.githubURL = "https://github.com/o/r" }, now: Self.now)
        #expect(urlOnly.score == 100)
    }

    @Test func bonusOnlyFillsMissedPointsAndTheBreakdownStillAddsUp() {
        // Base 90 (no screenshot) + a 20-point GitHub bonus: capped at 100.
        let d = Self.complete { $0.description = String(repeating: "x", count: 1_000) }.with(Self.github(stars: 2_000, pushedDaysAgo: 3, issues: 1))
        let score = HealthScore.compute(d, now: Self.now)
        #expect(score.score == 100)
        #expect(score.breakdown.values.reduce(0) { $0 + $1.points } == 100)
        #expect(score.breakdown["github_stars"]?.points == 10)
        #expect(score.breakdown["github_activity"]?.points == 0)
        #expect(score.breakdown["github_issues"]?.points == 0)
        #expect(score.breakdown["github_issues"]?.why.contains("capped at 100") == true)
    }

    @Test(arguments: [(0, 0), (1, 2), (2, 2), (3, 4), (9, 4), (10, 7), (24, 7), (25, 10), (4_000, 10)])
    func dependentsBonus(count: Int, expected: Int) {
        // On a package that missed 30 base points, so the bonus is not trimmed by the cap.
        let d = PackageDocument(name: "p").with { $0.uploadTimestamp = Self.ago(10); $0.dependentsCount = count }
        #expect(points(.dependents, d) == expected)
        let why = HealthScore.compute(d, now: Self.now).breakdown["dependents"]?.why ?? ""
        #expect(count == 0 ? why.contains("not a penalty") : why.contains("required by \(count == 1 ? "1 package" : "\(count) packages")"), "\(why)")
    }

    @Test func theDependentsBonusIsTrimmedFirstAtTheCeiling() {
        // Base 90 + 10 stars points + 10 dependents points: the dependents rule, last, is trimmed.
        let d = Self.complete { $0.description = String(repeating: "x", count: 1_000); $0.dependentsCount = 30 }
            .with(Self.github(stars: 2_000, pushedDaysAgo: 400, issues: 2_000))
        let score = HealthScore.compute(d, now: Self.now)
        #expect(score.score == 100)
        #expect(score.breakdown["github_stars"]?.points == 5)
        #expect(score.breakdown["dependents"]?.points == 5)
        #expect(score.breakdown["dependents"]?.why.contains("5 of 10 counted") == true)
    }

    @Test func archivedOrLongUnpushedCannotRankHighOnOldStars() {
        let famousButDead = PackageDocument(name: "dead").with {
            $0.uploadTimestamp = Self.ago(1_200)
            $0.description = String(repeating: "word ", count: 300)
            $0.author = "Ada"
            $0.license = "MIT"
            $0.classifiers = ["a", "b", "c"]
        }
        let archived = HealthScore.compute(famousButDead.with(Self.github(stars: 40_000, pushedDaysAgo: 100, issues: 10, archived: true)), now: Self.now)
        let unpushed = HealthScore.compute(famousButDead.with(Self.github(stars: 40_000, pushedDaysAgo: 1_000, issues: 10)), now: Self.now)
        let smallButAlive = HealthScore.compute(famousButDead.with {
            $0.uploadTimestamp = Self.ago(20)
            Self.github(stars: 12, pushedDaysAgo: 2)(&$0)
        }, now: Self.now)
        for dead in [archived, unpushed] {
            #expect(dead.breakdown["github_stars"]?.points == 0)
            #expect(dead.breakdown["github_issues"]?.points == 0)
            #expect(dead.score <= 40, "\(dead.score)")
            #expect(dead.score < smallButAlive.score)
        }
    }

    @Test func breakdownAlwaysSumsToTheScore() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<2_000 {
            let d = PackageDocument(name: "r").with { d in
                d.uploadTimestamp = Bool.random(using: &generator) ? Self.ago(Int.random(in: 0...2_000, using: &generator)) : 0
                d.description = String(repeating: "x", count: Int.random(in: 0...1_500, using: &generator))
                    + (Bool.random(using: &generator) ? "![s](https://e.org/s.png)" : "")
                if Bool.random(using: &generator) { d.docsURL = "https://d.example" }
                if Bool.random(using: &generator) { d.projectURLs = ["Docs": "https://d.example"] }
                if Bool.random(using: &generator) { d.author = "A" }
                if Bool.random(using: &generator) { d.license = "MIT" }
                d.classifiers = Array(repeating: "c", count: Int.random(in: 0...5, using: &generator))
                d.dependentsCount = Bool.random(using: &generator) ? Int.random(in: 0...40, using: &generator) : 0
                if Bool.random(using: &generator) {
                    Self.github(stars: Int.random(in: 0...5_000, using: &generator),
                                pushedDaysAgo: Bool.random(using: &generator) ? Int.random(in: 0...1_500, using: &generator) : nil,
                                issues: Int.random(in: 0...500, using: &generator), archived: Int.random(in: 0..<5, using: &generator) == 0)(&d)
                }
            }
            let score = HealthScore.compute(d, now: Self.now)
            #expect(score.breakdown.values.reduce(0) { $0 + $1.points } == score.score)
            #expect((0...100).contains(score.score))
            #expect(Set(score.breakdown.keys) == Set(HealthRule.allCases.map(\.rawValue)))
            #expect(score.breakdown.allSatisfy { $0.value.points >= 0 && $0.value.points <= $0.value.max && !$0.value.why.isEmpty })
        }
        #expect(HealthRule.allCases.filter { !$0.isBonus }.reduce(0) { $0 + $1.max } == 100)
    }

    @Test func theEnricherStoresScoreAndBreakdown() async throws {
        var batch = EnrichmentBatch(documents: [Self.complete { $0.uploadTimestamp = StatsHarness.now - 86_400 }, PackageDocument(name: "bare")])
        let h = try StatsHarness()
        try await HealthEnricher(options: PluginOptions(), context: h.context()).enrich(&batch)
        try await h.shutdown()
        #expect(batch.documents[0].healthScore == 100)
        #expect(batch.documents[1].healthScore == 0)
        #expect(batch.documents.allSatisfy { $0.healthScoreBreakdown.values.reduce(0) { $0 + $1.points } == $0.healthScore })
    }
}

extension PackageDocument {
    /// A copy changed by `change`, for compact fixtures.
    func with(_ change: (inout PackageDocument) -> Void) -> PackageDocument {
        var copy = self
        change(&copy)
        return copy
    }
}

