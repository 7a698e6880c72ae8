import PostgresNIO
public import TrawlCore

extension PostgresStore {
    public func search(_ query: SearchQuery, collection: String) async throws -> SearchResults {
        let features = try await ready()
        var plan = try PostgresSearchPlan(query: query, collection: collection, mode: .fullText)
        var total = try await count(plan)
        if total == 0, features.trigram, plan.hasText {
            // Nothing matched word for word: try similar spellings of the name (typos, partial words).
            plan = try PostgresSearchPlan(query: query, collection: collection, mode: .trigram)
            total = try await count(plan)
        }
        let hits: [SearchHit]
        if plan.hasText, RelevanceOrder.applies(to: query) {
            // PostgreSQL corrects no spellings word by word (its fallback is trigram similarity on
            // the whole name), so the ranking sees the words as typed.
            hits = try await relevanceHits(plan, query: query, ranking: RelevanceRanking(text: query.text, collection: collection))
        } else {
            var page = plan.sql
            let limit = page.bind(query.perPage), offset = page.bind((query.page - 1) * query.perPage)
            let found = try await rows(PostgresQuery(
                unsafeSQL: "SELECT d.doc, (\(plan.scoreSQL))::float8 AS score \(plan.fromSQL) WHERE \(plan.whereSQL) ORDER BY \(plan.orderSQL) LIMIT \(limit) OFFSET \(offset)",
                binds: page.binds))
            hits = try found.map { row in
                let (doc, score) = try row.decode((String, Double).self)
                return SearchHit(document: try DocumentCoding.decode(doc), score: score)
            }
        }
        var facets: [String: [FacetCount]] = [:]
        for field in query.facets {
            guard SearchFields.facetable.contains(field) else { throw SearchError.unknownField(field, allowed: SearchFields.facetable) }
            facets[field] = []
        }
        // Facets sharing a filter set in one pass (the matching documents are found once, not once per
        // field); a facet with a filter of its own is counted without it (disjunctive).
        for group in query.facetGroups {
            var groupPlan = plan
            if group.filters != query.filters {
                var unfiltered = query
                unfiltered.filters = group.filters
                groupPlan = try PostgresSearchPlan(query: unfiltered, collection: collection, mode: plan.mode)
            }
            var facet = groupPlan.sql
            let f = facet.bind(group.fields)
            let counts = try await rows(PostgresQuery(
                unsafeSQL: """
                    SELECT t.field, t.value, count(*) AS n FROM document_terms t
                    WHERE t.field = ANY(\(f)) AND t.doc_id IN (SELECT d.id \(groupPlan.fromSQL) WHERE \(groupPlan.whereSQL))
                    GROUP BY t.field, t.value
                    """,
                binds: facet.binds))
            for row in counts {
                let (field, value, n) = try row.decode((String, String, Int).self)
                facets[field, default: []].append(FacetCount(value: value, count: n))
            }
        }
        for (field, values) in facets { facets[field] = FacetCount.top(values) }
        return SearchResults(total: total, hits: hits, facets: facets)
    }

    /// A page ordered by `RelevanceRanking`, as the SQLite store does (see `RelevanceOrder`); summary
    /// and keywords come from the document JSON (the keywords as their JSON text, whose words are
    /// the keywords' words).
    private func relevanceHits(_ plan: PostgresSearchPlan, query: SearchQuery, ranking: RelevanceRanking) async throws -> [SearchHit] {
        let fields = RelevanceOrder.numericFields(query)
        let extra = fields.map { ", d.\($0)" }.joined()
        var ranked: [RelevanceOrder.Row] = []
        for row in try await rows(PostgresQuery(
            unsafeSQL: """
                SELECT d.id, d.name, coalesce(d.doc::json->>'summary', ''), coalesce((d.doc::json->'keywords')::text, ''),
                d.download_last_month, d.dependents_count, d.github_stars\(extra) \(plan.fromSQL) WHERE \(plan.whereSQL)
                """,
            binds: plan.sql.binds))
        {
            let cells = row.makeRandomAccess()
            ranked.append(RelevanceOrder.Row(
                id: try cells[0].decode(Int64.self),
                candidate: RelevanceRanking.Candidate(
                    name: try cells[1].decode(String.self), summary: try cells[2].decode(String.self), keywords: [try cells[3].decode(String.self)],
                    downloads: try cells[4].decode(Int64.self), dependents: try cells[5].decode(Int64.self), stars: try cells[6].decode(Int64.self)),
                values: try fields.indices.map { try cells[7 + $0].decode(Int64.self) }))
        }
        let page = RelevanceOrder.page(RelevanceOrder.sorted(ranked, query: query, ranking: ranking), query: query)
        guard !page.isEmpty else { return [] }
        var documents: [Int64: String] = [:]
        var sql = SQLBinds()
        let ids = sql.bind(page.map(\.id))
        for row in try await rows(PostgresQuery(unsafeSQL: "SELECT id, doc FROM documents WHERE id = ANY(\(ids))", binds: sql.binds)) {
            let (id, doc) = try row.decode((Int64, String).self)
            documents[id] = doc
        }
        return try page.map { row in
            SearchHit(
                document: try DocumentCoding.decode(documents[row.id] ?? ""), score: row.relevance,
                explanation: ranking.explain(row.candidate))
        }
    }

