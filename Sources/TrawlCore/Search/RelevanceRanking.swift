import Foundation

/// The one decision of how relevant a matching package is to a query, shared by every search path
/// (the in-memory index of `trawl serve`, SQLite, PostgreSQL), so the page, `/api/v1`, the
/// Typesense-compatible endpoint and `trawl search` order hits the same way before and after the
/// index has loaded.
///
/// Why tiers rather than one text score: people type a package's name (or its name without the
/// ecosystem prefix, `debug toolbar` for `django-debug-toolbar`), and a bm25 score over all fields
/// lets a long description that repeats the words outrank the package they meant. So a hit's
/// *kind* of match decides first (`MatchTier`), a typo'd or only prefix-matched form one level
/// below its exact form; inside a level a popularity prior from what the store already holds
/// (downloads, dependents, stars), log-damped so that it orders packages of one kind of match but
/// can never lift a partial match above an exact one; then how close the name is to the query.
public struct RelevanceRanking: Sendable {
    /// One accepted spelling of a query word: the word as typed, or a near spelling the typo
    /// retry put in its place.
    public struct Spelling: Sendable, Equatable {
        public var text: String
        public var typo: Bool

        public init(_ text: String, typo: Bool = false) {
            self.text = text
            self.typo = typo
        }
    }

    /// Per query word, its accepted spellings (one, untyped, unless the typo retry corrected it).
    public let words: [[Spelling]]
    /// The query as a PEP 503 name: equal to a package's name puts that package first, always.
    let literalName: String
    /// The ecosystem's name prefix (`django` for the `django` collection): `debug toolbar` means
    /// `django-debug-toolbar`, and `django debug toolbar` means it too.
    let ecosystem: String
    /// Whether any word was replaced by near spellings.
    public let corrected: Bool
    /// The query's words in one piece when no word has alternatives (then it is the same for
    /// every candidate; computed once rather than per matching document).
    let fixedCompactQuery: String?
    let fixedCompactQueryLength: Int

    /// - Parameters:
    ///   - text: the query as typed.
    ///   - collection: the collection searched; its first word is the ecosystem prefix.
    ///   - corrections: for words the typo retry replaced, their near spellings (keyed by the word).
    public init(text: String, collection: String, corrections: [String: [String]] = [:]) {
        var words: [[Spelling]] = []
        for word in Self.words(text).prefix(64) {
            if let near = corrections[word], !near.isEmpty {
                words.append(near.map { Spelling($0, typo: true) })
            } else {
                words.append([Spelling(word)])
            }
        }
        self.words = words
        corrected = words.contains { $0.contains(where: \.typo) }
        fixedCompactQuery = words.allSatisfy { $0.count == 1 } ? words.map { $0[0].text }.joined() : nil
        fixedCompactQueryLength = fixedCompactQuery?.count ?? 0
        literalName = PackageName.normalize(text.trimmingCharacters(in: .whitespaces))
        ecosystem = Self.words(collection).first ?? ""
    }

    /// What a ranked package offers the ranking: its normalized name, the short texts and the
    /// popularity figures (the description is not needed: a match found nowhere else is in it).
    public struct Candidate: Sendable {
        public var name: String
        public var summary: String
        public var keywords: [String]
        public var downloads: Int64
        public var dependents: Int64
        public var stars: Int64

        public init(name: String, summary: String, keywords: [String], downloads: Int64, dependents: Int64, stars: Int64) {
            self.name = name
            self.summary = summary
            self.keywords = keywords
            self.downloads = downloads
            self.dependents = dependents
            self.stars = stars
        }

        public init(_ document: PackageDocument) {
            self.init(
                name: document.normalizedName, summary: document.summary, keywords: document.keywords,
                downloads: Int64(document.downloadLastMonth), dependents: Int64(document.dependentsCount), stars: Int64(document.githubStars))
        }
    }

    /// The sort key of a matching package, higher is better: level, then popularity, then name
    /// closeness, as one integer-valued Double (exact, so every path compares the same numbers).
    public func key(_ candidate: Candidate) -> Double {
        let a = assess(candidate)
        return Self.key(level: a.level, popularity: Self.popularity(candidate), closeness: a.closeness)
    }

    /// Why a package ranks where it does (what `explain=true` shows).
    public func explain(_ candidate: Candidate) -> RelevanceExplanation {
        explain(candidate, assess(candidate))
    }

    /// `explain` computed the general way (words split into Strings) even for ASCII text: for the
    /// test that checks the ASCII way gives the same answers.
    public func explainTheGeneralWay(_ candidate: Candidate) -> RelevanceExplanation {
        explain(candidate, assessGeneral(candidate))
    }

