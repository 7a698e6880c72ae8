/// PEP 503 HTML simple index pages, as many mirrors (bandersnatch, devpi, caching proxies) serve
/// them: the root listing is one `<a href="…">name</a>` per project, a project page one anchor per
/// file (`data-requires-python`, `data-yanked`). One forward pass over the bytes: the cursor only
/// moves forward, so hostile input (unclosed tags, `<a` without end, megabytes of attributes) costs
/// linear time, and names/attributes are bounded in length.
public enum SimpleIndexHTML {
    /// One anchor: its decoded text and attributes (lowercase names).
    public struct Anchor: Sendable, Equatable {
        public var text: String
        public var attributes: [String: String]
    }

    /// Longest anchor text or attribute value kept (a project name is at most a few hundred bytes).
    static let maxValue = 4096
    /// Attributes read per tag; the rest are skipped.
    static let maxAttributes = 16

    /// Calls `emit` for every `<a …>text</a>`, in document order.
    public static func anchors(_ b: [UInt8], emit: (Anchor) throws -> Void) rethrows {
        let n = b.count
        var i = 0
        while i < n {
            // Next "<a" followed by whitespace or ">".
            guard b[i] == UInt8(ascii: "<") else { i += 1; continue }
            guard i + 2 < n, b[i + 1] | 0x20 == UInt8(ascii: "a"), isSpace(b[i + 2]) || b[i + 2] == UInt8(ascii: ">") else {
                i += 1
                continue
            }
            var attributes: [String: String] = [:]
            var j = i + 2
            // Attributes up to the tag's ">" (quoted values may hold ">").
            while j < n, b[j] != UInt8(ascii: ">") {
                if isSpace(b[j]) || b[j] == UInt8(ascii: "/") { j += 1; continue }
                let nameStart = j
                while j < n, !isSpace(b[j]), b[j] != UInt8(ascii: "="), b[j] != UInt8(ascii: ">") { j += 1 }
                let name = String(decoding: b[nameStart..<min(j, nameStart + 64)], as: UTF8.self).lowercased()
                while j < n, isSpace(b[j]) { j += 1 }
                var value = ""
                if j < n, b[j] == UInt8(ascii: "=") {
                    j += 1
                    while j < n, isSpace(b[j]) { j += 1 }
                    let valueStart: Int
                    let valueEnd: Int
                    if j < n, b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "'") {
                        let quote = b[j]
                        valueStart = j + 1
                        j = valueStart
                        while j < n, b[j] != quote { j += 1 }
                        valueEnd = j
                        if j < n { j += 1 }
                    } else {
                        valueStart = j
                        while j < n, !isSpace(b[j]), b[j] != UInt8(ascii: ">") { j += 1 }
                        valueEnd = j
                    }
                    value = decode(b[valueStart..<min(valueEnd, valueStart + maxValue)])
                }
                if attributes.count < maxAttributes, !name.isEmpty { attributes[name] = value }
            }
            guard j < n else { return }  // the tag never ends: nothing more to read
            let textStart = j + 1
            // The text runs to the next "<" (a name has no markup inside; "</a>" normally follows).
            var k = textStart
            while k < n, b[k] != UInt8(ascii: "<") { k += 1 }
            let text = decode(b[textStart..<min(k, textStart + maxValue)]).trimmingSpaces()
            try emit(Anchor(text: text, attributes: attributes))
            i = k
        }
    }

    /// Project names of a root listing page. A name is the anchor text (PEP 503), or the last path
    /// segment of its `href` when the text is empty; anchors that are not names are skipped.
    public static func projects(_ b: [UInt8], emit: (String) throws -> Void) rethrows {
        try anchors(b) { anchor in
            var name = anchor.text
            if name.isEmpty, let href = anchor.attributes["href"] {
                name = href.split(separator: "/").last.map(String.init) ?? ""
            }
            if isProjectName(name) { try emit(name) }
        }
    }

    /// A project page's files: the anchor text is the file name, `href` its URL.
    public static func files(_ b: [UInt8]) -> [SimpleIndexFile] {
        var out: [SimpleIndexFile] = []
        anchors(b) { anchor in
            guard let href = anchor.attributes["href"], !anchor.text.isEmpty else { return }
            out.append(SimpleIndexFile(
                filename: anchor.text, url: href, requiresPython: anchor.attributes["data-requires-python"],
                yanked: anchor.attributes["data-yanked"] != nil))
        }
        return out
    }

    /// A PEP 508 name: letters, digits, `.`, `_`, `-`, starting and ending with a letter or digit
    /// (anchors such as "Back" links with other text are not projects).
    static func isProjectName(_ name: String) -> Bool {
        guard let first = name.utf8.first, let last = name.utf8.last, name.utf8.count <= 200 else { return false }
        func alnum(_ c: UInt8) -> Bool { (48...57).contains(c) || (65...90).contains(c) || (97...122).contains(c) }
        return alnum(first) && alnum(last)
            && name.utf8.allSatisfy { alnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C
    }

    /// Decodes the character references a simple index uses (`&amp;`, `&lt;`, `&gt;`, `&quot;`,
    /// `&#39;`, `&#NN;`, `&#xNN;`); anything else is kept as written.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let c = bytes[i]
            if c == UInt8(ascii: "&"), let semi = bytes[i..<min(bytes.endIndex, i + 10)].firstIndex(of: UInt8(ascii: ";")) {
                let entity = String(decoding: bytes[(i + 1)..<semi], as: UTF8.self)
                var scalar: Unicode.Scalar?
                switch entity {
                case "amp": scalar = "&"
                case "lt": scalar = "<"
                case "gt": scalar = ">"
                case "quot": scalar = "\""
                case "apos": scalar = "'"
                default:
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X") { scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
                    else if entity.hasPrefix("#") { scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init) }
                }
                if let scalar {
                    out += Array(String(Character(scalar)).utf8)
                    i = semi + 1
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// One file of a simple index project page (PEP 503 HTML or PEP 691 JSON).
public struct SimpleIndexFile: Sendable, Equatable {
    public var filename: String
    public var url: String
    public var requiresPython: String?
    public var yanked: Bool
}

extension String {
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
