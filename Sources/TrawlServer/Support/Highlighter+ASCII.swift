extension Highlighter {
    /// `mark` for ASCII text (nearly all package metadata), over bytes instead of Characters:
    /// the same snippet and tokens — words are runs of ASCII letters and digits, a word is marked
    /// when its lowercase form starts with a query word, everything else is HTML-escaped — at a
    /// fraction of the cost (grapheme breaking and Unicode property look-ups were most of it).
    /// nil for non-ASCII text (the caller then takes the general path) or when nothing matched.
    static func markASCII(_ text: String, words: [String]) -> (snippet: String, tokens: [String])?? {
        var text = text
        return text.withUTF8 { bytes -> (snippet: String, tokens: [String])?? in
            for byte in bytes where byte >= 0x80 { return .none }
            let wanted = words.map { Array($0.utf8) }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 64)
            var tokens: [String] = []
            var start = -1
            func isWordByte(_ b: UInt8) -> Bool {
                (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
            }
            func matches(_ word: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
                wanted.contains { w in
                    guard !w.isEmpty, w.count <= word.count else { return w.isEmpty }
                    var i = word.startIndex
                    for c in w {
                        let b = word[i]
                        if (b >= 0x41 && b <= 0x5A ? b + 32 : b) != c { return false }
                        i += 1
                    }
                    return true
                }
            }
            func flush(_ end: Int) {
                guard start >= 0 else { return }
                let word = bytes[start..<end]
                if matches(word) {
                    out.append(contentsOf: "<mark>".utf8)
                    out.append(contentsOf: word)  // letters and digits need no escaping
                    out.append(contentsOf: "</mark>".utf8)
                    tokens.append(String(decoding: word, as: UTF8.self))
                } else {
                    out.append(contentsOf: word)
                }
                start = -1
            }
            for i in 0..<bytes.count {
                let byte = bytes[i]
                if isWordByte(byte) {
                    if start < 0 { start = i }
                    continue
                }
                flush(i)
                switch byte {
                case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
                default: out.append(byte)
                }
            }
            flush(bytes.count)
            return .some(tokens.isEmpty ? nil : (String(decoding: out, as: UTF8.self), tokens))
        }
    }

    /// `window` for ASCII text, over bytes (words: runs of ASCII letters and digits, matched without
    /// case, as `markASCII` reads them). `.none` for non-ASCII text; `.some(nil)` when there is no window.
    static func windowASCII(_ text: String, words: [String]) -> Substring?? {
        let wanted = words.filter { !$0.isEmpty }.map { Array($0.utf8) }
        var copy = text
        let bounds = copy.withUTF8 { bytes -> (Int, Int)?? in
            var ranges: [Range<Int>] = []
            var first: Int?
            var start = -1
            func isWordByte(_ b: UInt8) -> Bool {
                (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
            }
            func matches(_ from: Int, _ end: Int) -> Bool {
                wanted.contains { w in
                    guard w.count <= end - from else { return false }
                    for (k, c) in w.enumerated() {
                        let b = bytes[from + k]
                        if (b >= 0x41 && b <= 0x5A ? b + 32 : b) != c { return false }
                    }
                    return true
                }
            }
            func close(_ end: Int) {
                guard start >= 0 else { return }
                if first == nil, matches(start, end) { first = ranges.count }
                ranges.append(start..<end)
                start = -1
            }
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b >= 0x80 { return .none }
                if isWordByte(b) {
                    if start < 0 { start = i }
                } else {
                    close(i)
                    if let first, ranges.count > max(snippetThreshold, first + affixWords) { break }
                }
                i += 1
            }
            // Stopped early: the words after the window cannot move it, ASCII or not.
            if i == bytes.count { close(i) }
            guard ranges.count > snippetThreshold, let first else { return .some(nil) }
            return .some((ranges[max(0, first - affixWords)].lowerBound, ranges[min(ranges.count - 1, first + affixWords)].upperBound))
        }
        switch bounds {
        case .none: return .none
        case .some(nil): return .some(nil)
        case .some(let .some((lower, upper))):
            let utf8 = text.utf8
            return .some(text[utf8.index(utf8.startIndex, offsetBy: lower)..<utf8.index(utf8.startIndex, offsetBy: upper)])
        }
    }
}
