/// The text an inline renderer (`SafeMarkdown`, `SafeRST`) works on: Unicode scalars with
/// "where is the next X" answered from tables built once per text, so looking for a closing
/// delimiter never rescans. An unmatched `[`, `` ` ``, `*`, `<` or `|` used to send the renderer
/// to the end of the paragraph and back for every occurrence (quadratic: 100k of them pinned a
/// core); with the tables every lookup is O(1) and rendering is linear in the input.
///
/// `work` counts the steps taken (table entries built, characters visited), so tests can assert
/// linear behaviour by comparing counts instead of timings.
struct MarkupText {
    let s: [Unicode.Scalar]
    var count: Int { s.count }
    /// Steps taken so far (tables and the renderer's own loop add to it).
    var work = 0
    private var nextSingle: [UInt32: [Int32]] = [:]
    private var nextDouble: [UInt32: [Int32]] = [:]
    private var matches: [UInt64: [Int32]] = [:]

    init(_ text: Substring) {
        s = Array(text.unicodeScalars)
    }

    init(_ text: String) {
        s = Array(text.unicodeScalars)
    }

    subscript(i: Int) -> Unicode.Scalar { s[i] }

    /// The scalar at `i`, or nil past either end.
    func at(_ i: Int) -> Unicode.Scalar? { i >= 0 && i < s.count ? s[i] : nil }

    /// The first index `p` in `from..<limit` with `s[p] == ch`, or nil.
    mutating func next(_ ch: Unicode.Scalar, from: Int, limit: Int) -> Int? {
        guard from < limit else { return nil }
        if nextSingle[ch.value] == nil {
            let t = table { $0[$1] == ch }
            nextSingle[ch.value] = t
        }
        let p = Int(nextSingle[ch.value]![from])
        return p < limit ? p : nil
    }

    /// The first index `p` in `from..<limit-1` with `s[p] == s[p+1] == ch`, or nil.
    mutating func nextPair(_ ch: Unicode.Scalar, from: Int, limit: Int) -> Int? {
        guard from + 1 < limit else { return nil }
        if nextDouble[ch.value] == nil {
            let n = s.count
            let t = table { s, i in i + 1 < n && s[i] == ch && s[i + 1] == ch }
            nextDouble[ch.value] = t
        }
        let p = Int(nextDouble[ch.value]![from])
        return p + 1 < limit ? p : nil
    }

    /// The `]` matching the `[` at `open` (nesting counted), or nil when it has none.
    mutating func matchingBracket(_ open: Int) -> Int? { matching(open, "[", "]") }

    /// The `)` matching the `(` at `open` (nesting counted), or nil when it has none.
    mutating func matchingParen(_ open: Int) -> Int? { matching(open, "(", ")") }

    /// Matching pairs for one kind of bracket, found once for the whole text with a stack.
    private mutating func matching(_ i: Int, _ open: Unicode.Scalar, _ close: Unicode.Scalar) -> Int? {
        let key = UInt64(open.value) << 32 | UInt64(close.value)
        if matches[key] == nil {
            var match = [Int32](repeating: -1, count: s.count)
            var stack: [Int] = []
            for (j, c) in s.enumerated() {
                if c == open { stack.append(j) } else if c == close, let o = stack.popLast() { match[o] = Int32(j) }
            }
            work += s.count
            matches[key] = match
        }
        let m = Int(matches[key]![i])
        return m >= 0 ? m : nil
    }

    /// `next[i]` = the first `p >= i` where `hit(s, p)`, else `s.count`; built right to left.
    private mutating func table(_ hit: ([Unicode.Scalar], Int) -> Bool) -> [Int32] {
        var t = [Int32](repeating: Int32(s.count), count: s.count + 1)
        var i = s.count - 1
        while i >= 0 {
            t[i] = hit(s, i) ? Int32(i) : t[i + 1]
            i -= 1
        }
        work += s.count
        return t
    }

    func string(_ range: Range<Int>) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s[range])
        return String(out)
    }

    /// Appends `s[range]` to `out`, escaped for HTML.
    mutating func escape(_ range: Range<Int>, into out: inout String) {
        work += range.count
        for i in range { Self.escape(s[i], into: &out) }
    }

    static func escape(_ c: Unicode.Scalar, into out: inout String) {
        HTML.escape(c, into: &out)
    }

    static func isSpace(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return true }
        return c == " " || c == "\t" || c == "\n" || c == "\r" || c.properties.isWhitespace
    }

    static func isWordish(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return c.properties.isAlphabetic || c.properties.numericType != nil
    }
}

/// Links and images that may appear on the page, whoever wrote the text.
enum SafeLink {
    /// Only web and mail links (and same-page anchors); `javascript:`, `data:` and the like are dropped.
    /// An image may only be http(s).
    static func url(_ url: String, image: Bool) -> String? {
        let lower = url.lowercased().filter { !$0.isWhitespace && $0 != "\u{0}" }
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") { return url }
        if !image, lower.hasPrefix("mailto:") || lower.hasPrefix("#") { return url }
        return nil
    }

    static func anchor(_ href: String, inner: String) -> String {
        "<a href=\"\(HTML.escape(href))\" rel=\"nofollow noopener noreferrer\">\(inner)</a>"
    }

    static func image(_ src: String, alt: String) -> String {
        "<img src=\"\(HTML.escape(src))\" alt=\"\(HTML.escape(alt))\" loading=\"lazy\">"
    }
}
