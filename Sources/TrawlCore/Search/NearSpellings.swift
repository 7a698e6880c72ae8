/// The typo rule of every search path (the in-memory index and the SQLite store): a word no term
/// starts with is replaced by terms sharing its first letter whose spelling, or whose prefix of the
/// word's length, is within 1 edit up to 6 letters, 2 beyond, none up to 3 — the most frequent first.
/// One rule in one place, so both paths correct `djnago` the same way.
public enum NearSpellings {
    /// Edits allowed for a word of this many letters.
    public static func allowedEdits(_ letters: Int) -> Int {
        letters <= 3 ? 0 : (letters <= 6 ? 1 : 2)
    }

    /// What `term` offers for the word `letters`: the term, its prefix of the word's length, or nil.
    public static func match(_ letters: [Character], term: String, allowed: Int) -> String? {
        let candidate = Array(term)
        guard candidate.count >= letters.count - allowed else { return nil }
        if EditDistance.osa(letters, candidate) <= allowed { return term }
        if candidate.count > letters.count, EditDistance.osa(letters, Array(candidate.prefix(letters.count))) <= allowed {
            return String(candidate.prefix(letters.count))
        }
        return nil
    }

    /// The `limit` spellings found in most documents (ties by spelling).
    public static func best(_ found: [String: Int], limit: Int) -> [String] {
        found.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit).map(\.key)
    }
}

/// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps
/// (`djnago` → `django` is one edit).
public enum EditDistance {
    public static func osa(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
