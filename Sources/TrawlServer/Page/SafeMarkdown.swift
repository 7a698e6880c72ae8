import Foundation

/// Renders a package's README to HTML that cannot run anything: the text is escaped first, and only
/// a safe Markdown subset becomes markup (headings, paragraphs, lists, quotes, code, emphasis,
/// http/https/mailto links and images). Raw HTML in a README shows as text; no attribute ever
/// comes from the package except escaped `href`/`src`/`alt` values we build ourselves.
enum SafeMarkdown {
    static func render(_ text: String, contentType: String) -> String {
        let type = contentType.lowercased()
        if type.contains("markdown") { return markdown(text) }
        // reST and plain text: shown as written, escaped, wrapping.
        return "<pre class=\"readme-text\">\(HTML.escape(text))</pre>"
    }

    static func markdown(_ text: String) -> String {
        var html: [String] = []
        var paragraph: [String] = []
        var list: (ordered: Bool, items: [String])?
        var quote: [String] = []
        var code: [String]?

        func flushParagraph() {
            if !paragraph.isEmpty { html.append("<p>\(inline(paragraph.joined(separator: " ")))</p>") }
            paragraph = []
        }
        func flushList() {
            if let l = list {
                let tag = l.ordered ? "ol" : "ul"
                html.append("<\(tag)>" + l.items.map { "<li>\(inline($0))</li>" }.joined() + "</\(tag)>")
            }
            list = nil
        }
        func flushQuote() {
            if !quote.isEmpty { html.append("<blockquote><p>\(inline(quote.joined(separator: " ")))</p></blockquote>") }
            quote = []
        }
        func flushAll() { flushParagraph(); flushList(); flushQuote() }

        let lines = stripComments(text).replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for raw in lines {
            let line = String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if var open = code {
                if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                    html.append("<pre><code>\(HTML.escape(open.joined(separator: "\n")))</code></pre>")
                    code = nil
                } else {
                    open.append(line)
                    code = open
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
                html.append("<\(tag)>\(inline(content))</\(tag)>")
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
            if var open = list, line.hasPrefix("  "), !open.items.isEmpty {
                open.items[open.items.count - 1] += " " + trimmed
                list = open
                continue
            }
            flushList(); flushQuote()
            paragraph.append(trimmed)
        }
        if let open = code { html.append("<pre><code>\(HTML.escape(open.joined(separator: "\n")))</code></pre>") }
        flushAll()
        return html.joined(separator: "\n")
    }

    static func stripComments(_ text: String) -> String {
        var out = text
        while let start = out.range(of: "<!--") {
            guard let end = out.range(of: "-->", range: start.upperBound..<out.endIndex) else {
                out.removeSubrange(start.lowerBound..<out.endIndex)
                break
            }
            out.removeSubrange(start.lowerBound..<end.upperBound)
        }
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
        let c = Array(text)
        var out = ""
        var i = 0
        func find(_ token: String, from start: Int) -> Int? {
            let t = Array(token)
            var j = start
            while j + t.count <= c.count {
                if Array(c[j..<j + t.count]) == t { return j }
                j += 1
            }
            return nil
        }
        while i < c.count {
            let ch = c[i]
            if ch == "\\", i + 1 < c.count, "\\`*_[]()#!<>".contains(c[i + 1]) {
                out += HTML.escape(String(c[i + 1]))
                i += 2
                continue
            }
            if ch == "`", let end = find("`", from: i + 1) {
                out += "<code>\(HTML.escape(String(c[(i + 1)..<end])))</code>"
                i = end + 1
                continue
            }
            if links, ch == "!", i + 1 < c.count, c[i + 1] == "[", let (alt, url, next) = linkParts(c, at: i + 1) {
                if let safe = safeURL(url, image: true) {
                    out += "<img src=\"\(HTML.escape(safe))\" alt=\"\(HTML.escape(alt))\" loading=\"lazy\">"
                } else {
                    out += HTML.escape(alt)
                }
                i = next
                continue
            }
            if links, ch == "[", let (label, url, next) = linkParts(c, at: i) {
                let inner = inline(label, links: false)
                if let safe = safeURL(url, image: false) {
                    out += "<a href=\"\(HTML.escape(safe))\" rel=\"nofollow noopener noreferrer\">\(inner)</a>"
                } else {
                    out += inner
                }
                i = next
                continue
            }
            if links, ch == "<", let end = find(">", from: i + 1) {
                let inside = String(c[(i + 1)..<end])
                if (inside.hasPrefix("https://") || inside.hasPrefix("http://")), !inside.contains(" "), let safe = safeURL(inside, image: false) {
                    out += "<a href=\"\(HTML.escape(safe))\" rel=\"nofollow noopener noreferrer\">\(HTML.escape(inside))</a>"
                    i = end + 1
                    continue
                }
            }
            var strong = false
            for marker in ["**", "__"] where !strong && String(c[i..<min(i + 2, c.count)]) == marker {
                if let end = find(marker, from: i + 2), end > i + 2 {
                    out += "<strong>\(inline(String(c[(i + 2)..<end]), links: links))</strong>"
                    i = end + 2
                    strong = true
                }
            }
            if strong { continue }
            if (ch == "*" || ch == "_"), i + 1 < c.count, !c[i + 1].isWhitespace, c[i + 1] != ch,
               ch == "*" || i == 0 || !(c[i - 1].isLetter || c[i - 1].isNumber),
               let end = find(String(ch), from: i + 1), end > i + 1, !c[end - 1].isWhitespace,
               ch == "*" || end + 1 >= c.count || !(c[end + 1].isLetter || c[end + 1].isNumber) {
                out += "<em>\(inline(String(c[(i + 1)..<end]), links: links))</em>"
                i = end + 1
                continue
            }
            out += HTML.escape(String(ch))
            i += 1
        }
        return out
    }

    /// `[label](url)` starting at `start` (the `[`): label, url and the index after `)`.
    static func linkParts(_ c: [Character], at start: Int) -> (String, String, Int)? {
        var depth = 0
        var j = start
        while j < c.count {
            if c[j] == "[" { depth += 1 }
            if c[j] == "]" {
                depth -= 1
                if depth == 0 { break }
            }
            j += 1
        }
        guard j < c.count, j + 1 < c.count, c[j + 1] == "(" else { return nil }
        guard let close = c[(j + 2)...].firstIndex(of: ")") else { return nil }
        let label = String(c[(start + 1)..<j])
        var url = String(c[(j + 2)..<close]).trimmingCharacters(in: .whitespaces)
        if let space = url.firstIndex(of: " ") { url = String(url[..<space]) }  // drop a "title"
        return (label, url, close + 1)
    }

    /// Only web and mail links (and same-page anchors); `javascript:`, `data:` and the like are dropped.
    static func safeURL(_ url: String, image: Bool) -> String? {
        let lower = url.lowercased().filter { !$0.isWhitespace && $0 != "\u{0}" }
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") { return url }
        if !image, lower.hasPrefix("mailto:") || lower.hasPrefix("#") { return url }
        return nil
    }
}
