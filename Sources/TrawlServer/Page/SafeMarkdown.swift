import Foundation

/// Renders a package's description to HTML that cannot run anything: the text is escaped first, and
/// only a safe subset becomes markup. Markdown here (headings, paragraphs, lists, quotes, code,
/// emphasis, http/https/mailto links and images); reStructuredText in `SafeRST`; anything else is
/// shown as written. Raw HTML in a README shows as text; no attribute ever comes from the package
/// except escaped `href`/`src`/`alt` values we build ourselves.
///
/// Hand-written on purpose: the one Markdown package at hand (Ink) passes raw HTML through, and no
/// Swift reStructuredText package exists. Every pass is linear in the input (`MarkupText`), and a
/// description is cut at `maxBytes` before rendering, so one page view costs bounded work.
enum SafeMarkdown {
    /// Descriptions longer than this (UTF-8 bytes) are cut before rendering, and the page says so.
    static let maxBytes = 512 * 1024

    static func render(_ text: String, contentType: String) -> String {
        var work = 0
        return render(text, contentType: contentType, work: &work)
    }

    /// `work` receives the steps the renderers took (tests compare it across input sizes).
    static func render(_ text: String, contentType: String, work: inout Int) -> String {
        let (body, cut) = capped(text)
        let html: String
        switch kind(contentType) {
        case .markdown: html = markdown(body, work: &work)
        case .rst: html = SafeRST.render(body, work: &work)
        case .plain: html = "<pre class=\"readme-text\">\(HTML.escape(body))</pre>"
        }
        guard cut else { return html }
        return html + "\n<p class=\"readme-cut\"><em>The description is longer than \(maxBytes / 1024) KiB; only its first \(maxBytes / 1024) KiB are shown.</em></p>"
    }

    enum Kind { case markdown, rst, plain }

    /// As the index renders descriptions: Markdown when declared, reST when declared and when no
    /// type is given at all (the index's default), plain text otherwise.
    static func kind(_ contentType: String) -> Kind {
        let type = contentType.lowercased().split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        if type.contains("markdown") { return .markdown }
        if type.isEmpty || type == "text/x-rst" || type == "text/rst" || type.hasSuffix("restructuredtext") { return .rst }
        return .plain
    }

