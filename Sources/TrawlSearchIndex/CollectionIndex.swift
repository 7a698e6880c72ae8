public import TrawlCore
import Synchronization

/// An immutable, searchable picture of one collection: documents in name order (a document's id is
/// its position, so name order — every sort's last tie-break — is id order), the term dictionary
/// with postings, and the facet and value columns.
///
/// Immutable so that searches read it without locks while a newer one is built beside it and
/// swapped in (`SearchIndex`); `applying` builds that newer one from this one and the changed
/// documents, re-tokenizing only those.
public final class CollectionIndex: Sendable {
    /// The store revision this picture includes.
    public let revision: Int64
    /// The collection's `created_at`, to notice a collection deleted and made again.
    public let createdAt: Int64
    /// Normalized names in byte order (SQLite's and PostgreSQL `COLLATE "C"` name order).
    let names: [String]
    /// The documents without their long texts (description, README, changelog), which `texts`
    /// keeps deflated: read back only for the hits of an answer (`document(at:)`).
    let documents: [PackageDocument]
    let texts: [DocumentTexts]
    /// Name, summary and keywords as bytes for ranking; the summary is kept only here.
    let rankingTexts: RankingTexts
    let dictionary: TermDictionary
    let facets: [String: FacetColumn]
    let columns: ValueColumns

    public var count: Int { documents.count }

    private let graph = Mutex<DependencyGraph?>(nil)

    /// Who requires whom in this picture of the collection: built on first use and kept with it,
    /// so it is as current as the index (a newer revision is a newer picture with its own graph).
    public var dependencyGraph: DependencyGraph {
        if let built = graph.withLock({ $0 }) { return built }
        let built = DependencyGraph(documents)
        graph.withLock { $0 = built }
        return built
    }

    init(
        revision: Int64, createdAt: Int64, names: [String], documents: [PackageDocument], texts: [DocumentTexts],
        rankingTexts: RankingTexts, dictionary: TermDictionary
    ) {
        self.revision = revision
        self.createdAt = createdAt
        self.names = names
        self.documents = documents
        self.texts = texts
        self.rankingTexts = rankingTexts
        self.dictionary = dictionary
        var facets: [String: FacetColumn] = [:]
        for field in SearchFields.facetable { facets[field] = FacetColumn(field: field, documents: documents) }
        self.facets = facets
        self.columns = ValueColumns(documents: documents)
    }

    /// An empty collection.
    public static func empty(createdAt: Int64 = 0) -> CollectionIndex {
        CollectionIndex(revision: 0, createdAt: createdAt, names: [], documents: [], texts: [], rankingTexts: RankingTexts(), dictionary: TermDictionary())
    }

    /// The document id of a normalized name.
    func id(of name: String) -> Int? {
        var low = 0, high = names.count
        while low < high {
            let mid = (low + high) / 2
            if TermDictionary.precedes(names[mid], name) { low = mid + 1 } else { high = mid }
        }
        return low < names.count && names[low] == name ? low : nil
    }

    public func document(_ name: String) -> PackageDocument? {
        id(of: PackageName.normalize(name)).map { document(at: $0) }
    }

    /// The whole document of an id, its long texts inflated and its summary put back.
    func document(at id: Int) -> PackageDocument {
        var document = texts[id].restore(documents[id])
        document.summary = rankingTexts.summary(id)
        return document
    }
}
