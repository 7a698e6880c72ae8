import Foundation
import TrawlCore

/// Typesense `filter_by` as store filters: `field:value`, `field:=value`, `field:[a,b]`,
/// `field:>n` `<` `>=` `<=`, `field:[1..5]`, `field:!=value`, `&&`, `||` and parentheses
/// (`&&` binds tighter). Values may be backtick-quoted. Length, nesting, clauses, list sizes and
/// numbers are bounded by `RequestLimits` (the parser recurses on parentheses, so depth must be).
struct FilterBy {
    static func parse(_ text: String) throws -> [SearchFilter] {
        guard text.count <= RequestLimits.filterCharacters else {
            throw APIError.badRequest("Parameter `filter_by` is longer than \(RequestLimits.filterCharacters) characters.")
        }
        var parser = FilterBy(text)
        guard !parser.atEnd else { return [] }
        let filter = try parser.orExpression()
        parser.skipSpaces()
        guard parser.atEnd else { throw parser.error("unexpected `\(String(parser.rest.prefix(20)))`") }
        if case .allOf(let all) = filter { return all }
        return [filter.searchFilter]
    }

    /// A parsed expression before it becomes filters (AND groups stay flat).
    indirect enum Node {
        case leaf(SearchFilter)
        case allOf([SearchFilter])
        case anyOf([Node])

        var searchFilter: SearchFilter {
            switch self {
            case .leaf(let f): f
            case .allOf(let all): all.count == 1 ? all[0] : .not(.anyOf(all.map { .not($0) }))
            case .anyOf(let nodes): .anyOf(nodes.map(\.searchFilter))
            }
        }
    }

    private var chars: [Character]
    private var index = 0
    private var depth = 0
    private var clauses = 0
    private let source: String

    private init(_ text: String) {
        source = text
        chars = Array(text)
        skipSpaces()
    }

    var atEnd: Bool { index >= chars.count }
    var rest: String { String(chars[min(index, chars.count)...]) }

    func error(_ what: String) -> APIError {
        APIError.badRequest("Could not parse the filter query: \(what).")
    }

    mutating func skipSpaces() {
        while index < chars.count, chars[index].isWhitespace { index += 1 }
    }

    mutating func consume(_ token: String) -> Bool {
        skipSpaces()
        let t = Array(token)
        guard index + t.count <= chars.count, Array(chars[index..<index + t.count]) == t else { return false }
        index += t.count
        return true
    }

    mutating func orExpression() throws -> Node {
        var nodes = [try andExpression()]
        while consume("||") { nodes.append(try andExpression()) }
        return nodes.count == 1 ? nodes[0] : .anyOf(nodes)
    }

    mutating func andExpression() throws -> Node {
        var filters = [try primary().searchFilter]
        while consume("&&") { filters.append(try primary().searchFilter) }
        return filters.count == 1 ? .leaf(filters[0]) : .allOf(filters)
    }

    mutating func primary() throws -> Node {
        if consume("(") {
            depth += 1
            guard depth <= RequestLimits.filterDepth else {
                throw error("parentheses nested deeper than \(RequestLimits.filterDepth)")
            }
            let node = try orExpression()
            guard consume(")") else { throw error("missing `)`") }
            depth -= 1
            return node
        }
        return .leaf(try comparison())
    }

    mutating func comparison() throws -> SearchFilter {
        clauses += 1
        guard clauses <= RequestLimits.filterClauses else { throw error("more than \(RequestLimits.filterClauses) clauses") }
        skipSpaces()
        var field = ""
        while index < chars.count, chars[index] != ":", !chars[index].isWhitespace { field.append(chars[index]); index += 1 }
        guard !field.isEmpty, consume(":") else { throw error("expected `field:value`") }
        field = TypesenseParams.quoted(field)
        var op = ""
        for candidate in ["!=", ">=", "<=", "=", ">", "<"] where consume(candidate) {
            op = candidate
            break
        }
        skipSpaces()
        let values: [String]
        var isRange = false
        if index < chars.count, chars[index] == "[" {
            index += 1
            var list: [String] = []
            var current = ""
            var quoted = false
            while index < chars.count, quoted || chars[index] != "]" {
                let c = chars[index]
                if c == "`" { quoted.toggle() }
                else if c == ",", !quoted { list.append(current); current = "" }
                else { current.append(c) }
                index += 1
            }
            guard index < chars.count else { throw error("missing `]`") }
            index += 1
            list.append(current)
            values = list.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard values.count <= RequestLimits.filterValues else {
                throw error("more than \(RequestLimits.filterValues) values for `\(field)`")
            }
            isRange = values.count == 1 && values[0].contains("..")
        } else if index < chars.count, chars[index] == "`" {
            index += 1
            var value = ""
            while index < chars.count, chars[index] != "`" { value.append(chars[index]); index += 1 }
            guard index < chars.count else { throw error("missing closing backtick") }
            index += 1
            values = [value]
        } else {
            var value = ""
            while index < chars.count, !(chars[index] == "&" || chars[index] == "|" || chars[index] == ")") {
                value.append(chars[index]); index += 1
            }
            values = [value.trimmingCharacters(in: .whitespaces)]
        }
        guard !values.isEmpty, !values.contains(where: \.isEmpty) else { throw error("no value for `\(field)`") }
        let filter = try Self.filter(field: field, op: op == "!=" ? "=" : op, values: values, isRange: isRange)
        return op == "!=" ? .not(filter) : filter
    }

