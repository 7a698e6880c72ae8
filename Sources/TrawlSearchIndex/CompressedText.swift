import CZlib
import TrawlCore

/// A document's long texts (description, README, changelog), deflated while the index holds them.
///
/// They are most of a document's memory and are read only for the page of hits an answer returns
/// (20 by default), never to search: the terms are in the postings. Deflate (zlib level 1, the
/// fastest) roughly halves them; inflating 20 texts costs a few microseconds each. Written by
/// hand over zlib's one-shot calls because no package of this machine offers a plain deflate.
struct CompressedText: Sendable {
    /// Deflated bytes, or the text itself when short or when deflating did not make it smaller.
    private let bytes: [UInt8]
    private let originalCount: Int
    private let deflated: Bool

    static let empty = CompressedText(bytes: [], originalCount: 0, deflated: false)

    private init(bytes: [UInt8], originalCount: Int, deflated: Bool) {
        self.bytes = bytes
        self.originalCount = originalCount
        self.deflated = deflated
    }

    init(_ text: String) {
        let source = Array(text.utf8)
        guard source.count > 256 else {
            self.init(bytes: source, originalCount: source.count, deflated: false)
            return
        }
        var capacity = compressBound(uLong(source.count))
        var out = [UInt8](repeating: 0, count: Int(capacity))
        let status = out.withUnsafeMutableBufferPointer { o in
            source.withUnsafeBufferPointer { s in
                compress2(o.baseAddress, &capacity, s.baseAddress, uLong(s.count), 1)
            }
        }
        guard status == Z_OK, Int(capacity) < source.count else {
            self.init(bytes: source, originalCount: source.count, deflated: false)
            return
        }
        self.init(bytes: Array(out[..<Int(capacity)]), originalCount: source.count, deflated: true)
    }

    /// The text. A deflated block this index wrote itself always inflates; should it not, the
    /// text reads as empty rather than ending the process.
    var text: String {
        guard deflated else { return String(decoding: bytes, as: UTF8.self) }
        var length = uLong(originalCount)
        var out = [UInt8](repeating: 0, count: originalCount)
        let status = out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { s in uncompress(o.baseAddress, &length, s.baseAddress, uLong(s.count)) }
        }
        guard status == Z_OK else { return "" }
        return String(decoding: out[..<Int(length)], as: UTF8.self)
    }
}

/// The three long texts of one document, kept apart from the rest of it.
struct DocumentTexts: Sendable {
    var description: CompressedText
    var readme: CompressedText
    var changelog: CompressedText

    /// Takes the long texts out of `document` (left empty) into deflated form.
    static func split(_ document: inout PackageDocument) -> DocumentTexts {
        let texts = DocumentTexts(
            description: CompressedText(document.description), readme: CompressedText(document.readme),
            changelog: CompressedText(document.changelog))
        document.description = ""
        document.readme = ""
        document.changelog = ""
        return texts
    }

    /// `document` with its texts back.
    func restore(_ document: PackageDocument) -> PackageDocument {
        var d = document
        d.description = description.text
        d.readme = readme.text
        d.changelog = changelog.text
        return d
    }
}
