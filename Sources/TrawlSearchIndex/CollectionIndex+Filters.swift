import BitCollections
import TrawlCore

extension CollectionIndex {
    /// The documents a list of filters (all required) lets through; nil when there are none.
    /// Each filter becomes a bit set from the columns, so `||`, `!=` and parentheses cost a set
    /// operation rather than a scan per document.
    func allowed(by filters: [SearchFilter], cache: inout [SearchFilter: BitSet]) throws -> BitSet? {
        guard !filters.isEmpty else { return nil }
        var result: BitSet?
        for filter in filters {
            let set: BitSet
            if let cached = cache[filter] {
                set = cached
            } else {
                set = try documents(matching: filter)
                cache[filter] = set
            }
            if result == nil { result = set } else { result!.formIntersection(set) }
        }
        return result
    }

    /// One filter's documents, with the SQL stores' field checks and meaning.
    func documents(matching filter: SearchFilter) throws -> BitSet {
        switch filter {
        case .contains(let field, let value):
            guard let column = facets[field] else { throw SearchError.unknownField(field, allowed: SearchFields.facetable) }
            guard let id = column.ids[FacetColumn.filterValue(value, field: field)] else { return BitSet() }
            return BitSet(column.documents[Int(id)].lazy.map { Int($0) })
        case .flag(let field, let value):
            guard let flags = columns.flag(field) else { throw SearchError.unknownField(field, allowed: SearchFields.flags) }
            var set = BitSet()
            for (d, flag) in flags.enumerated() where flag == value { set.insert(d) }
            return set
        case .range(let field, let min, let max):
            guard let numbers = columns.numeric(field) else { throw SearchError.unknownField(field, allowed: SearchFields.numeric) }
            let low = min ?? .min, high = max ?? .max
            var set = BitSet()
            for (d, number) in numbers.enumerated() where number >= low && number <= high { set.insert(d) }
            return set
        case .name(let names):
            return BitSet(names.compactMap { id(of: PackageName.normalize($0)) })
        case .anyOf(let filters):
            var set = BitSet()
            for inner in filters { set.formUnion(try documents(matching: inner)) }
            return set
        case .not(let inner):
            var all = BitSet(0..<count)
            all.subtract(try documents(matching: inner))
            return all
        }
    }
}