    func explain(_ candidate: Candidate, _ a: Assessment) -> RelevanceExplanation {
        let popularity = Self.popularity(candidate)
        return RelevanceExplanation(
            tier: a.tier, level: a.level, field: a.field, typo: a.typo, prefix: a.prefix, popularity: popularity,
            downloads: candidate.downloads, dependents: candidate.dependents, stars: candidate.stars, closeness: a.closeness,
            rank: Self.key(level: a.level, popularity: popularity, closeness: a.closeness))
    }

    static func key(level: Int, popularity: Double, closeness: Int) -> Double {
        Double(level) * 1_000_000 + Double(min(9_999, Int((popularity * 100).rounded()))) * 100 + Double(closeness)
    }

    /// The popularity prior: log10 of monthly downloads, plus log10 of dependents (a package others
    /// build on), plus half the log10 of stars; rounded to hundredths so it is the same number in
    /// every path. A million downloads a month gives 6, a hundred 2: enough to order packages of
    /// one tier, and tiers are compared first, so an obscure exact name still wins.
    public static func popularity(_ c: Candidate) -> Double {
        popularity(downloads: c.downloads, dependents: c.dependents, stars: c.stars)
    }

    static func popularity(downloads: Int64, dependents: Int64, stars: Int64) -> Double {
        let value = log10(1 + Double(max(0, downloads))) + log10(1 + Double(max(0, dependents)))
            + 0.5 * log10(1 + Double(max(0, stars)))
        return (value * 100).rounded() / 100
    }

    struct Assessment {
        var tier: MatchTier
        var level: Int
        var field: String
        var typo: Bool
        var prefix: Bool
        var closeness: Int
    }

    /// How well one query word matches a list of words: 3 exactly, 2 exactly in a near spelling,
    /// 1 as a prefix (typed or near), 0 not at all.
    static func quality(_ spellings: [Spelling], in words: [String]) -> (Int, typo: Bool) {
        var best = (0, typo: false)
        for s in spellings {
            for w in words {
                if w == s.text {
                    let q = s.typo ? 2 : 3
                    if q > best.0 { best = (q, s.typo) }
                } else if best.0 == 0, w.hasPrefix(s.text) {
                    best = (1, s.typo)
                }
            }
        }
        return best
    }

    /// The assessment over words split into Strings: any text (`assess` takes the ASCII way when it can).
    func assessGeneral(_ c: Candidate) -> Assessment {
        let nameWords = Self.words(c.name)
        let compactName = nameWords.joined()
        var bare = compactName
        if !ecosystem.isEmpty, compactName.count > ecosystem.count, compactName.hasPrefix(ecosystem) {
            bare = String(compactName.dropFirst(ecosystem.count))
        }
        // The query in one piece, each word in the spelling the name uses if it has one.
        let compactQuery = fixedCompactQuery ?? words.map { spellings in
            (spellings.first { nameWords.contains($0.text) } ?? spellings[0]).text
        }.joined()
        let closeness = 99 - min(99, max(0, bare.count - compactQuery.count))
        func result(_ tier: MatchTier, field: String, typo: Bool, prefix: Bool) -> Assessment {
            Assessment(tier: tier, level: tier.level(degraded: typo || prefix), field: field, typo: typo, prefix: prefix, closeness: closeness)
        }
        if !corrected, literalName == c.name { return result(.exactName, field: "name", typo: false, prefix: false) }
        if corrected, words.count == 1, words[0].contains(where: { $0.text == c.name }) {
            return result(.exactName, field: "name", typo: true, prefix: false)
        }
        guard !words.isEmpty else { return result(.description, field: "description", typo: false, prefix: false) }
        let typoInName = words.contains { spellings in spellings.contains { $0.typo && nameWords.contains($0.text) } }
        if compactQuery == compactName || compactQuery == bare {
            return result(.ecosystemName, field: "name", typo: typoInName, prefix: false)
        }
        if !compactQuery.isEmpty, compactName.hasPrefix(compactQuery) || bare.hasPrefix(compactQuery) {
            // The prefix form of the name (search as you type); a typo does not lower it further.
            return Assessment(
                tier: .namePrefix, level: MatchTier.namePrefix.level(degraded: typoInName), field: "name", typo: typoInName, prefix: true,
                closeness: closeness)
        }
        let inName = words.map { Self.quality($0, in: nameWords) }
        let nameTypo = inName.contains { $0.typo }
        if inName.allSatisfy({ $0.0 >= 1 }) {
            return result(.nameWords, field: "name", typo: nameTypo, prefix: inName.contains { $0.0 == 1 })
        }
        let summaryWords = Self.words(c.summary)
        let keywordWords = c.keywords.flatMap { Self.words($0) }
        var typo = false, prefix = false, inSummary = false, inKeywords = false, everywhere = true
        for (i, spellings) in words.enumerated() {
            var best = inName[i]
            let s = Self.quality(spellings, in: summaryWords), k = Self.quality(spellings, in: keywordWords)
            if s.0 > 0 { inSummary = true }
            if k.0 > 0 { inKeywords = true }
            for q in [s, k] where q.0 > best.0 { best = q }
            if best.0 == 0 {
                everywhere = false
                break
            }
            if best.0 == 1 { prefix = true }
            if best.typo { typo = true }
        }
        if everywhere {
            return result(.summary, field: inSummary ? "summary" : (inKeywords ? "keywords" : "name"), typo: typo, prefix: prefix)
        }
        return result(.description, field: "description", typo: corrected, prefix: false)
    }

