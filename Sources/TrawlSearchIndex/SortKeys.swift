import TrawlCore

/// One key of a result order, read from the columns; `descending` flips it so that smaller is
/// always better in `Ranked`.
enum SortKey {
    /// Relevance: `RelevanceRanking`'s key (tiers, popularity, name closeness).
    case score(descending: Bool)
    case column([Int64], descending: Bool)
    /// Last week's downloads ahead of the month's weekly average (the SQL stores' formula).
    case trending(week: [Int64], month: [Int64], descending: Bool)
    case name(descending: Bool)
}

/// A document with its sort keys (at most four: three `sort_by` fields, or a sort and its
/// tie-break); ties go by id, which is name order.
struct Ranked: Comparable {
    var keys: (Double, Double, Double, Double) = (0, 0, 0, 0)
    var document: UInt32

    static func < (a: Ranked, b: Ranked) -> Bool {
        if a.keys.0 != b.keys.0 { return a.keys.0 < b.keys.0 }
        if a.keys.1 != b.keys.1 { return a.keys.1 < b.keys.1 }
        if a.keys.2 != b.keys.2 { return a.keys.2 < b.keys.2 }
        if a.keys.3 != b.keys.3 { return a.keys.3 < b.keys.3 }
        return a.document < b.document
    }

    static func == (a: Ranked, b: Ranked) -> Bool { a.document == b.document && !(a < b) && !(b < a) }
}

extension CollectionIndex {
    /// The order of `SearchOrder` in the SQL stores: explicit `sort_by` keys (text match only with
    /// text), else the named sort in its natural direction; relevance without text is downloads.
    func sortKeys(_ query: SearchQuery, hasText: Bool) throws -> [SortKey] {
        var keys: [SortKey] = []
        if !query.sortFields.isEmpty {
            for key in query.sortFields {
                switch key.field {
                case SortField.textMatch:
                    if hasText { keys.append(.score(descending: key.descending)) }
                case "name": keys.append(.name(descending: key.descending))
                case let field:
                    guard let numbers = columns.numeric(field) else {
                        throw SearchError.unknownField(key.field, allowed: SearchFields.numeric + ["name", SortField.textMatch])
                    }
                    keys.append(.column(numbers, descending: key.descending))
                }
            }
        } else {
            func column(_ field: String) -> [Int64] { columns.numeric(field)! }
            let descending = query.sort == .relevance ? true : (query.descending ?? (query.sort != .name))
            switch query.sort {
            case .relevance: keys.append(hasText ? .score(descending: true) : .column(column("download_last_month"), descending: true))
            case .stars: keys.append(.column(column("github_stars"), descending: descending))
            case .downloads: keys.append(.column(column("download_last_month"), descending: descending))
            case .updated: keys.append(.column(column("upload_timestamp"), descending: descending))
            case .health: keys.append(.column(column("health_score"), descending: descending))
            case .dependents: keys.append(.column(column("dependents_count"), descending: descending))
            case .newest: keys.append(.column(column("first_seen"), descending: descending))
            case .name: keys.append(.name(descending: descending))
            case .trending:
                keys.append(.trending(week: column("download_last_week"), month: column("download_last_month"), descending: descending))
                keys.append(.column(column("github_stars"), descending: true))
            }
        }
        return Array(keys.prefix(4))
    }

    func rank(_ document: UInt32, _ keys: [SortKey], scores: [Double]?) -> Ranked {
        var ranked = Ranked(document: document)
        let d = Int(document)
        for (i, key) in keys.enumerated() {
            let value: Double
            switch key {
            case .score(let descending):
                let s = scores?[d] ?? 0
                value = descending ? -s : s
            case .column(let numbers, let descending):
                value = descending ? -Double(numbers[d]) : Double(numbers[d])
            case .trending(let week, let month, let descending):
                let growth = (Double(week[d]) * 4 + 10) / (Double(month[d]) + 40)
                value = descending ? -growth : growth
            case .name(let descending):
                value = descending ? -Double(d) : Double(d)
            }
            switch i {
            case 0: ranked.keys.0 = value
            case 1: ranked.keys.1 = value
            case 2: ranked.keys.2 = value
            default: ranked.keys.3 = value
            }
        }
        return ranked
    }
}
