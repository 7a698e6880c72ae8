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
}
