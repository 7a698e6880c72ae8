import Foundation

/// A fast path for the JSON the server writes: any `Encodable` straight into a `JSONValue` tree
/// (no bytes written and parsed again), and a `JSONValue` tree straight into bytes — with output
/// byte-for-byte what `JSONOutput.encoder()` (Foundation, sorted keys, slashes unescaped) writes.
///
/// Why: a Typesense search answer carries 20 whole package documents; building it through
/// Foundation (encode each document, parse it back into a `JSONValue`, encode the answer) cost
/// most of a search's CPU time. Types this does not model byte-exactly (Date, Data, URL, Decimal,
/// integers beyond Int64, non-finite numbers) throw `JSONTree.Unsupported`, and callers fall back
/// to Foundation for that value.
enum JSONTree {
    struct Unsupported: Error {}

    /// `value` as a JSON tree, as Foundation's encoder would see it.
    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        if let json = value as? JSONValue { return json }
        let node = try Node.encoding(value, codingPath: [])
        return node.tree()
    }

    /// The bytes of `value` as `JSONOutput.encoder()` writes them.
    static func bytes(_ value: JSONValue) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4_096)
        try write(value, into: &out)
        return out
    }

    static func write(_ value: JSONValue, into out: inout [UInt8]) throws {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d):
            // Rare in answers; Foundation's own spelling (1e+21, -0, 0.10000000149011612).
            guard d.isFinite else { throw Unsupported() }
            out.append(contentsOf: try JSONOutput.encoder().encode(d))
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            // Foundation's sortedKeys order: UTF-8 byte order.
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                try write(members[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static let hex = Array("0123456789abcdef".utf8)

    /// Quotes and escapes as Foundation does: `"` and `\`, the short escapes \b \t \n \f \r, other
    /// control characters as lowercase `\u00xx`; everything else (`/`, DEL, non-ASCII) as is.
    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let byte = bytes[i]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                default: out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)]])
                }
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONTree {
    /// A value being encoded: containers write into their node, nested containers into child nodes.
    final class Node {
        enum Kind {
            case value(JSONValue)
            case object([String: Node])
            case array([Node])
        }

        var kind: Kind = .value(.null)

        init() {}
        init(_ value: JSONValue) { kind = .value(value) }

        func tree() -> JSONValue {
            switch kind {
            case .value(let v): return v
            case .object(let members): return .object(members.mapValues { $0.tree() })
            case .array(let items): return .array(items.map { $0.tree() })
            }
        }

        static func encoding<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> Node {
            switch value {
            case let v as String: return Node(.string(v))
            case let v as Bool: return Node(.bool(v))
            case let v as Int: return Node(.int(Int64(v)))
            case let v as Int64: return Node(.int(v))
            case let v as JSONValue: return Node(v)
            case is Date, is Data, is URL, is Decimal: throw Unsupported()
            default:
                let node = Node()
                try value.encode(to: TreeEncoder(node: node, codingPath: codingPath))
                return node
            }
        }

        static func integer<I: BinaryInteger>(_ v: I) throws -> Node {
            guard let i = Int64(exactly: v) else { throw Unsupported() }
            return Node(.int(i))
        }

        static func number<F: BinaryFloatingPoint>(_ v: F) throws -> Node {
            guard v.isFinite else { throw Unsupported() }
            if F.self == Float.self { throw Unsupported() }  // Foundation spells Floats its own way
            return Node(.double(Double(v)))
        }
    }

    struct TreeEncoder: Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .object = node.kind {} else { node.kind = .object([:]) }
            return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .array = node.kind {} else { node.kind = .array([]) }
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            Single(node: node, codingPath: codingPath)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        func set(_ child: Node, _ key: Key) {
            guard case .object(var members) = node.kind else { return }
            node.kind = .value(.null)  // keeps `members` uniquely referenced while it changes
            members[key.stringValue] = child
            node.kind = .object(members)
        }

        mutating func encodeNil(forKey key: Key) throws { set(Node(.null), key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { set(Node(.bool(value)), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { set(Node(.string(value)), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { set(try Node.number(value), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { set(try Node.number(value), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { set(Node(.int(Int64(value))), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { set(try Node.integer(value), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { set(try Node.integer(value), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { set(try Node.integer(value), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { set(Node(.int(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { set(try Node.integer(value), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { set(try Node.integer(value), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { set(try Node.integer(value), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { set(try Node.integer(value), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { set(try Node.integer(value), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            set(try Node.encoding(value, codingPath: codingPath + [key]), key)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let child = Node()
            set(child, key)
            return TreeEncoder(node: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = Node()
            set(child, key)
            return TreeEncoder(node: child, codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            let child = Node()
            guard case .object(var members) = node.kind else { return TreeEncoder(node: child, codingPath: codingPath) }
            members["super"] = child
            node.kind = .object(members)
            return TreeEncoder(node: child, codingPath: codingPath)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            let child = Node()
            set(child, key)
            return TreeEncoder(node: child, codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int {
            if case .array(let items) = node.kind { return items.count }
            return 0
        }

        func append(_ child: Node) {
            guard case .array(var items) = node.kind else { return }
            node.kind = .value(.null)
            items.append(child)
            node.kind = .array(items)
        }

        mutating func encodeNil() throws { append(Node(.null)) }
        mutating func encode(_ value: Bool) throws { append(Node(.bool(value))) }
        mutating func encode(_ value: String) throws { append(Node(.string(value))) }
        mutating func encode(_ value: Double) throws { append(try Node.number(value)) }
        mutating func encode(_ value: Float) throws { append(try Node.number(value)) }
        mutating func encode(_ value: Int) throws { append(Node(.int(Int64(value)))) }
        mutating func encode(_ value: Int8) throws { append(try Node.integer(value)) }
        mutating func encode(_ value: Int16) throws { append(try Node.integer(value)) }
        mutating func encode(_ value: Int32) throws { append(try Node.integer(value)) }
        mutating func encode(_ value: Int64) throws { append(Node(.int(value))) }
        mutating func encode(_ value: UInt) throws { append(try Node.integer(value)) }
        mutating func encode(_ value: UInt8) throws { append(try Node.integer(value)) }
        mutating func encode(_ value: UInt16) throws { append(try Node.integer(value)) }
        mutating func encode(_ value: UInt32) throws { append(try Node.integer(value)) }
        mutating func encode(_ value: UInt64) throws { append(try Node.integer(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { append(try Node.encoding(value, codingPath: codingPath)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let child = Node()
            append(child)
            return TreeEncoder(node: child, codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = Node()
            append(child)
            return TreeEncoder(node: child, codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            let child = Node()
            append(child)
            return TreeEncoder(node: child, codingPath: codingPath)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.kind = .value(.null) }
        mutating func encode(_ value: Bool) throws { node.kind = .value(.bool(value)) }
        mutating func encode(_ value: String) throws { node.kind = .value(.string(value)) }
        mutating func encode(_ value: Double) throws { node.kind = try Node.number(value).kind }
        mutating func encode(_ value: Float) throws { node.kind = try Node.number(value).kind }
        mutating func encode(_ value: Int) throws { node.kind = .value(.int(Int64(value))) }
        mutating func encode(_ value: Int8) throws { node.kind = try Node.integer(value).kind }
        mutating func encode(_ value: Int16) throws { node.kind = try Node.integer(value).kind }
        mutating func encode(_ value: Int32) throws { node.kind = try Node.integer(value).kind }
        mutating func encode(_ value: Int64) throws { node.kind = .value(.int(value)) }
        mutating func encode(_ value: UInt) throws { node.kind = try Node.integer(value).kind }
        mutating func encode(_ value: UInt8) throws { node.kind = try Node.integer(value).kind }
        mutating func encode(_ value: UInt16) throws { node.kind = try Node.integer(value).kind }
        mutating func encode(_ value: UInt32) throws { node.kind = try Node.integer(value).kind }
        mutating func encode(_ value: UInt64) throws { node.kind = try Node.integer(value).kind }
        mutating func encode<T: Encodable>(_ value: T) throws { node.kind = try Node.encoding(value, codingPath: codingPath).kind }
    }
}
