import Foundation
public import TrawlCore

/// A package document as Typesense stores it: the docs/design.md §6 JSON with `id` = normalized name, so
/// an upsert replaces the package and a delete needs only its name, plus `popularity`.
public enum TypesenseDocument {
    /// One JSONL line per document (JSONEncoder never writes a raw newline).
    public static func lines(_ documents: [PackageDocument]) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try documents.map { doc in
            let json = String(decoding: try encoder.encode(doc), as: UTF8.self)
            let id = String(decoding: try encoder.encode(doc.normalizedName), as: UTF8.self)
            return "{\"id\":" + id + ",\"popularity\":\(popularity(doc))," + json.dropFirst()
        }
    }

    /// Trawl's popularity prior (`RelevanceRanking.popularity`: damped downloads, dependents and
    /// stars) in hundredths, so a front end on a real Typesense can sort matches by it
    /// (`TypesensePackageSchema.recommendedSortBy`) as Trawl orders a tier.
    public static func popularity(_ doc: PackageDocument) -> Int64 {
        Int64((RelevanceRanking.popularity(RelevanceRanking.Candidate(doc)) * 100).rounded())
    }
}