    /// The text cut to at most `maxBytes` UTF-8 bytes on a scalar boundary, and whether it was cut.
    static func capped(_ text: String) -> (String, Bool) {
        guard text.utf8.count > maxBytes else { return (text, false) }
        var bytes = 0
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            bytes += UTF8.width(scalar)
            if bytes > maxBytes { break }
            out.append(scalar)
        }
        return (String(out), true)
    }

    static func markdown(_ text: String) -> String {
        var work = 0
        return markdown(text, work: &work)
    }

    static func markdown(_ text: String, work: inout Int) -> String {
        var html: [String] = []
        var paragraph: [String] = []
        var list: (ordered: Bool, items: [String])?
        var quote: [String] = []
        var code: [String]?

        func flushParagraph() {
            if !paragraph.isEmpty { html.append("<p>\(inline(paragraph.joined(separator: " "), work: &work))</p>") }
            paragraph = []
        }
        func flushList() {
            if let l = list {
                let tag = l.ordered ? "ol" : "ul"
                html.append("<\(tag)>" + l.items.map { "<li>\(inline($0, work: &work))</li>" }.joined() + "</\(tag)>")
            }
            list = nil
        }
        func flushQuote() {
            if !quote.isEmpty { html.append("<blockquote><p>\(inline(quote.joined(separator: " "), work: &work))</p></blockquote>") }
            quote = []
        }
        func flushAll() { flushParagraph(); flushList(); flushQuote() }

        let lines = stripComments(text).replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for raw in lines {
            work += 1
            let line = String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if code != nil {
                if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                    html.append("<pre><code>\(HTML.escape(code!.joined(separator: "\n")))</code></pre>")
                    code = nil
                } else {
                    code!.append(line)  // in place: copying the block per line would be quadratic
                }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                flushAll()
                code = []
                continue
            }
            if trimmed.isEmpty {
                flushAll()
                continue
            }
            if let level = headingLevel(trimmed) {
                flushAll()
                let content = trimmed.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
                let tag = "h\(min(level + 2, 6))"
                html.append("<\(tag)>\(inline(content, work: &work))</\(tag)>")
                continue
            }
            if trimmed == "---" || trimmed == "***" || trimmed == "___" {
                flushAll()
                html.append("<hr>")
                continue
            }
            if trimmed.hasPrefix(">") {
                flushParagraph(); flushList()
                quote.append(String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces))
                continue
            }
            if let item = listItem(trimmed) {
                flushParagraph(); flushQuote()
                if list == nil || list?.ordered != item.ordered {
                    flushList()
                    list = (item.ordered, [])
                }
                list?.items.append(item.text)
                continue
            }
            if list != nil, line.hasPrefix("  "), !list!.items.isEmpty {
                list!.items[list!.items.count - 1] += " " + trimmed
                continue
            }
            flushList(); flushQuote()
            paragraph.append(trimmed)
        }
        if let open = code { html.append("<pre><code>\(HTML.escape(open.joined(separator: "\n")))</code></pre>") }
        flushAll()
        return html.joined(separator: "\n")
    }

    /// Drops HTML comments in one pass (an unclosed one runs to the end, as in HTML).
    static func stripComments(_ text: String) -> String {
        guard text.contains("<!--") else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var rest = text[...]
        while let start = rest.range(of: "<!--") {
            out += rest[..<start.lowerBound]
            guard let end = rest.range(of: "-->", range: start.upperBound..<rest.endIndex) else { return out }
            rest = rest[end.upperBound...]
        }
        out += rest
        return out
    }

    static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        return rest.isEmpty || rest.first == " " ? hashes : nil
    }

    static func listItem(_ line: String) -> (ordered: Bool, text: String)? {
        for marker in ["- ", "* ", "+ "] where line.hasPrefix(marker) {
            return (false, String(line.dropFirst(2)))
        }
        let digits = line.prefix(while: \.isNumber)
        if !digits.isEmpty, digits.count < 4 {
            let rest = line.dropFirst(digits.count)
            if rest.hasPrefix(". ") || rest.hasPrefix(") ") { return (true, String(rest.dropFirst(2))) }
        }
        return nil
    }

    /// Inline markup over raw text; every character that is not markup is escaped.
    static func inline(_ text: String, links: Bool = true) -> String {
        var work = 0
        return inline(text, links: links, work: &work)
    }

    static func inline(_ text: String, links: Bool = true, work: inout Int) -> String {
        var r = MarkdownInline(text: MarkupText(text))
        r.render(0, r.text.count, links: links, images: links, depth: 0)
        work += r.text.work
        return r.out
    }

    /// Only web and mail links (and same-page anchors); `javascript:`, `data:` and the like are dropped.
    static func safeURL(_ url: String, image: Bool) -> String? {
        SafeLink.url(url, image: image)
    }
}

/// Markdown's inline markup over one paragraph, in one left-to-right pass: every closing
/// delimiter is found through `MarkupText`'s tables, the cursor only moves forward, and nested
/// markup renders the range it encloses once (the outer pass skips it), so the work is linear.
struct MarkdownInline {
    var text: MarkupText
    var out = ""

    /// Nesting deeper than this (it takes a different delimiter per level) renders as text.
    static let maxDepth = 8

