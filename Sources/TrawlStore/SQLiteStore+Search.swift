import GRDB
public import TrawlCore

extension SQLiteStore {
    /// bm25 weights for name, summary, keywords, description: a name match outranks the rest.
    static let bm25 = "bm25(documents_fts, 10.0, 4.0, 3.0, 1.0)"

    public func search(_ query: SearchQuery, collection: String) async throws -> SearchResults {
        let plan = try SearchPlan(query: query, collection: collection)
        return try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(plan.from) WHERE \(plan.whereSQL)", arguments: plan.arguments) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT d.doc, \(plan.scoreSQL) AS score \(plan.from) WHERE \(plan.whereSQL) ORDER BY \(plan.orderSQL) LIMIT ? OFFSET ?",
                arguments: plan.arguments + [query.perPage, (query.page - 1) * query.perPage])
            let hits = try rows.map { row in
                SearchHit(document: try DocumentCoding.decode(row["doc"]), score: row["score"] ?? 0)
            }
            var facets: [String: [FacetCount]] = [:]
            for field in query.facets {
                let counts = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT t.value, COUNT(*) AS n FROM document_terms t
                        WHERE t.field = ? AND t.doc_id IN (SELECT d.id \(plan.from) WHERE \(plan.whereSQL))
                        GROUP BY t.value ORDER BY n DESC, t.value LIMIT 100
                        """,
                    arguments: [field] + plan.arguments)
                facets[field] = counts.map { FacetCount(value: $0[0], count: $0[1]) }
            }
            return SearchResults(total: total, hits: hits, facets: facets)
        }
    }

    /// Turns free text into an FTS5 expression: every word quoted (no operator injection) and
    /// prefix-matched, all required.
    static func matchExpression(_ text: String) -> String? {
        let words = text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { $0.lowercased() }
        guard !words.isEmpty else { return nil }
        return words.map { "\"\($0)\"*" }.joined(separator: " ")
    }
}

/// The SQL pieces of one search, built from a validated query (field names come from whitelists,
/// values are bound).
struct SearchPlan {
    var from = "FROM documents d"
    var conditions = ["d.collection = ?"]
    var arguments: StatementArguments
    var scoreSQL = "0.0"
    var orderSQL: String

    var whereSQL: String { conditions.joined(separator: " AND ") }

    init(query: SearchQuery, collection: String) throws {
        arguments = [collection]
        var hasText = false
        if let match = SQLiteStore.matchExpression(query.text) {
            from = "FROM documents d JOIN documents_fts ON documents_fts.rowid = d.id"
            conditions.append("documents_fts MATCH ?")
            arguments += [match]
            scoreSQL = "-\(SQLiteStore.bm25)"
            hasText = true
        }
        for filter in query.filters {
            switch filter {
            case .contains(let field, let value):
                guard SearchFields.facetable.contains(field) else { throw SearchError.unknownField(field, allowed: SearchFields.facetable) }
                conditions.append("d.id IN (SELECT doc_id FROM document_terms WHERE field = ? AND value = ?)")
                arguments += [field, field == "keywords" ? value.lowercased() : value]
            case .flag(let field, let value):
                guard SearchFields.flags.contains(field) else { throw SearchError.unknownField(field, allowed: SearchFields.flags) }
                conditions.append("d.\(field) = ?")
                arguments += [value]
            case .range(let field, let min, let max):
                guard SearchFields.numeric.contains(field) else { throw SearchError.unknownField(field, allowed: SearchFields.numeric) }
                if let min {
                    conditions.append("d.\(field) >= ?")
                    arguments += [min]
                }
                if let max {
                    conditions.append("d.\(field) <= ?")
                    arguments += [max]
                }
            }
        }
        let column: String
        var naturalDescending = true
        switch query.sort {
        case .relevance: column = hasText ? SQLiteStore.bm25 : "d.download_last_month"
            if hasText { naturalDescending = false }  // bm25: lower is better
        case .stars: column = "d.github_stars"
        case .downloads: column = "d.download_last_month"
        case .updated: column = "d.upload_timestamp"
        case .health: column = "d.health_score"
        case .newest: column = "d.first_seen"
        case .name: column = "d.name"
            naturalDescending = false
        }
        var descending = naturalDescending
        if let asked = query.descending, query.sort != .relevance { descending = asked }
        orderSQL = "\(column) \(descending ? "DESC" : "ASC"), d.name ASC"
    }
}

public enum SearchError: Error, CustomStringConvertible {
    case unknownField(String, allowed: [String])

    public var description: String {
        switch self {
        case .unknownField(let field, let allowed): "cannot filter on '\(field)'; allowed: \(allowed.joined(separator: ", "))"
        }
    }
}
