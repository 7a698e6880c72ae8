import Foundation

/// Splits text into the words the index stores and a query looks up: lowercase, diacritics
/// folded, broken at anything that is not a letter or a digit — what the SQL stores index
/// (SQLite's `unicode61 remove_diacritics 2`, PostgreSQL's pre-split `simple` text), so the same
/// query finds the same documents in memory and in SQL.
enum Tokenizer {
    /// The words of `text`, in order, repeats kept (their count is the term frequency).
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        forEachWord(text) { words.append($0) }
        return words
    }

    /// Calls `body` with each word. ASCII text (nearly all package metadata) is split over its
    /// UTF-8 bytes without building Characters: startup tokenizes every description.
    static func forEachWord(_ text: String, _ body: (String) -> Void) {
        var isASCII = true
        for byte in text.utf8 where byte >= 0x80 {
            isASCII = false
            break
        }
        guard isASCII else {
            let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            for word in folded.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) { body(word.lowercased()) }
            return
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(32)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): buffer.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): buffer.append(byte + 32)
            default:
                if !buffer.isEmpty {
                    body(String(decoding: buffer, as: UTF8.self))
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        if !buffer.isEmpty { body(String(decoding: buffer, as: UTF8.self)) }
    }

    /// The name as the SQL stores index it: the name plus its `-`/`_`/`.` parts when it has
    /// several, so `djangorestframework-jwt` is found by `jwt` and its words weigh as they do there.
    static func nameWords(_ name: String) -> [String] {
        let words = words(name)
        let parts = name.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." })
        return parts.count > 1 ? words + parts.flatMap { Self.words(String($0)) } : words
    }
}
