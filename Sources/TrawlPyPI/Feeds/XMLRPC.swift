import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The little XML-RPC the index still needs: `changelog_since_serial` and `changelog_last_serial`,
/// the only way to see more than the RSS feeds' last 100 events.
public enum XMLRPC {
    public indirect enum Value: Sendable, Equatable {
        case string(String)
        case int(Int64)
        case bool(Bool)
        case double(Double)
        case array([Value])
        case `struct`([String: Value])
        case `nil`

        public var string: String? { if case .string(let s) = self { return s }; return nil }
        public var int: Int64? { if case .int(let i) = self { return i }; return nil }
        public var array: [Value]? { if case .array(let a) = self { return a }; return nil }
    }

    public struct Fault: Error, CustomStringConvertible {
        public var message: String
        public var description: String { "XML-RPC fault: \(message)" }
    }

    public struct Malformed: Error, CustomStringConvertible {
        public var message: String
        public var description: String { "malformed XML-RPC response: \(message)" }
    }

    public static func call(_ method: String, _ params: [Value]) -> [UInt8] {
        var xml = "<?xml version=\"1.0\"?><methodCall><methodName>\(escape(method))</methodName><params>"
        for p in params { xml += "<param>\(encode(p))</param>" }
        xml += "</params></methodCall>"
        return Array(xml.utf8)
    }

    static func encode(_ value: Value) -> String {
        switch value {
        case .string(let s): "<value><string>\(escape(s))</string></value>"
        case .int(let i): "<value><int>\(i)</int></value>"
        case .bool(let b): "<value><boolean>\(b ? 1 : 0)</boolean></value>"
        case .double(let d): "<value><double>\(d)</double></value>"
        case .array(let a): "<value><array><data>\(a.map(encode).joined())</data></array></value>"
        case .struct(let s): "<value><struct>\(s.map { "<member><name>\(escape($0.key))</name>\(encode($0.value))</member>" }.joined())</struct></value>"
        case .nil: "<value><nil/></value>"
        }
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Parses a `methodResponse`: the single return value, or throws its fault.
    public static func parseResponse(_ body: [UInt8]) throws -> Value {
        let delegate = ResponseParser()
        let failure: String?
        do { failure = try XMLInput.parse(body, what: "XML-RPC answer", delegate: delegate) } catch { throw Malformed(message: "\(error)") }
        if let failure { throw Malformed(message: failure) }
        if let fault = delegate.fault {
            let message = fault.structValue?["faultString"]?.string ?? "\(fault)"
            throw Fault(message: message)
        }
        guard let value = delegate.result else { throw Malformed(message: "no value in the response") }
        return value
    }

    /// Builds values from the element stream: a stack of open containers.
    final class ResponseParser: NSObject, XMLParserDelegate {
        enum Frame {
            case value(typed: Value?, text: String)
            case array([Value])
            case structure([String: Value], pendingName: String?)
        }

        var stack: [Frame] = []
        var text = ""
        var result: Value?
        var fault: Value?
        var inFault = false
        var memberName: [String?] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            text = ""
            switch name {
            case "fault": inFault = true
            case "value": stack.append(.value(typed: nil, text: ""))
            case "array": stack.append(.array([]))
            case "struct": stack.append(.structure([:], pendingName: nil))
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "string": setTyped(.string(text))
            case "int", "i4", "i8": setTyped(.int(Int64(text.trimmingCharacters(in: .whitespaces)) ?? 0))
            case "boolean": setTyped(.bool(text.trimmingCharacters(in: .whitespaces) == "1"))
            case "double": setTyped(.double(Double(text.trimmingCharacters(in: .whitespaces)) ?? 0))
            case "nil": setTyped(.nil)
            case "name":
                if case .structure(let s, _)? = stack.last { stack[stack.count - 1] = .structure(s, pendingName: text) }
            case "array":
                if case .array(let items)? = stack.popLast() { setTyped(.array(items)) }
            case "struct":
                if case .structure(let s, _)? = stack.popLast() { setTyped(.struct(s)) }
            case "value":
                guard case .value(let typed, _)? = stack.popLast() else { return }
                // An untyped <value>text</value> is a string.
                let value = typed ?? .string(text)
                deliver(value)
            default: break
            }
        }

        private func setTyped(_ v: Value) {
            if case .value(_, let t)? = stack.last { stack[stack.count - 1] = .value(typed: v, text: t) }
        }

        private func deliver(_ value: Value) {
            switch stack.last {
            case .array(var items)?:
                items.append(value)
                stack[stack.count - 1] = .array(items)
            case .structure(var s, let pending)?:
                if let pending { s[pending] = value }
                stack[stack.count - 1] = .structure(s, pendingName: nil)
            default:
                if inFault { fault = value } else { result = value }
            }
        }
    }
}

extension XMLRPC.Value {
    var structValue: [String: XMLRPC.Value]? { if case .struct(let s) = self { return s }; return nil }
}
