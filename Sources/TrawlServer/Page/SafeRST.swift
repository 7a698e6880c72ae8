import Foundation

/// Renders a reStructuredText description (most Plone packages, many Django ones) to HTML that
/// cannot run anything, close to what the index shows: section titles, paragraphs, bullet and
/// enumerated lists (nested), definition and field lists, literal blocks (`::`, `code-block`),
/// doctest blocks, block quotes, admonitions, images and figures (`image::`, badge substitutions
/// `|name|`), tables shown as written, and inline literals, emphasis, strong, roles, links
/// (`` `text <url>`_ ``, named references to `.. _name: url` targets, bare URLs).
///
/// Hand-written because no Swift reStructuredText package exists. Safety as in `SafeMarkdown`:
/// every character from the package is escaped, only http/https/mailto links and http(s) images
/// are emitted, `raw::`, `include::` and unknown directives are dropped. Linear: every line is
/// read a bounded number of times per nesting level (at most `maxDepth` levels), and inline markup
/// finds closing delimiters through `MarkupText`'s tables.
enum SafeRST {
    static let maxDepth = 8

    static func render(_ text: String, work: inout Int) -> String {
        var doc = Document(lines: Line.split(text))
        doc.collectDefinitions()
        let all = doc.lines[...]
        let html = doc.blocks(all, depth: 0)
        work += doc.work
        return html
    }

    /// One line: its indentation (tabs as 8 columns) and the text after it.
    struct Line {
        var indent: Int
        var text: Substring
        var isBlank: Bool { text.isEmpty }

        static func split(_ text: String) -> [Line] {
            // "\r\n" is one Character in Swift: split on it as well as on "\n".
            text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { raw in
                var line = raw
                if line.last == "\r" { line = line.dropLast() }
                var indent = 0
                var start = line.startIndex
                while start < line.endIndex, line[start] == " " || line[start] == "\t" {
                    indent += line[start] == "\t" ? 8 - indent % 8 : 1
                    start = line.index(after: start)
                }
                var end = line.endIndex
                while end > start, line[line.index(before: end)] == " " || line[line.index(before: end)] == "\t" { end = line.index(before: end) }
                let body = line[start..<end]
                return Line(indent: body.isEmpty ? 0 : indent, text: body)
            }
        }

        func dedented(_ by: Int) -> Line { Line(indent: max(0, indent - by), text: text) }
        /// The line as written, relative to `base` columns of indentation.
        func raw(base: Int) -> String { String(repeating: " ", count: max(0, indent - base)) + text }
    }

    struct Document {
        var lines: [Line]
        var work = 0
        /// `.. _name: url` targets, by normalized name.
        var targets: [String: String] = [:]
        /// `.. __: url` / `__ url` anonymous targets, in order, and how many references used them.
        var anonymous: [String] = []
        var anonymousUsed = 0
        /// `.. |name| image:: url` / `replace::` substitutions, as finished HTML.
        var substitutions: [String: String] = [:]
        /// Section adornment styles in order of first use: the first is level 1.
        var sectionStyles: [String] = []

        static func normalize(_ name: some StringProtocol) -> String {
            name.lowercased().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
        }

        // MARK: Definitions (anywhere in the document, often at its end)

