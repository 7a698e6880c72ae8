import Foundation
import TrawlCore

/// One JSON shape for stored documents: sorted keys so identical documents are identical bytes
/// (a rerun that changes nothing writes the same text), and compact stored forms of some fields
/// (`CodingUserInfoKey.trawlStoredForm`); the API and Typesense see the plain encoding.
enum DocumentCoding {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Compact stored forms (`StoredHealthBreakdown`): what a whole-collection pass decodes fastest.
        encoder.userInfo[.trawlStoredForm] = true
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

    /// Decodes a page of stored documents, a large one in two halves at once: a whole-collection
    /// pass (`trawl enrich health`) spends most of its time here.
    static func decode(_ texts: [String]) async throws -> [PackageDocument] {
        @Sendable func serially(_ slice: ArraySlice<String>) throws -> [PackageDocument] {
            let decoder = JSONDecoder()
            return try slice.map { try decoder.decode(PackageDocument.self, from: Data($0.utf8)) }
        }
        guard texts.count >= 64 else { return try serially(texts[...]) }
        let middle = texts.count / 2
        async let first = serially(texts[..<middle])
        let second = try serially(texts[middle...])
        return try await first + second
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
