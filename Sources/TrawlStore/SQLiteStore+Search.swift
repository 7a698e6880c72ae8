import GRDB
public import TrawlCore

extension SQLiteStore {
    /// bm25 weights for name, summary, keywords, description: a name match outranks the rest.
    static let bm25 = "bm25(documents_fts, 10.0, 4.0, 3.0, 1.0)"

    public func search(_ query: SearchQuery, collection: String) async throws -> SearchResults {
        try await pool.read { db in
            var plan = try SearchPlan(query: query, collection: collection, match: Self.matchExpression(query.text))
            var total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(plan.from) WHERE \(plan.whereSQL)", arguments: plan.arguments) ?? 0
            var corrections: [String: [String]] = [:]
            // Nothing for the words as typed: retry with each unknown word replaced by its near spellings.
            if total == 0, let corrected = try Self.correctedMatch(db, text: query.text) {
                plan = try SearchPlan(query: query, collection: collection, match: corrected.expression)
                total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(plan.from) WHERE \(plan.whereSQL)", arguments: plan.arguments) ?? 0
                corrections = corrected.corrections
            }
            let hits: [SearchHit]
            if plan.hasText, RelevanceOrder.applies(to: query) {
                let ranking = RelevanceRanking(text: query.text, collection: collection, corrections: corrections)
                hits = try Self.relevanceHits(db, plan: plan, query: query, ranking: ranking)
            } else {
                let rows = try Row.fetchAll(
                    db,
                    sql: "SELECT d.doc, \(plan.scoreSQL) AS score \(plan.from) WHERE \(plan.whereSQL) ORDER BY \(plan.orderSQL) LIMIT ? OFFSET ?",
                    arguments: plan.arguments + [query.perPage, (query.page - 1) * query.perPage])
                hits = try rows.map { row in
                    SearchHit(document: try DocumentCoding.decode(row["doc"]), score: row["score"] ?? 0)
                }
            }
            var facets: [String: [FacetCount]] = [:]
            for field in query.facets {
                guard SearchFields.facetable.contains(field) else { throw SearchError.unknownField(field, allowed: SearchFields.facetable) }
                facets[field] = []
            }
            // Facets sharing a filter set in one pass (the matching documents are found once, not once
            // per field); a facet with a filter of its own is counted without it (disjunctive).
            for group in query.facetGroups {
                var groupPlan = plan
                if group.filters != query.filters {
                    var unfiltered = query
                    unfiltered.filters = group.filters
                    groupPlan = try SearchPlan(query: unfiltered, collection: collection, match: plan.match)
                }
                let counts = try Row.fetchAll(db, sql: groupPlan.facetSQL(fields: group.fields.count), arguments: StatementArguments(group.fields) + groupPlan.arguments)
                for row in counts { facets[row[0], default: []].append(FacetCount(value: row[1], count: row[2])) }
            }
            for (field, values) in facets { facets[field] = FacetCount.top(values) }
            return SearchResults(total: total, hits: hits, facets: facets)
        }
    }