    /// The words of a text as the indexes split it: lowercase, diacritics folded, broken at
    /// anything that is not a letter or a digit.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        forEachWord(text) { words.append($0) }
        return words
    }

    /// Calls `body` with each word of `text` (as `words`). ASCII text (nearly all package metadata)
    /// is split over its UTF-8 bytes without building Characters: the in-memory index tokenizes
    /// every description at startup, and ranking reads every matching name and summary.
    public static func forEachWord(_ text: String, _ body: (String) -> Void) {
        var isASCII = true
        for byte in text.utf8 where byte >= 0x80 {
            isASCII = false
            break
        }
        guard isASCII else {
            let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            for word in folded.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) { body(word.lowercased()) }
            return
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(32)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): buffer.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): buffer.append(byte + 32)
            default:
                if !buffer.isEmpty {
                    body(String(decoding: buffer, as: UTF8.self))
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        if !buffer.isEmpty { body(String(decoding: buffer, as: UTF8.self)) }
    }
}

/// The kinds of match, best last. A hit's level (compared first) is `rawValue * 2 + 2`, one less
/// for the tier's typo'd or prefix-only form: exact name 14/13, name without the ecosystem prefix
/// 12/11, name starting with the query 10/9, all words in the name 8/7, summary or keywords 6/5,
/// description 4/3.
public enum MatchTier: Int, Sendable, Comparable, CaseIterable {
    /// Some query word is only in the description.
    case description = 1
    /// Every word in the name, summary or keywords, some not in the name.
    case summary = 2
    /// Every word is a word of the name (the typo'd or prefix-only form: starts one).
    case nameWords = 3
    /// The name, with or without the ecosystem prefix and separators, starts with the query: the
    /// prefix form of `ecosystemName` (`debug toolb` → `django-debug-toolbar`).
    case namePrefix = 4
    /// The name is the query with the ecosystem prefix added or taken away, separators ignored
    /// (`debug toolbar` → `django-debug-toolbar`, `rest framework` → `djangorestframework`).
    case ecosystemName = 5
    /// The query is the package's name (PEP 503): always first.
    case exactName = 6

    public static func < (a: MatchTier, b: MatchTier) -> Bool { a.rawValue < b.rawValue }

    public func level(degraded: Bool) -> Int { rawValue * 2 + 2 - (degraded ? 1 : 0) }

    /// The name `explain` shows.
    public var label: String {
        switch self {
        case .description: "description"
        case .summary: "summary_or_keywords"
        case .namePrefix: "name_prefix"
        case .nameWords: "all_words_in_name"
        case .ecosystemName: "name_without_ecosystem_prefix"
        case .exactName: "exact_name"
        }
    }
}

/// One hit's reasons, as `explain=true` and `trawl search --explain` show them.
public struct RelevanceExplanation: Sendable, Equatable, Encodable {
    public var tier: MatchTier
    /// 3…14: the tier's level, one less for a typo'd or prefix-only form; compared first.
    public var level: Int
    /// Where the words were found: name, summary, keywords or description.
    public var field: String
    public var typo: Bool
    public var prefix: Bool
    /// The popularity prior (compared second) and the figures it was made from.
    public var popularity: Double
    public var downloads: Int64
    public var dependents: Int64
    public var stars: Int64
    /// 0…99: how little the name has beyond the query (compared third).
    public var closeness: Int
    /// The sort key itself (level, popularity and closeness in one number).
    public var rank: Double

    enum CodingKeys: String, CodingKey {
        case tier, level, field, typo, prefix, popularity, closeness, rank
        case downloads = "download_last_month", dependents = "dependents_count", stars = "github_stars"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tier.label, forKey: .tier)
        try c.encode(level, forKey: .level)
        try c.encode(field, forKey: .field)
        try c.encode(typo, forKey: .typo)
        try c.encode(prefix, forKey: .prefix)
        try c.encode(popularity, forKey: .popularity)
        try c.encode(downloads, forKey: .downloads)
        try c.encode(dependents, forKey: .dependents)
        try c.encode(stars, forKey: .stars)
        try c.encode(closeness, forKey: .closeness)
        try c.encode(rank, forKey: .rank)
    }
}
