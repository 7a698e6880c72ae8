/// The ranking's assessment over the bytes of ASCII text (nearly every name, summary and keyword),
/// with the same answers as `assessGeneral`: the in-memory index assesses every matching document
/// of every search, and splitting names and summaries into arrays of word Strings there cost more
/// CPU than the rest of a search. Words are found and compared in place, lowercased on the fly; no
/// allocation except for a corrected query's joined spelling. Non-ASCII text (or a string without
/// contiguous storage) goes the general way. `RelevanceRankingTests` checks both agree.
extension RelevanceRanking {
    func assess(_ c: Candidate) -> Assessment {
        assessASCII(c) ?? assessGeneral(c)
    }

    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A)
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }

    /// How one spelling meets the words of ASCII `text`: 2 as a whole word, 1 as a word's start, 0 not.
    static func wordMatch(_ spelling: String.UTF8View, in text: UnsafeBufferPointer<UInt8>) -> Int {
        var best = 0
        var i = 0
        let n = text.count
        while i < n {
            while i < n, !isWordByte(text[i]) { i += 1 }
            let start = i
            while i < n, isWordByte(text[i]) { i += 1 }
            guard i > start else { continue }
            var j = start
            var same = true
            for s in spelling {
                if j == i || lower(text[j]) != s {
                    same = false
                    break
                }
                j += 1
            }
            if same {
                if j == i { return 2 }
                best = 1
            }
        }
        return best
    }

    /// `quality` over ASCII text.
    static func quality(_ spellings: [Spelling], inASCII text: UnsafeBufferPointer<UInt8>) -> (Int, typo: Bool) {
        var best = (0, typo: false)
        for s in spellings {
            switch wordMatch(s.text.utf8, in: text) {
            case 2:
                let q = s.typo ? 2 : 3
                if q > best.0 { best = (q, s.typo) }
            case 1:
                if best.0 == 0 { best = (1, s.typo) }
            default: break
            }
        }
        return best
    }

    /// Whether the name's letters and digits from the `skip`-th on start with `query`.
    static func compactStarts(_ name: UnsafeBufferPointer<UInt8>, with query: some Collection<UInt8>, skipping skip: Int) -> Bool {
        var seen = 0
        var q = query.startIndex
        for b in name where isWordByte(b) {
            if seen < skip {
                seen += 1
                continue
            }
            if q == query.endIndex { return true }
            if lower(b) != query[q] { return false }
            q = query.index(after: q)
        }
        return q == query.endIndex
    }

    static func withASCII<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R?) -> R? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> R? in
            for b in bytes where b >= 0x80 { return nil }
            return body(bytes)
        } ?? nil
    }

    /// A candidate's short texts as ASCII bytes, borrowed for one call: the in-memory index keeps
    /// every document's in one arena, so ranking a match touches no String (no reference count
    /// traffic, which two threads ranking the same documents turned into a fifth of a search).
    public struct ASCIITexts {
        public var name: UnsafeBufferPointer<UInt8>
        public var summary: UnsafeBufferPointer<UInt8>
        /// Every keyword followed by a 0 byte.
        public var keywords: UnsafeBufferPointer<UInt8>

        public init(name: UnsafeBufferPointer<UInt8>, summary: UnsafeBufferPointer<UInt8>, keywords: UnsafeBufferPointer<UInt8>) {
            self.name = name
            self.summary = summary
            self.keywords = keywords
        }
    }

    /// `key` over ASCII texts (all three must be ASCII; the caller knows).
    public func key(_ texts: ASCIITexts, downloads: Int64, dependents: Int64, stars: Int64) -> Double {
        let a = assessASCII(texts)
        let popularity = Self.popularity(downloads: downloads, dependents: dependents, stars: stars)
        return Self.key(level: a.level, popularity: popularity, closeness: a.closeness)
    }

    func assessASCII(_ c: Candidate) -> Assessment? {
        guard c.keywords.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) else { return nil }
        var keywords: [UInt8] = []
        for keyword in c.keywords {
            keywords += keyword.utf8
            keywords.append(0)
        }
        return keywords.withUnsafeBufferPointer { keywords in
            Self.withASCII(c.name) { name in
                Self.withASCII(c.summary) { summary in assessASCII(ASCIITexts(name: name, summary: summary, keywords: keywords)) }
            }
        }
    }

    static func equal(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        text.utf8.count == bytes.count && text.utf8.elementsEqual(bytes)
    }

    func assessASCII(_ texts: ASCIITexts) -> Assessment {
        let name = texts.name
        var compactLength = 0
        for b in name where Self.isWordByte(b) { compactLength += 1 }
        let eco = ecosystem.utf8
        let prefixed = !ecosystem.isEmpty && compactLength > eco.count && Self.compactStarts(name, with: eco, skipping: 0)
        let bareOffset = prefixed ? eco.count : 0
        let bareLength = compactLength - bareOffset
        // The query in one piece, each word in the spelling the name uses if it has one.
        let query = fixedCompactQuery ?? words.map { spellings in
            (spellings.first { Self.wordMatch($0.text.utf8, in: name) == 2 } ?? spellings[0]).text
        }.joined()
        let compactQuery = query.utf8
        let closeness = 99 - min(99, max(0, bareLength - (fixedCompactQuery == nil ? query.count : fixedCompactQueryLength)))
        func result(_ tier: MatchTier, field: String, typo: Bool, prefix: Bool) -> Assessment {
            Assessment(tier: tier, level: tier.level(degraded: typo || prefix), field: field, typo: typo, prefix: prefix, closeness: closeness)
        }
        if !corrected, Self.equal(literalName, name) { return result(.exactName, field: "name", typo: false, prefix: false) }
        if corrected, words.count == 1, words[0].contains(where: { Self.equal($0.text, name) }) {
            return result(.exactName, field: "name", typo: true, prefix: false)
        }
        guard !words.isEmpty else { return result(.description, field: "description", typo: false, prefix: false) }
        let typoInName = words.contains { spellings in spellings.contains { $0.typo && Self.wordMatch($0.text.utf8, in: name) == 2 } }
        if (compactLength == compactQuery.count && Self.compactStarts(name, with: compactQuery, skipping: 0))
            || (prefixed && bareLength == compactQuery.count && Self.compactStarts(name, with: compactQuery, skipping: bareOffset))
        {
            return result(.ecosystemName, field: "name", typo: typoInName, prefix: false)
        }
        if !compactQuery.isEmpty,
            Self.compactStarts(name, with: compactQuery, skipping: 0) || (prefixed && Self.compactStarts(name, with: compactQuery, skipping: bareOffset))
        {
            return Assessment(
                tier: .namePrefix, level: MatchTier.namePrefix.level(degraded: typoInName), field: "name", typo: typoInName, prefix: true,
                closeness: closeness)
        }
        let inName = words.map { Self.quality($0, inASCII: name) }
        let nameTypo = inName.contains { $0.typo }
        if inName.allSatisfy({ $0.0 >= 1 }) {
            return result(.nameWords, field: "name", typo: nameTypo, prefix: inName.contains { $0.0 == 1 })
        }
        var typo = false, prefix = false, inSummary = false, inKeywords = false, everywhere = true
        for (i, spellings) in words.enumerated() {
            var best = inName[i]
            let s = Self.quality(spellings, inASCII: texts.summary)
            var k = (0, typo: false)
            var start = 0
            for end in texts.keywords.indices where texts.keywords[end] == 0 {
                let q = Self.quality(spellings, inASCII: UnsafeBufferPointer(rebasing: texts.keywords[start..<end]))
                if q.0 > k.0 { k = q }
                start = end + 1
            }
            if s.0 > 0 { inSummary = true }
            if k.0 > 0 { inKeywords = true }
            if s.0 > best.0 { best = s }
            if k.0 > best.0 { best = k }
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
}
