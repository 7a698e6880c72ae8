import GRDB
import TrawlCore

extension SQLiteStore {
    /// The typo-tolerant fallback: every word of `text` that no indexed term starts with is replaced
    /// by the indexed terms (or term prefixes) within a small edit distance, so `djnago rest` becomes
    /// `("django"*) "rest"*` and still finds djangorestframework. nil when nothing could be corrected.
    /// `corrections` lists each replaced word's near spellings, for the ranking (a level below exact).
    static func correctedMatch(_ db: Database, text: String) throws -> (expression: String, corrections: [String: [String]])? {
        let words = words(text)
        guard !words.isEmpty else { return nil }
        var changed = false
        var parts: [String] = []
        var replaced: [String: [String]] = [:]
        for word in words {
            let known = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM documents_fts_vocab WHERE term >= ? AND term < ?)",
                arguments: [word, word + "\u{10FFFF}"]) ?? false
            if known {
                parts.append("\"\(word)\"*")
                continue
            }
            let corrections = try nearTerms(db, word: word)
            guard !corrections.isEmpty else { return nil }
            changed = true
            replaced[word] = corrections
            parts.append("(" + corrections.map { "\"\($0)\"*" }.joined(separator: " OR ") + ")")
        }
        return changed ? (parts.joined(separator: " AND "), replaced) : nil
    }

    /// Terms sharing the word's first letter whose spelling, or whose prefix of the word's length,
    /// is within the allowed edit distance (1 up to 6 letters, else 2); the most frequent first.
    static func nearTerms(_ db: Database, word: String, limit: Int = 8) throws -> [String] {
        let letters = Array(word)
        let allowed = letters.count <= 3 ? 0 : (letters.count <= 6 ? 1 : 2)
        guard allowed > 0, let first = letters.first else { return [] }
        let rows = try Row.fetchAll(
            db, sql: "SELECT term, doc FROM documents_fts_vocab WHERE term >= ? AND term < ? AND length(term) >= ?",
            arguments: [String(first), String(first) + "\u{10FFFF}", letters.count - allowed])
        var found: [String: Int] = [:]
        for row in rows {
            let term: String = row[0]
            let count: Int = row[1]
            let candidate = Array(term)
            if EditDistance.osa(letters, candidate) <= allowed {
                found[term, default: 0] += count
            } else if candidate.count > letters.count, EditDistance.osa(letters, Array(candidate.prefix(letters.count))) <= allowed {
                found[String(candidate.prefix(letters.count)), default: 0] += count
            }
        }
        return found.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit).map(\.key)
    }
}

/// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps
/// (`djnago` → `django` is one edit).
enum EditDistance {
    static func osa(_ a: [Character], _ b: [Character]) -> Int {
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
