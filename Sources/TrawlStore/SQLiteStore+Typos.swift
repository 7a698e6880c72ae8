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
        let allowed = NearSpellings.allowedEdits(letters.count)
        guard allowed > 0, let first = letters.first else { return [] }
        let rows = try Row.fetchAll(
            db, sql: "SELECT term, doc FROM documents_fts_vocab WHERE term >= ? AND term < ? AND length(term) >= ?",
            arguments: [String(first), String(first) + "\u{10FFFF}", letters.count - allowed])
        var found: [String: Int] = [:]
        for row in rows {
            if let spelling = NearSpellings.match(letters, term: row[0], allowed: allowed) { found[spelling, default: 0] += row[1] as Int }
        }
        return NearSpellings.best(found, limit: limit)
    }
}
