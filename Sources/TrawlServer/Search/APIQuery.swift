import TrawlCore

/// `/api/v1/{collection}/packages` (and the web page) parameters as a store `SearchQuery`:
/// `q`, `sort`, `order`, `page`, `per_page` (1–250), repeatable filters (values of one filter are
/// alternatives, different filters must all hold) and `facet`.
enum APIQuery {
    static let defaultFacets = ["framework_versions", "python_versions", "categories"]

    static func parse(_ items: QueryItems, defaultPerPage: Int = 20) throws -> SearchQuery {
        var query = SearchQuery()
        query.text = try RequestLimits.searchText(items["q"] ?? "")
        if let sort = items.nonEmpty("sort") {
            guard let value = SearchSort(rawValue: sort) else {
                throw APIError.badRequest("unknown sort '\(TypesenseParams.quoted(sort))'; allowed: \(SearchSort.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.sort = value
        }
        if let order = items.nonEmpty("order") {
            switch order {
            case "asc": query.descending = false
            case "desc": query.descending = true
            default: throw APIError.badRequest("order must be asc or desc")
            }
        }
        query.page = try integer(items, "page", default: 1, range: RequestLimits.page)
        query.perPage = try integer(items, "per_page", default: defaultPerPage, range: RequestLimits.apiPerPage)
        var filters: [SearchFilter] = []
        func anyOf(_ values: [String], _ make: (String) -> SearchFilter) throws {
            let values = values.filter { !$0.isEmpty }
            guard values.count <= RequestLimits.filterValues else {
                throw APIError.badRequest("a filter may repeat at most \(RequestLimits.filterValues) values")
            }
            if values.count == 1 { filters.append(make(values[0])) }
            else if values.count > 1 { filters.append(.anyOf(values.map(make))) }
        }
        try anyOf(items.all("classifier")) { .contains(field: "classifiers", value: $0) }
        try anyOf(items.all("framework_version")) { .contains(field: "framework_versions", value: $0) }
        try anyOf(items.all("python_version")) { .contains(field: "python_versions", value: $0) }
        try anyOf(items.all("category")) { .contains(field: "categories", value: $0) }
        try anyOf(items.all("package_type")) { .contains(field: "package_type", value: $0) }
        for (parameter, field) in [("official", "is_official"), ("verified", "is_verified"), ("has_github", "has_github"), ("new", "is_new")] {
            if let value = try boolean(items, parameter) { filters.append(.flag(field: field, value: value)) }
        }
        if items.nonEmpty("min_health") != nil {
            filters.append(.range(field: "health_score", min: Int64(try integer(items, "min_health", default: 0, range: 0...100)), max: nil))
        }
        query.filters = filters
        let facets = items.all("facet").flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
        guard facets.count <= RequestLimits.fieldList else { throw APIError.badRequest("at most \(RequestLimits.fieldList) facets") }
        for facet in facets where !SearchFields.facetable.contains(facet) {
            throw APIError.badRequest("unknown facet '\(TypesenseParams.quoted(facet))'; allowed: \(SearchFields.facetable.joined(separator: ", "))")
        }
        query.facets = facets.isEmpty ? defaultFacets : facets
        return query
    }

    static func integer(_ items: QueryItems, _ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = items.nonEmpty(name) else { return fallback }
        guard let value = BoundedNumber.integer(text).map(Int.init), range.contains(value) else {
            throw APIError.badRequest("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    static func boolean(_ items: QueryItems, _ name: String) throws -> Bool? {
        guard let text = items.nonEmpty(name)?.lowercased() else { return nil }
        switch text {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw APIError.badRequest("\(name) must be true or false")
        }
    }
}
