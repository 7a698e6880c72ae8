import Testing
@testable import TrawlServer

/// Snippets as Typesense cuts them by default: a text of more than 30 words shows the first matched
/// word with 4 words on each side; a shorter one is marked whole.
@Suite struct HighlighterTests {
    /// The expected snippet computed the plain way, over space-separated words.
    static func expected(_ words: [String], query: String) -> String? {
        guard let first = words.firstIndex(where: { $0.lowercased().hasPrefix(query) }) else { return nil }
        let shown = words.count > Highlighter.snippetThreshold
            ? Array(words[max(0, first - 4)...min(words.count - 1, first + 4)]) : words
        return shown.map { $0.lowercased().hasPrefix(query) ? "<mark>\($0)</mark>" : $0 }.joined(separator: " ")
    }

    @Test func windowsAgreeWithAPlainCount() {
        var random = SystemRandomNumberGenerator()
        let ascii = ["alpha", "Beta", "gamma", "delta", "epsilon", "Zeta", "eta2", "theta", "cachet"]
        for round in 0..<1_000 {
            // Half the texts ASCII (the byte path), half with a non-ASCII word (the general path).
            let vocabulary = round % 2 == 0 ? ascii : ascii + ["caché"]
            let words = (0..<Int.random(in: 1...80, using: &random)).map { _ in vocabulary.randomElement(using: &random)! }
            for query in ["beta", "cach", "eta", "zz"] {
                let snippet = Highlighter.snippet(words.joined(separator: " "), words: [query])?.snippet
                #expect(snippet == Self.expected(words, query: query), "\(query) in \(words.count) words")
            }
        }
    }

    @Test func aShortTextIsMarkedWholeAndALongOneAroundItsFirstMatch() {
        let long = (1...100).map { "w\($0)" }.joined(separator: " ") + " needle " + (1...100).map { "v\($0)" }.joined(separator: " ") + " needle"
        let cut = Highlighter.snippet(long, words: ["needle"])
        #expect(cut?.snippet == "w97 w98 w99 w100 <mark>needle</mark> v1 v2 v3 v4")
        #expect(cut?.tokens == ["needle"])
        #expect(Highlighter.snippet("a <b> needle & co", words: ["needle"])?.snippet == "a &lt;b&gt; <mark>needle</mark> &amp; co")
        #expect(Highlighter.snippet(long, words: ["absent"]) == nil)
    }
}