        mutating func collectDefinitions() {
            var i = 0
            while i < lines.count {
                work += 1
                let t = lines[i].text
                defer { i += 1 }
                guard t.hasPrefix(".. ") || t.hasPrefix("__ ") else { continue }
                if t.hasPrefix("__ ") { anonymous.append(String(t.dropFirst(3)).trimmingCharacters(in: .whitespaces)); continue }
                let rest = t.dropFirst(3)
                if rest.hasPrefix("__:") {
                    anonymous.append(targetURL(rest.dropFirst(3), after: i))
                } else if rest.hasPrefix("_"), let colon = targetColon(rest) {
                    let name = rest[rest.index(after: rest.startIndex)..<colon]
                    let url = targetURL(rest[rest.index(after: colon)...], after: i)
                    if !url.isEmpty { targets[Self.normalize(name.trimmingCharacters(in: CharacterSet(charactersIn: "`")))] = url }
                } else if rest.hasPrefix("|"), let close = rest.dropFirst().firstIndex(of: "|") {
                    let name = Self.normalize(rest[rest.index(after: rest.startIndex)..<close])
                    let directive = rest[rest.index(after: close)...].trimmingCharacters(in: .whitespaces)
                    let options = self.options(after: i, indent: lines[i].indent)
                    if directive.hasPrefix("image::") {
                        let url = String(directive.dropFirst(7)).trimmingCharacters(in: .whitespaces)
                        substitutions[name] = Self.imageHTML(url, alt: options["alt"] ?? name, target: options["target"])
                    } else if directive.hasPrefix("replace::") {
                        substitutions[name] = HTML.escape(String(directive.dropFirst(9)).trimmingCharacters(in: .whitespaces))
                    }
                }
            }
        }

        /// The `:` ending a target name (`_name:`, or `` _`a: b`: ``).
        func targetColon(_ rest: Substring) -> Substring.Index? {
            let afterUnderscore = rest.index(after: rest.startIndex)
            if rest[afterUnderscore...].hasPrefix("`"), let close = rest[rest.index(after: afterUnderscore)...].firstIndex(of: "`") {
                let next = rest.index(after: close)
                return next < rest.endIndex && rest[next] == ":" ? next : nil
            }
            return rest[afterUnderscore...].firstIndex(of: ":")
        }

        /// A target's URL: the rest of its line, plus indented continuation lines (joined, no spaces).
        func targetURL(_ first: Substring, after i: Int) -> String {
            var url = first.trimmingCharacters(in: .whitespaces)
            var j = i + 1
            while j < lines.count, j < i + 8, !lines[j].isBlank, lines[j].indent > lines[i].indent {
                url += lines[j].text
                j += 1
            }
            return url
        }

