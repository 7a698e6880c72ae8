import Foundation
import Testing
import TrawlCore
@testable import TrawlServer

/// The fast JSON path writes exactly what Foundation's encoder (sorted keys, slashes unescaped)
/// writes, and the ASCII highlighter marks exactly what the general one marks.
@Suite struct JSONTreeTests {
    static func foundation<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONOutput.encoder().encode(value), as: UTF8.self)
    }

    static func fast<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONTree.bytes(JSONTree.encode(value)), as: UTF8.self)
    }

    static var awkward: String {
        var s = "quote \" backslash \\ slash / tab \t newline \n crlf \r\n DEL \u{7f} line separator \u{2028} é 😀 "
        for i in 0..<0x20 { s.unicodeScalars.append(Unicode.Scalar(UInt8(i))) }
        return s
    }

    @Test func documentsAndAnswersAreTheSameBytesAsFoundation() throws {
        var documents = (Fixtures.django + Fixtures.flask).map(\.document)
        var odd = PackageDocument(name: "Odd_Name.pkg")
        odd.summary = Self.awkward
        odd.description = Self.xssLike
        odd.keywords = ["", Self.awkward, "Z", "a", "é", "_"]
        odd.projectURLs = ["b": "/x", "B": "y", "é": "z", "a10": "1", "a2": "2", "": "empty"]
        odd.githubStars = Int.max
        odd.downloadLastMonth = Int.min
        odd.healthScoreBreakdown = ["x": HealthRuleResult(points: -3, max: 0, why: Self.awkward)]
        documents.append(odd)
        for document in documents {
            #expect(try Self.fast(document) == Self.foundation(document), "\(document.name)")
            // As a search answer embeds it: reshaped as a JSONValue, then written.
            let value = try JSONValue.from(document)
            #expect(try Self.fast(value) == Self.foundation(value), "\(document.name) as JSONValue")
            #expect(try JSONDecoder().decode(JSONValue.self, from: JSONOutput.encoder().encode(document)) == value, "\(document.name) tree")
        }
        let mixed: [String: JSONValue] = [
            "null": .null, "t": .bool(true), "f": .bool(false), "i": .int(-42), "d": .double(0.1), "big": .double(1e21),
            "tiny": .double(1e-7), "whole": .double(3), "nested": .array([.object([:]), .array([]), .string(Self.awkward)]),
        ]
        #expect(try Self.fast(mixed) == Self.foundation(mixed))
        struct Shape: Encodable {
            var optional: Int? = nil
            var present: String? = "x"
            var counts: [String: Int] = ["b": 2, "a": 1]
            var flags: [Bool] = [true, false]
            var small: Int8 = -8
            var unsigned: UInt32 = 7
            var double: Double = 123456789.125
        }
        #expect(try Self.fast(Shape()) == Self.foundation(Shape()))
        #expect(try Self.fast([Shape(), Shape(optional: 3)]) == Self.foundation([Shape(), Shape(optional: 3)]))
    }

    @Test func whatItDoesNotModelFallsBackToFoundation() throws {
        #expect(throws: JSONTree.Unsupported.self) { try JSONTree.encode(["when": Date(timeIntervalSince1970: 0)]) }
        #expect(throws: JSONTree.Unsupported.self) { try JSONTree.encode([UInt64.max]) }
        #expect(throws: JSONTree.Unsupported.self) { try JSONTree.encode([Float(0.1)]) }
        let dated = ["when": Date(timeIntervalSince1970: 0)]
        #expect(try JSONOutput.bytes(dated) == Array(JSONOutput.encoder().encode(dated)))
        #expect(try JSONValue.from(dated) == JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(dated)))
    }

    static let xssLike = """
        # Evil <package> & "friends"
        Looks harmless. <script>document.title='PWNED'</script> RESTful rest-framework Rest2 djangorestframework.
        Tabs\tand\r\nCRLF lines, digits 3.12 and 2x, un_der_score, café (non-ASCII goes the general way).
        """

    /// The highlighter's general path (Characters), as it was before the ASCII path.
    static func general(_ text: String, words: [String]) -> (snippet: String, tokens: [String])? {
        var output = "", tokens: [String] = [], current = ""
        func flush() {
            guard !current.isEmpty else { return }
            let lower = current.lowercased()
            if words.contains(where: { lower.hasPrefix($0) }) {
                output += "<mark>\(HTML.escape(current))</mark>"
                tokens.append(current)
            } else {
                output += HTML.escape(current)
            }
            current = ""
        }
        for c in text {
            if c.isLetter || c.isNumber { current.append(c) } else {
                flush()
                output += HTML.escape(String(c))
            }
        }
        flush()
        return tokens.isEmpty ? nil : (output, tokens)
    }

    @Test func asciiHighlightingMarksWhatTheGeneralPathMarks() {
        let texts = [Self.xssLike.replacingOccurrences(of: "café", with: "cafe"), "REST", "", "<<&&>>'\"", "rest-rest_rest.rest", "x2 2x 22"]
        let queries = [["rest"], ["res", "dj"], ["2"], ["script", "pwned"], ["nothing"], ["café"], ["rest", ""]]
        for text in texts {
            for words in queries {
                let answered = Highlighter.markASCII(text, words: words)
                #expect(answered != nil, "ASCII text takes the ASCII path")
                let fast = answered ?? nil
                let slow = Self.general(text, words: words)
                #expect(fast?.snippet == slow?.snippet, "\(words) in \(text.prefix(30))")
                #expect(fast?.tokens == slow?.tokens, "\(words) in \(text.prefix(30))")
                #expect(Highlighter.mark(text, words: words)?.snippet == slow?.snippet)
            }
        }
        // Non-ASCII text is left to the general path, which still marks it.
        #expect(Highlighter.markASCII(Self.xssLike, words: ["cafe"]) == nil)
        #expect(Highlighter.mark("Un café crème", words: ["caf"])?.tokens == ["café"])
    }
}
