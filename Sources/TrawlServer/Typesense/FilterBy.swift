import Foundation
import TrawlCore

/// Typesense `filter_by` as store filters: `field:value`, `field:=value`, `field:[a,b]`,
/// `field:>n` `<` `>=` `<=`, `field:[1..5]`, `field:!=value`, `&&`, `||` and parentheses
/// (`&&` binds tighter). Values may be backtick-quoted.
struct FilterBy {
    static func parse(_ text: String) throws -> [SearchFilter] {
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
            let node = try orExpression()
            guard consume(")") else { throw error("missing `)`") }
            return node
        }
        return .leaf(try comparison())
    }

    mutating func comparison() throws -> SearchFilter {
        skipSpaces()
        var field = ""
        while index < chars.count, chars[index] != ":", !chars[index].isWhitespace { field.append(chars[index]); index += 1 }
        guard !field.isEmpty, consume(":") else { throw error("expected `field:value`") }
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
            func number(_ text: String) throws -> Int64 {
                guard let value = Int64(text.trimmingCharacters(in: .whitespaces)) ?? Double(text).map({ Int64($0) }) else {
                    throw APIError.badRequest("Numerical field `\(field)` has an invalid value `\(text)`.")
                }
                return value
            }
            if isRange {
                let bounds = values[0].components(separatedBy: "..")
                guard bounds.count == 2 else { throw APIError.badRequest("Invalid range for `\(field)`.") }
                return .range(field: field, min: try number(bounds[0]), max: try number(bounds[1]))
            }
            return try combine { text in
                let n = try number(text)
                switch op {
                case ">": return .range(field: field, min: n + 1, max: nil)
                case ">=": return .range(field: field, min: n, max: nil)
                case "<": return .range(field: field, min: nil, max: n - 1)
                case "<=": return .range(field: field, min: nil, max: n)
                default: return .range(field: field, min: n, max: n)
                }
            }
        }
        throw APIError.badRequest("Could not find a filter field named `\(field)` in the schema.")
    }
}