    static func filter(field: String, op: String, values: [String], isRange: Bool) throws -> SearchFilter {
        func combine(_ make: (String) throws -> SearchFilter) rethrows -> SearchFilter {
            values.count == 1 ? try make(values[0]) : .anyOf(try values.map(make))
        }
        if ["id", "name", "normalized_name"].contains(field) {
            return .name(values)
        }
        if SearchFields.facetable.contains(field) {
            guard op == "" || op == "=" else { throw APIError.badRequest("`\(field)` can only be compared with `:`, `:=` or `:!=`.") }
            return combine { .contains(field: field, value: $0) }
        }
        if SearchFields.flags.contains(field) {
            return try combine { value in
                switch value.lowercased() {
                case "true": .flag(field: field, value: true)
                case "false": .flag(field: field, value: false)
                default: throw APIError.badRequest("Value of filter field `\(field)` must be `true` or `false`.")
                }
            }
        }
        if SearchFields.numeric.contains(field) {
            if isRange {
                let bounds = values[0].components(separatedBy: "..")
                guard bounds.count == 2 else { throw APIError.badRequest("Invalid range for `\(field)`.") }
                let low = try FilterNumber(bounds[0], field: field), high = try FilterNumber(bounds[1], field: field)
                return .range(field: field, min: low.ceiling, max: high.floor)
            }
            return try combine { text in
                let n = try FilterNumber(text, field: field)
                switch op {
                case ">": return .range(field: field, min: n.isWhole ? n.floor + 1 : n.ceiling, max: nil)
                case ">=": return .range(field: field, min: n.ceiling, max: nil)
                case "<": return .range(field: field, min: nil, max: n.isWhole ? n.floor - 1 : n.floor)
                case "<=": return .range(field: field, min: nil, max: n.floor)
                // A fraction equals no integer: an empty range.
                default: return .range(field: field, min: n.ceiling, max: n.floor)
                }
            }
        }
        throw APIError.badRequest("Could not find a filter field named `\(field)` in the schema.")
    }
}

/// A numeric filter value: an integer, or a finite decimal (`4.5`, `1e3`), within
/// `±RequestLimits.filterNumber` so that its neighbours are representable. Fields are integers, so
/// a decimal compares through its floor and ceiling.
struct FilterNumber {
    var floor: Int64
    var ceiling: Int64
    var isWhole: Bool { floor == ceiling }

    init(_ text: String, field: String) throws {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let value = BoundedNumber.integer(text) {
            floor = value
            ceiling = value
            return
        }
        // Strictly below the bound as a double: an integer just past 2^62 ("4611686018427387905")
        // fails the integer path above and, as a double, rounds to exactly 2^62 — `<=` let it in as
        // 2^62 (a 200 for a value docs/limits.md refuses, compared as a different number). Exact
        // integers up to the bound take the integer path; a decimal that rounds to it is refused.
        guard text.utf8.count <= 64, let value = BoundedNumber.decimal(text),
            abs(value) < Double(RequestLimits.filterNumber)
        else {
            throw APIError.badRequest(
                "Numerical field `\(field)` has an invalid value `\(TypesenseParams.quoted(text))`: expected a number within ±2^62.")
        }
        floor = Int64(value.rounded(.down))
        ceiling = Int64(value.rounded(.up))
    }
}
