import Foundation
import TrawlCore

/// The parameters of one Typesense search, from a query string or a `multi_search` entry (where
/// values may be strings, numbers or booleans), with the common query-string parameters beneath.
/// Every value is checked against `RequestLimits` before use.
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

    /// A comma-separated list of at most `limit` entries, else a 400.
    func boundedList(_ name: String, limit: Int) throws -> [String] {
        let entries = list(name)
        guard entries.count <= limit else { throw APIError.badRequest("Parameter `\(name)` may name at most \(limit) fields.") }
        return entries
    }

    var text: String {
        let q = self["q"] ?? ""
        return q == "*" ? "" : q
    }

    /// Words of `q` used for highlighting (as many as take part in the search).
    var words: [String] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).prefix(RequestLimits.queryWords).map { $0.lowercased() }
    }

    static let sortable = SearchFields.numeric + ["name", SortField.textMatch]

    func searchQuery() throws -> SearchQuery {
        var query = SearchQuery(text: try RequestLimits.searchText(text))
        query.page = try Self.integer(self["page"], name: "page", range: RequestLimits.page, default: 1)
        let perPage = self["per_page"] ?? self["limit"]
        if let perPage, let value = BoundedNumber.integer(perPage), value > RequestLimits.perPage.upperBound {
            // Typesense's own answer for a page too large to fetch: 422, not 400.
            throw APIError(.unprocessableContent, "Only upto \(RequestLimits.perPage.upperBound) hits can be fetched per page.")
        }
        query.perPage = try Self.integer(perPage, name: "per_page", range: RequestLimits.perPage, default: 10)
        if let filterBy = self["filter_by"] { query.filters = try FilterBy.parse(filterBy) }
        let sortBy = try boundedList("sort_by", limit: RequestLimits.sortFields)
        query.sortFields = try sortBy.map(Self.sortField)
        let facets = try boundedList("facet_by", limit: RequestLimits.fieldList)
        for facet in facets where !SearchFields.facetable.contains(facet) {
            throw APIError.badRequest("Could not find a facet field named `\(Self.quoted(facet))` in the schema.")
        }
        query.facets = facets
        _ = try boundedList("query_by", limit: RequestLimits.fieldList)
        _ = try boundedList("highlight_fields", limit: RequestLimits.fieldList)
        _ = try boundedList("include_fields", limit: RequestLimits.includeFields)
        _ = try boundedList("exclude_fields", limit: RequestLimits.includeFields)
        _ = try maxFacetValues()
        return query
    }

    /// `field` or `field:asc|desc`.
    static func sortField(_ spec: String) throws -> SortField {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let field = parts.first, !field.isEmpty, parts.count <= 2 else {
            throw APIError.badRequest("Parameter `sort_by` is malformed: expected `field` or `field:asc|desc`.")
        }
        guard sortable.contains(field) else {
            throw APIError.badRequest("Could not find a field named `\(quoted(field))` in the schema for sorting.")
        }
        let order = parts.count > 1 ? parts[1].lowercased() : "desc"
        guard order == "asc" || order == "desc" else { throw APIError.badRequest("Order for `\(field)` must be either ASC or DESC.") }
        return SortField(field: field, descending: order == "desc")
    }

    /// `max_facet_values`, default 10.
    func maxFacetValues() throws -> Int {
        try Self.integer(self["max_facet_values"], name: "max_facet_values", range: RequestLimits.maxFacetValues, default: 10)
    }

    static func integer(_ text: String?, name: String, range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text else { return fallback }
        guard let value = BoundedNumber.integer(text), value >= range.lowerBound, value <= range.upperBound else {
            throw APIError.badRequest("Parameter `\(name)` must be an integer from \(range.lowerBound) to \(range.upperBound).")
        }
        return Int(value)
    }

    /// A value from the request as it may be echoed in an error message: short, one line.
    static func quoted(_ text: String) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count > 60 ? String(line.prefix(60)) + "…" : line
    }
}