    mutating func render(_ lo: Int, _ hi: Int, links: Bool, images: Bool, depth: Int) {
        guard depth < Self.maxDepth else { text.escape(lo..<hi, into: &out); return }
        var i = lo
        while i < hi {
            text.work += 1
            let ch = text[i]
            if ch == "\\", i + 1 < hi, "\\`*_[]()#!<>".unicodeScalars.contains(text[i + 1]) {
                MarkupText.escape(text[i + 1], into: &out)
                i += 2
                continue
            }
            if ch == "`" {
                if i + 1 < hi, text[i + 1] == "`", let end = text.nextPair("`", from: i + 2, limit: hi) {
                    code(i + 2, end)
                    i = end + 2
                    continue
                }
                if let end = text.next("`", from: i + 1, limit: hi) {
                    code(i + 1, end)
                    i = end + 1
                    continue
                }
            }
            if images, ch == "!", i + 1 < hi, text[i + 1] == "[", let (label, url, next) = linkParts(at: i + 1, hi) {
                let alt = text.string(label)
                if let safe = SafeLink.url(url, image: true) {
                    out += SafeLink.image(safe, alt: alt)
                } else {
                    out += HTML.escape(alt)
                }
                i = next
                continue
            }
            if links, ch == "[", let (label, url, next) = linkParts(at: i, hi) {
                // The label may hold an image (a badge) but no further link.
                if let safe = SafeLink.url(url, image: false) {
                    out += "<a href=\"\(HTML.escape(safe))\" rel=\"nofollow noopener noreferrer\">"
                    render(label.lowerBound, label.upperBound, links: false, images: true, depth: depth + 1)
                    out += "</a>"
                } else {
                    render(label.lowerBound, label.upperBound, links: false, images: true, depth: depth + 1)
                }
                i = next
                continue
            }
            if links, ch == "<", let end = autolinkEnd(i, hi) {
                let inside = text.string((i + 1)..<end)
                if let safe = SafeLink.url(inside, image: false) {
                    out += SafeLink.anchor(safe, inner: HTML.escape(inside))
                    i = end + 1
                    continue
                }
            }
            if (ch == "*" || ch == "_"), i + 1 < hi, text[i + 1] == ch,
                let end = text.nextPair(ch, from: i + 2, limit: hi), end > i + 2 {
                out += "<strong>"
                render(i + 2, end, links: links, images: images, depth: depth + 1)
                out += "</strong>"
                i = end + 2
                continue
            }
            if ch == "*" || ch == "_", i + 1 < hi, !MarkupText.isSpace(text[i + 1]), text[i + 1] != ch,
                ch == "*" || i == lo || !MarkupText.isWordish(text[i - 1]),
                let end = text.next(ch, from: i + 1, limit: hi), end > i + 1, !MarkupText.isSpace(text[end - 1]),
                ch == "*" || end + 1 >= hi || !MarkupText.isWordish(text[end + 1]) {
                out += "<em>"
                render(i + 1, end, links: links, images: images, depth: depth + 1)
                out += "</em>"
                i = end + 1
                continue
            }
            MarkupText.escape(ch, into: &out)
            i += 1
        }
    }

    mutating func code(_ lo: Int, _ hi: Int) {
        out += "<code>"
        text.escape(lo..<hi, into: &out)
        out += "</code>"
    }

    /// `[label](url)` starting at `start` (the `[`): the label's range, the url and the index after `)`.
    mutating func linkParts(at start: Int, _ hi: Int) -> (Range<Int>, String, Int)? {
        // The destination may hold balanced parentheses (`(javascript:alert(1))`); without a
        // matching `)` the first one ends it.
        guard let j = text.matchingBracket(start), j + 1 < hi, text[j + 1] == "(" else { return nil }
        let balanced = text.matchingParen(j + 1).flatMap { $0 < hi ? $0 : nil }
        guard let close = balanced ?? text.next(")", from: j + 2, limit: hi) else { return nil }
        var url = text.string((j + 2)..<close).trimmingCharacters(in: .whitespaces)
        if let space = url.firstIndex(of: " ") { url = String(url[..<space]) }  // drop a "title"
        return ((start + 1)..<j, url, close + 1)
    }

    /// `<http…>` with no space inside: the index of `>`. Checked before anything is copied, so an
    /// unclosed `<` costs O(1).
    mutating func autolinkEnd(_ i: Int, _ hi: Int) -> Int? {
        let scheme = Array("http".unicodeScalars)
        guard i + 8 < hi else { return nil }
        for k in 0..<4 where text[i + 1 + k] != scheme[k] { return nil }
        guard let end = text.next(">", from: i + 1, limit: hi) else { return nil }
        if let space = text.next(" ", from: i + 1, limit: end) { _ = space; return nil }
        return end
    }
}
