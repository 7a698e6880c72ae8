import Foundation
import TrawlCore

/// Splits text into the words the index stores and a query looks up: lowercase, diacritics
/// folded, broken at anything that is not a letter or a digit — what the SQL stores index
/// (SQLite's `unicode61 remove_diacritics 2`, PostgreSQL's pre-split `simple` text), so the same
/// query finds the same documents in memory and in SQL.
enum Tokenizer {
    /// The words of `text`, in order, repeats kept (their count is the term frequency). One splitter
    /// for the index and the ranking: `RelevanceRanking.words`.
    static func words(_ text: String) -> [String] {
        RelevanceRanking.words(text)
    }

    /// Calls `body` with each word (`RelevanceRanking.forEachWord`).
    static func forEachWord(_ text: String, _ body: (String) -> Void) {
        RelevanceRanking.forEachWord(text, body)
    }

    /// The name as the SQL stores index it: the name plus its `-`/`_`/`.` parts when it has
    /// several, so `djangorestframework-jwt` is found by `jwt` and its words weigh as they do there.
    static func nameWords(_ name: String) -> [String] {
        let words = words(name)
        let parts = name.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." })
        return parts.count > 1 ? words + parts.flatMap { Self.words(String($0)) } : words
    }
}
