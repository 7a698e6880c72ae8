import TrawlCore

/// Relevance order in the SQL stores, decided by the same `RelevanceRanking` as the in-memory
/// index: the store selects the matching set's names, short texts and popularity columns (no
/// document bodies), the ranking keys them here, and only the page's documents are read after.
/// SQL could order by bm25 alone, but then the two paths would disagree on every first page; the
/// cost is one pass over the matching rows, paid only before the index has loaded (or by
/// `trawl search`, which reads the store).
enum RelevanceOrder {
    /// Whether the query orders by relevance at all (and so needs the ranking).
    static func applies(to query: SearchQuery) -> Bool {
        query.sortFields.isEmpty ? query.sort == .relevance : query.sortFields.contains { $0.field == SortField.textMatch }
    }

    /// The numeric columns the explicit sort keys read besides relevance (names from the whitelist).
    static func numericFields(_ query: SearchQuery) -> [String] {
        query.sortFields.map(\.field).filter { SearchFields.numeric.contains($0) }
    }

    /// One matching row as the ranking and the explicit keys need it.
    struct Row {
        var id: Int64
        var candidate: RelevanceRanking.Candidate
        /// The values of `numericFields`, in that order.
        var values: [Int64]
        var relevance: Double = 0
    }

    /// The rows in the query's order: its explicit keys (relevance for `_text_match`), or
    /// relevance best first; ties by name, as every store's order ends.
    static func sorted(_ rows: [Row], query: SearchQuery, ranking: RelevanceRanking) -> [Row] {
        var rows = rows
        for i in rows.indices { rows[i].relevance = ranking.key(rows[i].candidate) }
        let fields = numericFields(query)
        func precedes(_ a: Row, _ b: Row) -> Bool {
            if query.sortFields.isEmpty {
                if a.relevance != b.relevance { return a.relevance > b.relevance }
            } else {
                for key in query.sortFields {
                    switch key.field {
                    case SortField.textMatch:
                        if a.relevance != b.relevance { return key.descending ? a.relevance > b.relevance : a.relevance < b.relevance }
                    case "name":
                        if a.candidate.name != b.candidate.name {
                            return key.descending != a.candidate.name.utf8.lexicographicallyPrecedes(b.candidate.name.utf8)
                        }
                    default:
                        guard let k = fields.firstIndex(of: key.field) else { continue }
                        if a.values[k] != b.values[k] { return key.descending ? a.values[k] > b.values[k] : a.values[k] < b.values[k] }
                    }
                }
            }
            return a.candidate.name.utf8.lexicographicallyPrecedes(b.candidate.name.utf8)
        }
        return rows.sorted(by: precedes)
    }

    /// The page of `sorted` rows a query asks for.
    static func page(_ rows: [Row], query: SearchQuery) -> ArraySlice<Row> {
        let (skipped, pastEnd) = (query.page - 1).multipliedReportingOverflow(by: query.perPage)
        guard !pastEnd, skipped < rows.count else { return [] }
        return rows[skipped..<min(rows.count, skipped + query.perPage)]
    }
}