    /// A page ordered by `RelevanceRanking` (see `RelevanceOrder`): the matching rows' names,
    /// summaries, keywords and popularity columns are ranked here, then the page's documents read.
    static func relevanceHits(_ db: Database, plan: SearchPlan, query: SearchQuery, ranking: RelevanceRanking) throws -> [SearchHit] {
        let fields = RelevanceOrder.numericFields(query)
        let extra = fields.map { ", d.\($0)" }.joined()
        let selected = try Row.fetchAll(
            db,
            sql: """
                SELECT d.id, d.name, documents_fts.summary, documents_fts.keywords, d.download_last_month, d.dependents_count,
                d.github_stars\(extra) \(plan.from) WHERE \(plan.whereSQL)
                """,
            arguments: plan.arguments)
        let rows = selected.map { row in
            RelevanceOrder.Row(
                id: row[0],
                candidate: RelevanceRanking.Candidate(
                    name: row[1], summary: row[2] ?? "", keywords: [row[3] ?? ""], downloads: row[4], dependents: row[5], stars: row[6]),
                values: fields.indices.map { row[7 + $0] })
        }
        let page = RelevanceOrder.page(RelevanceOrder.sorted(rows, query: query, ranking: ranking), query: query)
        guard !page.isEmpty else { return [] }
        var documents: [Int64: String] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT id, doc FROM documents WHERE id IN (\(databaseQuestionMarks(count: page.count)))",
            arguments: StatementArguments(page.map(\.id)))
        {
            documents[row[0]] = row[1]
        }
        return try page.map { row in
            SearchHit(
                document: try DocumentCoding.decode(documents[row.id] ?? ""), score: row.relevance,
                explanation: ranking.explain(row.candidate))
        }
    }

    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { $0.lowercased() }
    }

    /// Turns free text into an FTS5 expression: every word quoted (no operator injection) and
    /// prefix-matched, all required.
    static func matchExpression(_ text: String) -> String? {
        let words = words(text)
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
    /// bm25 (lower is better) with an exact-name match put first.
    var rankSQL = SQLiteStore.bm25
    var orderSQL: String

    var whereSQL: String { conditions.joined(separator: " AND ") }
    var hasText = false

    /// Facet counts over the matching set; the field names are bound first. A full-text match is
    /// usually a small set, so its documents drive and each looks up its own terms (half the time
    /// of scanning every term of the fields); without one the set is most of the collection, and
    /// scanning the fields' terms against the matching ids is three times faster than the join.
    func facetSQL(fields: Int) -> String {
        let names = databaseQuestionMarks(count: fields)
        if hasText {
            return """
                SELECT t.field, t.value, COUNT(*) AS n \(from)
                CROSS JOIN document_terms t ON t.doc_id = d.id AND t.field IN (\(names))
                WHERE \(whereSQL) GROUP BY t.field, t.value
                """
        }
        return """
            SELECT t.field, t.value, COUNT(*) AS n FROM document_terms t
            WHERE t.field IN (\(names)) AND t.doc_id IN (SELECT d.id \(from) WHERE \(whereSQL))
            GROUP BY t.field, t.value
            """
    }

    /// The full-text expression this plan matches (nil: none).
    var match: String?

    init(query: SearchQuery, collection: String, match: String?) throws {
        arguments = [collection]
        self.match = match
        if let match {
            // CROSS JOIN keeps the full-text match the driving table: otherwise SQLite may walk every
            // document of the collection and probe the index once per row (seconds at 20k documents).
            from = "FROM documents_fts CROSS JOIN documents d ON d.id = documents_fts.rowid"
            conditions.append("documents_fts MATCH ?")
            arguments += [match]
            rankSQL = SearchOrder.exactNameFirst(SQLiteStore.bm25, text: query.text, higherIsBetter: false)
            scoreSQL = "-\(rankSQL)"
            hasText = true
        }
        for filter in query.filters {
            let (sql, values) = try Self.condition(filter)
            conditions.append(sql)
            arguments += StatementArguments(values)
        }
        orderSQL = try SearchOrder.sql(for: query, relevance: hasText ? .init(sql: rankSQL, higherIsBetter: false) : nil)
    }

    /// One filter as a SQL condition with its bound values.
    static func condition(_ filter: SearchFilter) throws -> (String, [any DatabaseValueConvertible]) {
        switch filter {
        case .contains(let field, let value):
            guard SearchFields.facetable.contains(field) else { throw SearchError.unknownField(field, allowed: SearchFields.facetable) }
            return ("d.id IN (SELECT doc_id FROM document_terms WHERE field = ? AND value = ?)", [field, field == "keywords" ? value.lowercased() : value])
        case .flag(let field, let value):
            guard SearchFields.flags.contains(field) else { throw SearchError.unknownField(field, allowed: SearchFields.flags) }
            return ("d.\(field) = ?", [value])
        case .range(let field, let min, let max):
            guard SearchFields.numeric.contains(field) else { throw SearchError.unknownField(field, allowed: SearchFields.numeric) }
            var parts: [String] = []
            var values: [any DatabaseValueConvertible] = []
            if let min {
                parts.append("d.\(field) >= ?")
                values.append(min)
            }
            if let max {
                parts.append("d.\(field) <= ?")
                values.append(max)
            }
            return parts.isEmpty ? ("1", []) : ("(\(parts.joined(separator: " AND ")))", values)
        case .name(let names):
            guard !names.isEmpty else { return ("0", []) }
            return ("d.name IN (\(databaseQuestionMarks(count: names.count)))", names.map(PackageName.normalize))
        case .anyOf(let filters):
            guard !filters.isEmpty else { return ("0", []) }
            var parts: [String] = []
            var values: [any DatabaseValueConvertible] = []
            for filter in filters {
                let (sql, more) = try condition(filter)
                parts.append(sql)
                values += more
            }
            return ("(\(parts.joined(separator: " OR ")))", values)
        case .not(let inner):
            let (sql, values) = try condition(inner)
            return ("NOT (\(sql))", values)
        }
    }
}
