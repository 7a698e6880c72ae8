import HeapModule
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

    /// The `wanted` best of `documents` in `keys` order, best first. The keys are read a block of
    /// documents at a time, key by key: taking a column out of its `SortKey` retains it, and doing
    /// that per document and key was a sixth of a search over 100,000 matches.
    func best(_ documents: [UInt32], wanted: Int, _ keys: [SortKey], scores: [Double]?) -> [Ranked] {
        guard wanted > 0 else { return [] }
        let block = 4_096
        var values = [Double](repeating: 0, count: block * keys.count)
        var heap = Heap<Ranked>()
        var start = 0
        while start < documents.count {
            let end = min(start + block, documents.count)
            values.withUnsafeMutableBufferPointer { values in
                for (i, key) in keys.enumerated() {
                    Self.fill(key, documents[start..<end], scores: scores, into: UnsafeMutableBufferPointer(rebasing: values[(i * block)...]))
                }
            }
            for k in 0..<(end - start) {
                var ranked = Ranked(document: documents[start + k])
                for i in 0..<keys.count { ranked.set(i, values[i * block + k]) }
                if heap.count < wanted {
                    heap.insert(ranked)
                } else if ranked < heap.max! {
                    heap.replaceMax(with: ranked)
                }
            }
            start = end
        }
        var top: [Ranked] = []
        top.reserveCapacity(heap.count)
        while let worst = heap.popMax() { top.append(worst) }
        return top.reversed()
    }

    /// One key's values for a block of documents.
    static func fill(_ key: SortKey, _ documents: ArraySlice<UInt32>, scores: [Double]?, into out: UnsafeMutableBufferPointer<Double>) {
        switch key {
        case .score(let descending):
            guard let scores else { for k in 0..<documents.count { out[k] = 0 }; return }
            for (k, d) in documents.enumerated() { out[k] = descending ? -scores[Int(d)] : scores[Int(d)] }
        case .column(let numbers, let descending):
            for (k, d) in documents.enumerated() { out[k] = descending ? -Double(numbers[Int(d)]) : Double(numbers[Int(d)]) }
        case .trending(let week, let month, let descending):
            for (k, d) in documents.enumerated() {
                let growth = (Double(week[Int(d)]) * 4 + 10) / (Double(month[Int(d)]) + 40)
                out[k] = descending ? -growth : growth
            }
        case .name(let descending):
            for (k, d) in documents.enumerated() { out[k] = descending ? -Double(d) : Double(d) }
        }
    }

}

extension Ranked {
    /// Key `i`: the first three in their slots, every later one in the fourth (the last wins).
    @inline(__always) mutating func set(_ i: Int, _ value: Double) {
        switch i {
        case 0: keys.0 = value
        case 1: keys.1 = value
        case 2: keys.2 = value
        default: keys.3 = value
        }
    }
}
