import Foundation
import TrawlCore

/// One JSON shape for stored documents: sorted keys so identical documents are identical bytes
/// (a rerun that changes nothing writes the same text).
enum DocumentCoding {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encodes a batch with one encoder (making one per document showed in profiles).
    static func encode(_ documents: [PackageDocument]) throws -> [String] {
        let encoder = encoder()
        return try documents.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
    }

    static func decode(_ text: String) throws -> PackageDocument {
        try JSONDecoder().decode(PackageDocument.self, from: Data(text.utf8))
    }

    /// The list fields indexed as terms, by field name (`PackageDocument.indexedLists`).
    static func terms(of document: PackageDocument) -> [(String, String)] {
        var terms: [(String, String)] = []
        for (field, values) in document.indexedLists {
            for value in Set(values) where !value.isEmpty { terms.append((field, value)) }
        }
        return terms
    }
}
