/// Disjunctive faceting, as Typesense/InstantSearch users expect it: the counts of a facet ignore
/// the filters on that facet's own field, so ticking "Django 5.2" still shows how many packages
/// support 5.0 (the choices of one facet are alternatives, not a narrowing of each other).
/// Shared by every search path so the SQL stores and the in-memory index count the same way.
extension SearchFilter {
    /// The one list field this filter constrains, when it constrains nothing else.
    public var facetField: String? {
        switch self {
        case .contains(let field, _): return field
        case .not(let inner): return inner.facetField
        case .anyOf(let filters):
            let fields = filters.map(\.facetField)
            guard let first = fields.first, let field = first, fields.allSatisfy({ $0 == field }) else { return nil }
            return field
        case .flag, .range, .name: return nil
        }
    }
}

public struct FacetGroup: Sendable, Equatable {
    /// Facet fields counted over the same documents.
    public var fields: [String]
    /// The query's filters less those on these fields.
    public var filters: [SearchFilter]
}

extension SearchQuery {
    /// The facets grouped by the filters their counts apply: fields without a filter of their own
    /// share one group (the query's own matching set); each filtered field gets its own.
    public var facetGroups: [FacetGroup] {
        var groups: [FacetGroup] = []
        for field in facets {
            let kept = filters.filter { $0.facetField != field }
            if let i = groups.firstIndex(where: { $0.filters == kept }) {
                groups[i].fields.append(field)
            } else {
                groups.append(FacetGroup(fields: [field], filters: kept))
            }
        }
        return groups
    }
}
