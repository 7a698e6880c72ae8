import Foundation
import TrawlCore

/// Any JSON value: request bodies whose parameters arrive as strings or numbers (InstantSearch
/// adapters send both), and documents reshaped for output (`include_fields`, an added `id`).
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The value as request-parameter text: strings as they are, numbers and booleans spelled out.
    var parameterText: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): d == d.rounded() ? BoundedNumber.int64(d).map { String($0) } ?? String(d) : String(d)
        case .bool(let b): b ? "true" : "false"
        case .array(let a): a.compactMap(\.parameterText).joined(separator: ",")
        case .null, .object: nil
        }
    }

    var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// Re-encodes any Encodable value as a JSONValue tree.
    /// Directly (`JSONTree`); through Foundation's bytes only for what that does not model.
    static func from<T: Encodable>(_ value: T) throws -> JSONValue {
        do {
            return try JSONTree.encode(value)
        } catch is JSONTree.Unsupported {
            return try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        }
    }
}
