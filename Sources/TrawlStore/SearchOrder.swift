import Foundation
import TrawlCore

/// The ORDER BY of a search, shared by the SQLite and PostgreSQL stores: both keep the sortable
/// fields as columns of `documents d` under the same names, and only relevance differs between them.
enum SearchOrder {
    /// Growth: last week's downloads against the month's weekly average, damped for tiny packages.
    static let trendingSQL = "((d.download_last_week * 4.0 + 10.0) / (d.download_last_month + 40.0))"

    /// A relevance expression that puts the package whose normalized name equals the query first
    /// (full-text rank alone may prefer `django-auth-admin` for `django-admin-auth`). The name is
    /// inlined only when it is made of `[a-z0-9-]` (what normalization leaves of a real name), so
    /// no quoting is involved; any other text leaves the expression unchanged.
    static func exactNameFirst(_ rank: String, text: String, higherIsBetter: Bool) -> String {
        let name = PackageName.normalize(text.trimmingCharacters(in: .whitespaces))
        guard !name.isEmpty, name.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) else { return rank }
        return "(\(rank) \(higherIsBetter ? "+" : "-") (CASE WHEN d.name = '\(name)' THEN 1000000.0 ELSE 0.0 END))"
    }

    /// Relevance as the store computes it: the SQL expression and whether higher is better.
    struct Relevance {
        var sql: String
        var higherIsBetter: Bool
    }

    /// ORDER BY for the query: its explicit `sortFields` (Typesense `sort_by`) when it has any, else
    /// its `sort` in its natural direction unless `descending` says otherwise. Ties go by name.
    /// `relevance` is nil when the query has no text (then `_text_match` keys are skipped and the
    /// `relevance` sort falls back to downloads).
    static func sql(for query: SearchQuery, relevance: Relevance?) throws -> String {
        var keys: [String] = []
        if !query.sortFields.isEmpty {
            for key in query.sortFields {
                switch key.field {
                case SortField.textMatch:
                    guard let relevance else { continue }
                    keys.append("\(relevance.sql) \(key.descending == relevance.higherIsBetter ? "DESC" : "ASC")")
                case "name": keys.append("d.name \(key.descending ? "DESC" : "ASC")")
                case let field where SearchFields.numeric.contains(field): keys.append("d.\(field) \(key.descending ? "DESC" : "ASC")")
                default: throw SearchError.unknownField(key.field, allowed: SearchFields.numeric + ["name", SortField.textMatch])
                }
            }
        } else {
            let column: String
            var descending = true
            switch query.sort {
            case .relevance:
                column = relevance?.sql ?? "d.download_last_month"
                descending = relevance?.higherIsBetter ?? true
            case .stars: column = "d.github_stars"
            case .downloads: column = "d.download_last_month"
            case .updated: column = "d.upload_timestamp"
            case .health: column = "d.health_score"
            case .dependents: column = "d.dependents_count"
            case .newest: column = "d.first_seen"
            case .trending: column = trendingSQL
            case .name: column = "d.name"
                descending = false
            }
            if let asked = query.descending, query.sort != .relevance { descending = asked }
            keys.append("\(column) \(descending ? "DESC" : "ASC")")
            if query.sort == .trending { keys.append("d.github_stars DESC") }
        }
        keys.append("d.name ASC")
        return keys.joined(separator: ", ")
    }
}

extension FacetCount {
    /// The 100 most frequent values, most frequent first, ties by value: the order every store returns.
    static func top(_ counts: [FacetCount]) -> [FacetCount] {
        Array(counts.sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }.prefix(100))
    }
}
