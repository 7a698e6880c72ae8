import TrawlCore

/// The documents one term occurs in, ascending. Only membership is kept: ranking is decided from the
/// documents' own fields (`RelevanceRanking`), so per-posting frequencies (two bytes per posting) and
/// per-document lengths, kept for a bm25 no longer computed, were memory spent on nothing.
struct PostingList: Sendable {
    var documents: [UInt32] = []

    mutating func append(_ document: UInt32) {
        documents.append(document)
    }

    var count: Int { documents.count }

    /// The same list in an array no larger than it (appending leaves up to twice the room).
    func trimmed() -> PostingList {
        guard documents.capacity > documents.count else { return self }
        return PostingList(documents: documents.withUnsafeBufferPointer { Array($0) })
    }
}

/// Every term of a collection in UTF-8 byte order with its postings. Sorted so that the terms a
/// word prefixes (search as you type, `"word"*` in the SQL stores) are one contiguous range found
/// by two binary searches; byte order so the range is the same whatever the script.
struct TermDictionary: Sendable {
    var terms: [String] = []
    var postings: [PostingList] = []

    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// The first position whose term is not before `key`.
    func lowerBound(_ key: String) -> Int {
        var low = 0, high = terms.count
        while low < high {
            let mid = (low + high) / 2
            if Self.precedes(terms[mid], key) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The terms that start with `prefix` (the prefix itself included).
    func range(prefix: String) -> Range<Int> {
        let low = lowerBound(prefix)
        // U+10FFFF sorts after every UTF-8 continuation of the prefix.
        return low..<max(low, lowerBound(prefix + "\u{10FFFF}"))
    }

    func position(of term: String) -> Int? {
        let i = lowerBound(term)
        return i < terms.count && terms[i] == term ? i : nil
    }

    /// Indexed terms within a small edit distance of a word no term starts with, or term prefixes
    /// of the word's length that are (`djnago` → `django`): the words a typo stood for. Terms share
    /// the word's first letter; 1 edit up to 6 letters, 2 beyond, none up to 3; the 8 found in most
    /// documents first. The rule of the SQLite store's fallback, over this collection's terms.
    func nearTerms(_ word: String, limit: Int = 8) -> [String] {
        let letters = Array(word)
        let allowed = NearSpellings.allowedEdits(letters.count)
        guard allowed > 0, let first = letters.first else { return [] }
        var found: [String: Int] = [:]
        for i in range(prefix: String(first)) {
            if let spelling = NearSpellings.match(letters, term: terms[i], allowed: allowed) { found[spelling, default: 0] += postings[i].count }
        }
        return NearSpellings.best(found, limit: limit)
    }
}
