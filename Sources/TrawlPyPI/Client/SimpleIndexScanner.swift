import TrawlCore

/// Pulls project names and serials out of a PEP 691 JSON project list without building a tree of
/// 886k dictionaries: one pass over the bytes, memory for one name at a time.
///
/// Shape: `{"meta": {"_last-serial": N, …}, "projects": [{"name": "…", "_last-serial": N}, …]}`.
public struct SimpleIndexScanner {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var serial: Int64
    }

    public private(set) var indexSerial: Int64 = 0

    public init() {}

    /// Calls `emit` for every project object, in document order.
    public mutating func scan(_ bytes: [UInt8], emit: (Entry) throws -> Void) throws {
        var depth = 0
        var i = 0
        var pendingKey: String?
        var name: String?
        var serial: Int64 = 0
        var expectingValue = false
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth == 3 { name = nil; serial = 0 }
                expectingValue = false
                pendingKey = nil
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 3, c == UInt8(ascii: "}"), let current = name { try emit(Entry(name: current, serial: serial)) }
                depth -= 1
                pendingKey = nil
                expectingValue = false
                i += 1
            case UInt8(ascii: "\""):
                let (text, next) = try Self.string(bytes, from: i)
                i = next
                if expectingValue {
                    if depth == 3 && pendingKey == "name" { name = text }
                    expectingValue = false
                    pendingKey = nil
                } else {
                    pendingKey = text
                }
            case UInt8(ascii: ":"):
                expectingValue = pendingKey != nil
                i += 1
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var value: Int64 = 0
                var negative = false
                var outOfRange = false
                if c == UInt8(ascii: "-") { negative = true; i += 1 }
                while i < n, (48...57).contains(bytes[i]) {
                    // A serial past ±2^62 is not one the index could have: read it as unknown (0).
                    if value > BoundedNumber.magnitude / 10 { outOfRange = true } else { value = value * 10 + Int64(bytes[i] - 48) }
                    i += 1
                }
                if outOfRange { value = 0 }
                while i < n, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")
                    || bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") || (48...57).contains(bytes[i]) {
                    i += 1
                }
                if negative { value = -value }
                if expectingValue && pendingKey == "_last-serial" {
                    if depth == 3 { serial = value } else if depth == 2 { indexSerial = value }
                }
                expectingValue = false
                pendingKey = nil
            case UInt8(ascii: ","):
                pendingKey = nil
                expectingValue = false
                i += 1
            default:
                if c == UInt8(ascii: "t") || c == UInt8(ascii: "f") || c == UInt8(ascii: "n") {
                    while i < n, (97...122).contains(bytes[i]) { i += 1 }  // true/false/null
                    expectingValue = false
                    pendingKey = nil
                } else {
                    i += 1
                }
            }
        }
        guard depth == 0 else { throw ScanError.truncated }
    }

    public enum ScanError: Error, CustomStringConvertible {
        case truncated, badString

        public var description: String {
            switch self {
            case .truncated: "the simple index JSON ended early"
            case .badString: "the simple index JSON has a malformed string"
            }
        }
    }

    /// Decodes the JSON string starting at the quote at `start`; returns it and the index after it.
    static func string(_ b: [UInt8], from start: Int) throws -> (String, Int) {
        var i = start + 1
        var plainEnd = i
        while plainEnd < b.count, b[plainEnd] != UInt8(ascii: "\""), b[plainEnd] != UInt8(ascii: "\\") { plainEnd += 1 }
        guard plainEnd < b.count else { throw ScanError.badString }
        if b[plainEnd] == UInt8(ascii: "\"") {  // the common case: no escapes
            return (String(decoding: b[i..<plainEnd], as: UTF8.self), plainEnd + 1)
        }
        var out = Array(b[i..<plainEnd])
        i = plainEnd
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { return (String(decoding: out, as: UTF8.self), i + 1) }
            if c == UInt8(ascii: "\\"), i + 1 < b.count {
                let e = b[i + 1]
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "u"):
                    guard i + 5 < b.count, let code = UInt32(String(decoding: b[(i + 2)...(i + 5)], as: UTF8.self), radix: 16) else { throw ScanError.badString }
                    var scalarValue = code
                    var consumed = 6
                    if (0xD800...0xDBFF).contains(code), i + 11 < b.count, b[i + 6] == UInt8(ascii: "\\"), b[i + 7] == UInt8(ascii: "u"),
                        let low = UInt32(String(decoding: b[(i + 8)...(i + 11)], as: UTF8.self), radix: 16), (0xDC00...0xDFFF).contains(low) {
                        // Only a real low surrogate pairs; a lone high one becomes U+FFFD below.
                        scalarValue = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        consumed = 12
                    }
                    out += Array(String(Character(Unicode.Scalar(scalarValue) ?? "\u{FFFD}")).utf8)
                    i += consumed
                    continue
                default: out.append(e)
                }
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        throw ScanError.badString
    }
}
