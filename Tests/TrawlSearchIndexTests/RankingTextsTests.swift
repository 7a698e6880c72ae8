import Testing
import TrawlCore
@testable import TrawlSearchIndex

/// `RankingTexts`: what goes into the arena comes back (summaries, keywords with empty ones, non-ASCII
/// flagged), whether appended from a document or copied from another arena.
@Suite struct RankingTextsTests {
    static let rows: [(name: String, summary: String, keywords: [String])] = [
        ("django-a", "A summary", ["web", "", "rest"]),
        ("plone-é", "Résumé", ["ké"]),
        ("x", "", []),
        ("django-b", "plain", [""]),
    ]

    @Test func whatGoesInComesBack() {
        var arena = RankingTexts()
        for row in Self.rows { arena.append(name: row.name, summary: row.summary, keywords: row.keywords) }
        var copy = RankingTexts()
        for d in [3, 0, 2, 1] { copy.append(d, of: arena) }
        for (d, row) in Self.rows.enumerated() {
            #expect(arena.summary(d) == row.summary)
            #expect(arena.keywords(d) == row.keywords, "\(row.keywords)")
        }
        for (k, d) in [3, 0, 2, 1].enumerated() {
            #expect(copy.summary(k) == Self.rows[d].summary && copy.keywords(k) == Self.rows[d].keywords)
        }
        arena.withView { view in
            #expect(view.texts(0) != nil && view.texts(2) != nil && view.texts(3) != nil)
            #expect(view.texts(1) == nil, "not ASCII: the general path ranks it")
            let texts = view.texts(0)
            #expect(texts.map { String(decoding: $0.name, as: UTF8.self) } == "django-a")
            #expect(texts.map { String(decoding: $0.keywords, as: UTF8.self) } == "web\u{0}\u{0}rest\u{0}")
        }
    }

    /// Ranking over the arena gives the key ranking over the document gives.
    @Test func arenaKeysEqualCandidateKeys() {
        let ranking = RelevanceRanking(text: "rest web", collection: "django")
        var arena = RankingTexts()
        for row in Self.rows { arena.append(name: row.name, summary: row.summary, keywords: row.keywords) }
        arena.withView { view in
            for (d, row) in Self.rows.enumerated() {
                guard let texts = view.texts(d) else { continue }
                let candidate = RelevanceRanking.Candidate(name: row.name, summary: row.summary, keywords: row.keywords, downloads: 10, dependents: 2, stars: 3)
                #expect(ranking.key(texts, downloads: 10, dependents: 2, stars: 3) == ranking.key(candidate), "\(row.name)")
            }
        }
    }
}