        /// `:name: value` option lines directly under the directive at line `i`.
        func options(after i: Int, indent: Int) -> [String: String] {
            var out: [String: String] = [:]
            var j = i + 1
            while j < lines.count, j < i + 40, !lines[j].isBlank, lines[j].indent > indent, lines[j].text.hasPrefix(":") {
                let t = lines[j].text.dropFirst()
                if let colon = t.firstIndex(of: ":") {
                    out[t[..<colon].lowercased()] = t[t.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                j += 1
            }
            return out
        }

        static func imageHTML(_ url: String, alt: String, target: String?) -> String {
            guard let src = SafeLink.url(url, image: true) else { return HTML.escape(alt) }
            let img = SafeLink.image(src, alt: alt)
            if let target, let href = SafeLink.url(target, image: false) { return SafeLink.anchor(href, inner: img) }
            return img
        }

        // MARK: Blocks

        /// Renders `lines` (already dedented so that the block's own margin is column 0).
        mutating func blocks(_ lines: ArraySlice<Line>, depth: Int) -> String {
            if depth >= maxDepth {
                let base = lines.filter { !$0.isBlank }.map(\.indent).min() ?? 0
                return "<pre>\(HTML.escape(lines.map { $0.raw(base: base) }.joined(separator: "\n")))</pre>"
            }
            var html: [String] = []
            var badges: [String] = []  // consecutive image directives share one paragraph
            func flushBadges() {
                if !badges.isEmpty { html.append("<p>\(badges.joined(separator: " "))</p>") }
                badges = []
            }
            var i = lines.startIndex
            let end = lines.endIndex
            while i < end {
                work += 1
                let line = lines[i]
                if line.isBlank { i += 1; continue }
                if line.indent > 0 {
                    let (block, next) = indentedBlock(lines, from: i, margin: 0)
                    flushBadges()
                    html.append("<blockquote>\(blocks(block, depth: depth + 1))</blockquote>")
                    i = next
                    continue
                }
                let t = line.text
                if t == ".." || t.hasPrefix(".. ") {
                    let (rendered, isImage, next) = directive(lines, at: i, depth: depth)
                    if isImage { if !rendered.isEmpty { badges.append(rendered) } } else {
                        flushBadges()
                        if !rendered.isEmpty { html.append(rendered) }
                    }
                    i = next
                    continue
                }
                flushBadges()
                if t.hasPrefix("__ ") { i += 1; continue }  // anonymous target, collected already
                if let (heading, next) = section(lines, at: i) {
                    html.append(heading)
                    i = next
                    continue
                }
                if Self.isAdornment(t), t.count >= 4, i + 1 >= end || lines[i + 1].isBlank {
                    html.append("<hr>")
                    i += 1
                    continue
                }
                if t.hasPrefix(">>>") {
                    var j = i
                    while j < end, !lines[j].isBlank { j += 1 }
                    html.append("<pre><code>\(HTML.escape(lines[i..<j].map { $0.raw(base: 0) }.joined(separator: "\n")))</code></pre>")
                    i = j
                    continue
                }
                if t.hasPrefix("+-") || t.hasPrefix("+=") || (t.hasPrefix("==") && t.contains(" ") && Self.isTableRule(t)) {
                    // Grid and simple tables are shown as written (monospaced), which keeps their layout.
                    var j = i
                    while j < end, !lines[j].isBlank { j += 1 }
                    html.append("<pre>\(HTML.escape(lines[i..<j].map { $0.raw(base: 0) }.joined(separator: "\n")))</pre>")
                    i = j
                    continue
                }
                if let marker = Self.bulletMarker(t) ?? Self.enumMarker(t) {
                    let (list, next) = self.list(lines, at: i, ordered: Self.bulletMarker(t) == nil, first: marker, depth: depth)
                    html.append(list)
                    i = next
                    continue
                }
                if t.hasPrefix(":"), let (fields, next) = fieldList(lines, at: i, depth: depth) {
                    html.append(fields)
                    i = next
                    continue
                }
                // A one-line term directly followed by an indented definition.
                if i + 1 < end, lines[i + 1].indent > 0, !lines[i + 1].isBlank, !t.hasSuffix("::") {
                    let (dl, next) = definitionList(lines, at: i, depth: depth)
                    html.append(dl)
                    i = next
                    continue
                }
                // A paragraph: lines up to a blank line or an indented one.
                var j = i
                while j < end, !lines[j].isBlank, lines[j].indent == 0 { j += 1 }
                var text = lines[i..<j].map { String($0.text) }.joined(separator: "\n")
                var literal = false
                if text.hasSuffix("::") {
                    literal = true
                    text.removeLast(2)
                    if text.hasSuffix(" ") || text.hasSuffix("\n") || text.isEmpty {
                        text = text.trimmingCharacters(in: .whitespacesAndNewlines)  // "Paragraph ::" → "Paragraph"
                    } else {
                        text += ":"  // "Paragraph::" → "Paragraph:"
                    }
                }
                if !text.isEmpty { html.append("<p>\(inline(text))</p>") }
                i = j
                if literal {
                    while i < end, lines[i].isBlank { i += 1 }
                    if i < end, lines[i].indent > 0 {
                        let (block, next) = indentedBlock(lines, from: i, margin: 0)
                        html.append(Self.pre(block))
                        i = next
                    }
                }
            }
            flushBadges()
            return html.joined(separator: "\n")
        }

        /// Lines from `from` while they are blank or indented past `margin`; dedented by the
        /// smallest indentation among them. Trailing blank lines are left out.
        func indentedBlock(_ lines: ArraySlice<Line>, from: Int, margin: Int) -> (ArraySlice<Line>, Int) {
            var j = from
            var last = from
            var minIndent = Int.max
            while j < lines.endIndex, lines[j].isBlank || lines[j].indent > margin {
                if !lines[j].isBlank {
                    minIndent = min(minIndent, lines[j].indent)
                    last = j + 1
                }
                j += 1
            }
            let cut = minIndent == .max ? 0 : minIndent
            return (ArraySlice(lines[from..<last].map { $0.dedented(cut) }), last)
        }

        static func pre(_ block: ArraySlice<Line>) -> String {
            "<pre><code>\(HTML.escape(block.map { $0.raw(base: 0) }.joined(separator: "\n")))</code></pre>"
        }

        static let adornmentCharacters = Set("=-`:'\"~^_*+#<>.!$%&,/;?@[\\]{|}")

        static func isAdornment(_ t: Substring) -> Bool {
            guard let first = t.first, adornmentCharacters.contains(first), t.count >= 2 else { return false }
            return t.allSatisfy { $0 == first }
        }

        static func isTableRule(_ t: Substring) -> Bool {
            !t.isEmpty && t.allSatisfy { $0 == "=" || $0 == " " }
        }

        /// A title with an underline (or over- and underline) at `i`: the heading and the next line.
        mutating func section(_ lines: ArraySlice<Line>, at i: Int) -> (String, Int)? {
            let end = lines.endIndex
            let t = lines[i].text
            var title: Substring
            var style: String
            var next: Int
            if Self.isAdornment(t), i + 2 < end, lines[i + 2].text == t, !lines[i + 1].isBlank,
                lines[i + 1].text.count <= t.count {
                title = lines[i + 1].text
                style = "\(t.first!)/over"
                next = i + 3
            } else if i + 1 < end, lines[i + 1].indent == 0, Self.isAdornment(lines[i + 1].text), !Self.isAdornment(t),
                lines[i + 1].text.count >= min(t.count, 4), !(lines[i + 1].text.count == 2 && lines[i + 1].text.first == ":") {
                title = t
                style = String(lines[i + 1].text.first!)
                next = i + 2
            } else {
                return nil
            }
            title = title.drop { $0 == " " }
            let level: Int
            if let known = sectionStyles.firstIndex(of: style) {
                level = known + 1
            } else {
                sectionStyles.append(style)
                level = sectionStyles.count
            }
            let tag = "h\(min(level + 2, 6))"
            return ("<\(tag)>\(inline(String(title)))</\(tag)>", next)
        }

        static func bulletMarker(_ t: Substring) -> Int? {
            guard let first = t.first, "-*+•‣⁃".contains(first) else { return nil }
            if t.count == 1 { return 1 }
            return t.dropFirst().first == " " ? 2 : nil
        }

        /// `1.`, `1)`, `(1)`, `#.`, `a.`, `iv.` followed by a space: the marker's width with the space.
        static func enumMarker(_ t: Substring) -> Int? {
            var s = t[...]
            var width = 0
            let parenthesized = s.first == "("
            if parenthesized { s = s.dropFirst(); width += 1 }
            let label = s.prefix { $0.isASCII && ($0.isNumber || $0.isLetter || $0 == "#") }
            guard !label.isEmpty, label.count <= 4 else { return nil }
            let isNumber = label.allSatisfy(\.isNumber)
            let isLetter = label.count == 1 && label.first!.isLetter
            let isRoman = label.allSatisfy { "ivxlcdmIVXLCDM".contains($0) }
            guard isNumber || isLetter || isRoman || label == "#" else { return nil }
            s = s.dropFirst(label.count)
            width += label.count
            guard let close = s.first, parenthesized ? close == ")" : (close == "." || close == ")") else { return nil }
            s = s.dropFirst()
            width += 1
            guard s.first == " " else { return nil }
            return width + 1
        }

        /// A bullet or enumerated list starting at `i`: items run while the next non-blank line at
        /// the margin has the same kind of marker.
        mutating func list(_ lines: ArraySlice<Line>, at start: Int, ordered: Bool, first: Int, depth: Int) -> (String, Int) {
            var items: [String] = []
            var i = start
            let end = lines.endIndex
            while i < end {
                let t = lines[i].text
                guard lines[i].indent == 0, let width = ordered ? Self.enumMarker(t) : Self.bulletMarker(t) else { break }
                var body: [Line] = [Line(indent: 0, text: t.dropFirst(width).drop { $0 == " " })]
                var j = i + 1
                let (rest, next) = indentedBlock(lines, from: j, margin: 0)
                // Continuation lines are dedented to the item's text column.
                for line in rest { body.append(line) }
                j = next
                let rendered = blocks(ArraySlice(body), depth: depth + 1)
                items.append("<li>\(Self.unwrapSingleParagraph(rendered))</li>")
                // Skip blank lines; continue only with another item of this list.
                var k = j
                while k < end, lines[k].isBlank { k += 1 }
                i = j
                if k < end, lines[k].indent == 0, (ordered ? Self.enumMarker(lines[k].text) : Self.bulletMarker(lines[k].text)) != nil {
                    i = k
                } else {
                    break
                }
            }
            let tag = ordered ? "ol" : "ul"
            return ("<\(tag)>\(items.joined())</\(tag)>", i)
        }

        /// `:Name: value` lines (with indented continuations) as a definition list.
        mutating func fieldList(_ lines: ArraySlice<Line>, at start: Int, depth: Int) -> (String, Int)? {
            var entries: [String] = []
            var i = start
            let end = lines.endIndex
            while i < end, lines[i].indent == 0, lines[i].text.hasPrefix(":") {
                let t = lines[i].text.dropFirst()
                guard let colon = t.firstIndex(of: ":"), colon > t.startIndex,
                    t.index(after: colon) == t.endIndex || t[t.index(after: colon)] == " "
                else { break }
                let name = t[..<colon]
                var body = [Line(indent: 0, text: t[t.index(after: colon)...].drop { $0 == " " })]
                let (rest, next) = indentedBlock(lines, from: i + 1, margin: 0)
                body += rest
                let value = Self.unwrapSingleParagraph(blocks(ArraySlice(body), depth: depth + 1))
                entries.append("<dt>\(inline(String(name)))</dt><dd>\(value)</dd>")
                i = next
                while i < end, lines[i].isBlank, i + 1 < end, lines[i + 1].text.hasPrefix(":") { i += 1 }
            }
            guard !entries.isEmpty else { return nil }
            return ("<dl>\(entries.joined())</dl>", i)
        }

        mutating func definitionList(_ lines: ArraySlice<Line>, at start: Int, depth: Int) -> (String, Int) {
            var entries: [String] = []
            var i = start
            let end = lines.endIndex
            while i + 1 < end, lines[i].indent == 0, !lines[i].isBlank, lines[i + 1].indent > 0, !lines[i + 1].isBlank {
                let term = String(lines[i].text)
                let (block, next) = indentedBlock(lines, from: i + 1, margin: 0)
                entries.append("<dt>\(inline(term))</dt><dd>\(blocks(block, depth: depth + 1))</dd>")
                i = next
                var k = i
                while k < end, lines[k].isBlank { k += 1 }
                if k + 1 < end, lines[k].indent == 0, lines[k + 1].indent > 0, !lines[k + 1].isBlank,
                    Self.bulletMarker(lines[k].text) == nil, !lines[k].text.hasPrefix("..") {
                    i = k
                } else {
                    break
                }
            }
            return ("<dl>\(entries.joined())</dl>", i)
        }

        static func unwrapSingleParagraph(_ html: String) -> String {
            guard html.hasPrefix("<p>"), html.hasSuffix("</p>") else { return html }
            let inner = html.dropFirst(3).dropLast(4)
            return inner.contains("<p>") ? html : String(inner)
        }

        static let codeDirectives: Set<String> = ["code", "code-block", "sourcecode", "parsed-literal", "literalinclude-text"]
        static let admonitions: Set<String> = [
            "note", "warning", "tip", "important", "attention", "caution", "danger", "error", "hint", "admonition",
            "seealso", "versionadded", "versionchanged", "deprecated", "topic", "sidebar", "rubric",
        ]

        /// `.. name:: argument` with options and content, a comment, a target or a substitution:
        /// the HTML (empty for what is not shown), whether it is an image, and the next line.
        mutating func directive(_ lines: ArraySlice<Line>, at i: Int, depth: Int) -> (String, Bool, Int) {
            let (body, next) = indentedBlock(lines, from: i + 1, margin: 0)
            let t = lines[i].text.dropFirst(2).drop { $0 == " " }
            guard let marker = t.range(of: "::"), !t.hasPrefix("|"), !t.hasPrefix("_"), !t.hasPrefix("[") else {
                if t.hasPrefix("[") {  // a footnote or citation: shown as a paragraph
                    let text = ([String(t)] + body.map { String($0.text) }).joined(separator: "\n")
                    return ("<p>\(inline(text))</p>", false, next)
                }
                return ("", false, next)  // a comment, a target or a substitution definition
            }
            let name = t[..<marker.lowerBound].trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_:.".contains($0) }) else { return ("", false, next) }
            let argument = t[marker.upperBound...].trimmingCharacters(in: .whitespaces)
            // Options come first in the body, then a blank line, then the content.
            var options: [String: String] = [:]
            var contentStart = body.startIndex
            while contentStart < body.endIndex, !body[contentStart].isBlank, body[contentStart].text.hasPrefix(":") {
                let o = body[contentStart].text.dropFirst()
                if let colon = o.firstIndex(of: ":") {
                    options[o[..<colon].lowercased()] = o[o.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                contentStart += 1
            }
            var content = body[contentStart...]
            while let first = content.first, first.isBlank { content = content.dropFirst() }
            switch name {
            case "image":
                return (Self.imageHTML(argument, alt: options["alt"] ?? "", target: options["target"]), true, next)
            case "figure":
                let image = Self.imageHTML(argument, alt: options["alt"] ?? "", target: options["target"])
                let caption = content.isEmpty ? "" : blocks(content, depth: depth + 1)
                return ("<figure>\(image)\(caption.isEmpty ? "" : "<figcaption>\(caption)</figcaption>")</figure>", false, next)
            case _ where Self.codeDirectives.contains(name):
                return (content.isEmpty ? "" : Self.pre(content), false, next)
            case _ where Self.admonitions.contains(name):
                // `admonition`, `topic`, … take a title; `versionadded` and the like a version; for
                // `note`, `warning`, … the text after `::` is the start of the content.
                let titled: Set<String> = ["admonition", "topic", "sidebar", "rubric"]
                let versioned: Set<String> = ["versionadded", "versionchanged", "deprecated"]
                let label = name == "seealso" ? "See also" : name.prefix(1).uppercased() + String(name.dropFirst())
                let versionLabel = ["versionadded": "New in version", "versionchanged": "Changed in version", "deprecated": "Deprecated since version"]
                let title = titled.contains(name) ? argument
                    : versioned.contains(name) ? "\(versionLabel[name] ?? label) \(argument)".trimmingCharacters(in: .whitespaces) : label
                var body = content
                if !titled.contains(name), !versioned.contains(name), !argument.isEmpty {
                    body = ArraySlice([Line(indent: 0, text: Substring(argument))] + content)
                }
                let inner = body.isEmpty ? "" : blocks(body, depth: depth + 1)
                return ("<blockquote><p><strong>\(inline(title))</strong></p>\(inner)</blockquote>", false, next)
            default:
                // raw, include, contents, toctree, meta, … : nothing a reader of the page needs, and
                // `raw` would be a way around the escaping.
                return ("", false, next)
            }
        }

        // MARK: Inline

        mutating func inline(_ text: String) -> String {
            var r = RSTInline(text: MarkupText(text), document: self)
            r.render()
            work += r.text.work
            anonymousUsed = r.document.anonymousUsed
            return r.out
        }
    }
}

/// reStructuredText's inline markup over one paragraph, in one forward pass (see `MarkdownInline`).
/// Markup starts only where reST allows it (after a space or opening punctuation) and is closed by
/// the first matching end-string; reST does not nest inline markup, so contents are escaped text.
struct RSTInline {
    var text: MarkupText
    var document: SafeRST.Document
    var out = ""

    static let openers = Set("'\"([{<-/:‘“’«¡¿".unicodeScalars)
    static let closers = Set("'\")]}>-/:.,;!?\\’”»".unicodeScalars)

    func startOK(_ i: Int, length: Int) -> Bool {
        let before = text.at(i - 1)
        guard before == nil || MarkupText.isSpace(before) || Self.openers.contains(before!) else { return false }
        guard let after = text.at(i + length), !MarkupText.isSpace(after) else { return false }
        return true
    }

    func endOK(_ end: Int, length: Int) -> Bool {
        guard end > 0, !MarkupText.isSpace(text.at(end - 1)) else { return false }
        let after = text.at(end + length)
        return after == nil || MarkupText.isSpace(after) || Self.closers.contains(after!)
    }

    mutating func render() {
        let n = text.count
        var i = 0
        while i < n {
            text.work += 1
            let ch = text[i]
            if ch == "\\", i + 1 < n {
                if !MarkupText.isSpace(text[i + 1]) { MarkupText.escape(text[i + 1], into: &out) }
                i += 2
                continue
            }
            if ch == "`", i + 1 < n, text[i + 1] == "`", startOK(i, length: 2),
                let end = text.nextPair("`", from: i + 2, limit: n), endOK(end, length: 2) {
                out += "<code>"
                text.escape((i + 2)..<end, into: &out)
                out += "</code>"
                i = end + 2
                continue
            }
            if ch == "`", startOK(i, length: 1), let end = text.next("`", from: i + 1, limit: n), end > i + 1 {
                var after = end + 1
                var reference = false
                var anonymousRef = false
                if text.at(after) == "_" {
                    reference = true
                    after += 1
                    if text.at(after) == "_" { anonymousRef = true; after += 1 }
                }
                let next = text.at(after)
                if !MarkupText.isSpace(text.at(end - 1)), next == nil || MarkupText.isSpace(next) || Self.closers.contains(next!) {
                    interpreted((i + 1)..<end, reference: reference, anonymous: anonymousRef, role: nil)
                    i = after
                    continue
                }
            }
            if ch == ":", startOK(i, length: 1), let (role, open) = roleName(at: i), let end = text.next("`", from: open + 1, limit: n), end > open + 1 {
                interpreted((open + 1)..<end, reference: false, anonymous: false, role: role)
                i = end + 1
                continue
            }
            if ch == "*", i + 1 < n, text[i + 1] == "*", startOK(i, length: 2),
                let end = text.nextPair("*", from: i + 2, limit: n), end > i + 2, endOK(end, length: 2) {
                out += "<strong>"
                text.escape((i + 2)..<end, into: &out)
                out += "</strong>"
                i = end + 2
                continue
            }
            if ch == "*", startOK(i, length: 1), let end = text.next("*", from: i + 1, limit: n), end > i + 1, endOK(end, length: 1) {
                out += "<em>"
                text.escape((i + 1)..<end, into: &out)
                out += "</em>"
                i = end + 1
                continue
            }
            if ch == "|", startOK(i, length: 1), let end = text.next("|", from: i + 1, limit: n), end > i + 1 {
                var after = end + 1
                while after < n, after < end + 3, text[after] == "_" { after += 1 }
                let name = SafeRST.Document.normalize(text.string((i + 1)..<end))
                if let html = document.substitutions[name] {
                    out += html
                    i = after
                    continue
                }
            }
            if ch == "]", i + 1 < n, text[i + 1] == "_", endOK(i + 1, length: 1) {  // footnote reference [1]_
                out += "]"
                i += 2
                continue
            }
            if MarkupText.isWordish(ch), !MarkupText.isWordish(text.at(i - 1)) {
                i = word(from: i)
                continue
            }
            MarkupText.escape(ch, into: &out)
            i += 1
        }
    }

    /// A word: a bare URL becomes a link, `name_` a reference to a target; else the word as text.
    mutating func word(from start: Int) -> Int {
        let n = text.count
        if text[start] == "h", start + 7 < n, text.string(start..<(start + 7)) == "http://" || text.string(start..<(start + 8)) == "https://" {
            var j = start
            while j < n, !MarkupText.isSpace(text[j]), text[j] != "<", text[j] != ">", text[j] != "\"", text[j] != "`" { j += 1 }
            var end = j
            while end > start, ".,;:!?)'".unicodeScalars.contains(text[end - 1]) { end -= 1 }
            let url = text.string(start..<end)
            text.work += end - start
            if let safe = SafeLink.url(url, image: false) {
                out += SafeLink.anchor(safe, inner: HTML.escape(url))
            } else {
                text.escape(start..<end, into: &out)
            }
            return end
        }
        var j = start
        while j < n, MarkupText.isWordish(text[j]) || ("-._+".unicodeScalars.contains(text[j]) && MarkupText.isWordish(text.at(j + 1))) { j += 1 }
        if j < n, text[j] == "_", endOK(j, length: text.at(j + 1) == "_" ? 2 : 1) {
            let anonymous = text.at(j + 1) == "_"
            let label = start..<j
            if let url = anonymous ? nextAnonymous() : document.targets[SafeRST.Document.normalize(text.string(label))],
                let safe = SafeLink.url(url, image: false) {
                out += "<a href=\"\(HTML.escape(safe))\" rel=\"nofollow noopener noreferrer\">"
                text.escape(label, into: &out)
                out += "</a>"
            } else {
                text.escape(label, into: &out)
            }
            return j + (anonymous ? 2 : 1)
        }
        text.escape(start..<j, into: &out)
        return j
    }

    mutating func nextAnonymous() -> String? {
        guard document.anonymousUsed < document.anonymous.count else { return nil }
        defer { document.anonymousUsed += 1 }
        return document.anonymous[document.anonymousUsed]
    }

    /// `:role:` directly followed by a backtick: the role and the backtick's index.
    func roleName(at i: Int) -> (String, Int)? {
        var j = i + 1
        while j < text.count, j < i + 40, text[j].properties.isAlphabetic || text[j].properties.numericType != nil || "-_.+:".unicodeScalars.contains(text[j]) {
            if text[j] == ":", text.at(j + 1) == "`" { return (text.string((i + 1)..<j).lowercased(), j + 1) }
            j += 1
        }
        return nil
    }

    /// `` `text` `` with an optional role, or a reference `` `text <url>`_ `` / `` `name`_ ``.
    mutating func interpreted(_ range: Range<Int>, reference: Bool, anonymous: Bool, role: String?) {
        let content = text.string(range)
        text.work += range.count
        // `Title <target>`: an explicit URL or label in angle brackets.
        var label = content
        var explicit: String?
        if content.hasSuffix(">"), let open = content.range(of: "<", options: .backwards) {
            explicit = String(content[open.upperBound..<content.index(before: content.endIndex)])
            label = content[..<open.lowerBound].trimmingCharacters(in: .whitespaces)
            if label.isEmpty { label = explicit! }
        }
        if reference {
            var url = explicit
            if let e = explicit, e.hasSuffix("_") { url = document.targets[SafeRST.Document.normalize(e.dropLast())] }
            if url == nil { url = anonymous ? nextAnonymous() : document.targets[SafeRST.Document.normalize(label)] }
            if let url, let safe = SafeLink.url(url.filter { !$0.isWhitespace }, image: false) {
                out += SafeLink.anchor(safe, inner: HTML.escape(label))
            } else {
                out += HTML.escape(label)
            }
            return
        }
        switch role {
        case "emphasis"?: out += "<em>\(HTML.escape(label))</em>"
        case "strong"?: out += "<strong>\(HTML.escape(label))</strong>"
        case "pep"?: out += "PEP \(HTML.escape(label))"
        case "rfc"?: out += "RFC \(HTML.escape(label))"
        case "sub"?, "subscript"?: out += "<sub>\(HTML.escape(label))</sub>"
        case "sup"?, "superscript"?: out += "<sup>\(HTML.escape(label))</sup>"
        case nil: out += "<em>\(HTML.escape(label))</em>"
        default: out += "<code>\(HTML.escape(label.hasPrefix("~") ? String(label.dropFirst()) : label))</code>"
        }
    }
}
