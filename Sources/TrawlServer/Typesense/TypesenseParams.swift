import Foundation
import TrawlCore

/// The parameters of one Typesense search, from a query string or a `multi_search` entry (where
/// values may be strings, numbers or booleans), with the common query-string parameters beneath.
struct TypesenseParams: Sendable {
    var values: [String: String]

    init(_ values: [String: String]) {
        self.values = values
    }

    init(query: QueryItems) {
        var values: [String: String] = [:]
        for item in query.items { values[item.name] = item.value }
        self.values = values
    }

    /// A multi_search entry over the common parameters of the query string.
    init(entry: [String: JSONValue], common: TypesenseParams) {
        var values = common.values
        for (key, value) in entry {
            if let text = value.parameterText { values[key] = text }
        }
        self.values = values
    }

    subscript(_ name: String) -> String? {
        guard let v = values[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        return v
    }

    func list(_ name: String) -> [String] {
        (self[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    var text: String {
        let q = self["q"] ?? ""
        return q == "*" ? "" : q
    }

    /// Words of `q` used for highlighting.
    var words: [String] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { $0.lowercased() }
    }

    static let sortable = SearchFields.numeric + ["name", SortField.textMatch]

    func searchQuery() throws -> SearchQuery {
        var query = SearchQuery(text: text)
        query.page = try Self.integer(self["page"], name: "page", default: 1)
        let perPage = try Self.integer(self["per_page"] ?? self["limit"], name: "per_page", default: 10)
        guard perPage <= 250 else { throw APIError(.unprocessableContent, "Only upto 250 hits can be fetched per page.") }
        query.perPage = perPage
        if let filterBy = self["filter_by"] { query.filters = try FilterBy.parse(filterBy) }
        let sortBy = list("sort_by")
        guard sortBy.count <= 3 else { throw APIError.badRequest("Only upto 3 sort_by fields can be specified.") }
        query.sortFields = try sortBy.map { spec in
            let parts = spec.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            let field = parts[0]
            guard Self.sortable.contains(field) else {
                throw APIError.badRequest("Could not find a field named `\(field)` in the schema for sorting.")
            }
            let order = parts.count > 1 ? parts[1].lowercased() : "desc"
            guard order == "asc" || order == "desc" else { throw APIError.badRequest("Order for `\(field)` must be either ASC or DESC.") }
            return SortField(field: field, descending: order == "desc")
        }
        let facets = list("facet_by")
        for facet in facets where !SearchFields.facetable.contains(facet) {
            throw APIError.badRequest("Could not find a facet field named `\(facet)` in the schema.")
        }
        query.facets = facets
        return query
    }

    static func integer(_ text: String?, name: String, default fallback: Int) throws -> Int {
        guard let text else { return fallback }
        guard let value = Int(text), value >= (name == "page" ? 1 : 0) else {
            throw APIError.badRequest("Parameter `\(name)` must be an unsigned integer.")
        }
        return name == "per_page" ? max(value, 1) : value
    }
}