    private func count(_ plan: PostgresSearchPlan) async throws -> Int {
        try await rows(PostgresQuery(unsafeSQL: "SELECT count(*) \(plan.fromSQL) WHERE \(plan.whereSQL)", binds: plan.sql.binds))
            .first.map { try $0.decode(Int.self) } ?? 0
    }

    /// Free text as a tsquery: every word prefix-matched and required; only letters and digits reach
    /// the tsquery syntax, so a user cannot type operators.
    static func tsQuery(_ text: String) -> String? {
        let words = searchWords(text).split(separator: " ")
        guard !words.isEmpty else { return nil }
        return words.map { "\($0):*" }.joined(separator: " & ")
    }
}

/// Bound values collected while SQL text is assembled: `bind` returns the `$n` to write.
struct SQLBinds {
    var binds = PostgresBindings()

    mutating func bind<T: PostgresDynamicTypeEncodable>(_ value: T) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }
}

/// The SQL pieces of one search, mirroring the SQLite store's `SearchPlan`: field names come from
/// whitelists, values are bound.
struct PostgresSearchPlan {
    enum Mode { case fullText, trigram }

    var sql = SQLBinds()
    let fromSQL = "FROM documents d"
    var conditions: [String] = []
    var scoreSQL = "0"
    var orderSQL = ""
    var hasText = false

    var whereSQL: String { conditions.joined(separator: " AND ") }

    let mode: Mode

    init(query: SearchQuery, collection: String, mode: Mode) throws {
        self.mode = mode
        conditions.append("d.collection = \(sql.bind(collection))")
        if let tsquery = PostgresStore.tsQuery(query.text) {
            hasText = true
            switch mode {
            case .fullText:
                let q = "to_tsquery('simple', \(sql.bind(tsquery)))"
                conditions.append("d.search @@ \(q)")
                scoreSQL = SearchOrder.exactNameFirst("ts_rank(d.search, \(q))", text: query.text, higherIsBetter: true)
            case .trigram:
                let text = sql.bind(query.text.lowercased())
                conditions.append("word_similarity(\(text), d.search_name) >= 0.5")
                scoreSQL = "word_similarity(\(text), d.search_name)"
            }
        }
        for filter in query.filters {
            conditions.append(try Self.condition(filter, &sql))
        }
        orderSQL = try SearchOrder.sql(for: query, relevance: hasText ? .init(sql: scoreSQL, higherIsBetter: true) : nil)
    }

    /// One filter as a SQL condition; its values are bound into `sql` (same semantics as SQLite's).
    static func condition(_ filter: SearchFilter, _ sql: inout SQLBinds) throws -> String {
        switch filter {
        case .contains(let field, let value):
            guard SearchFields.facetable.contains(field) else { throw SearchError.unknownField(field, allowed: SearchFields.facetable) }
            let f = sql.bind(field), v = sql.bind(field == "keywords" ? value.lowercased() : value)
            return "d.id IN (SELECT doc_id FROM document_terms WHERE field = \(f) AND value = \(v))"
        case .flag(let field, let value):
            guard SearchFields.flags.contains(field) else { throw SearchError.unknownField(field, allowed: SearchFields.flags) }
            return "d.\(field) = \(sql.bind(value))"
        case .range(let field, let min, let max):
            guard SearchFields.numeric.contains(field) else { throw SearchError.unknownField(field, allowed: SearchFields.numeric) }
            var parts: [String] = []
            if let min { parts.append("d.\(field) >= \(sql.bind(min))") }
            if let max { parts.append("d.\(field) <= \(sql.bind(max))") }
            return parts.isEmpty ? "TRUE" : "(\(parts.joined(separator: " AND ")))"
        case .name(let names):
            guard !names.isEmpty else { return "FALSE" }
            return "d.name IN (\(names.map { sql.bind(PackageName.normalize($0)) }.joined(separator: ", ")))"
        case .anyOf(let filters):
            guard !filters.isEmpty else { return "FALSE" }
            return "(\(try filters.map { try condition($0, &sql) }.joined(separator: " OR ")))"
        case .not(let inner):
            return "NOT (\(try condition(inner, &sql)))"
        }
    }
}
