import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The one way an upstream's XML (RSS feeds, XML-RPC answers) reaches Foundation's `XMLParser`.
/// On Linux that parser traps on an element name that is not valid UTF-8 (found by the fuzz
/// tests: a crafted feed would end `trawl crawl`), so a body must be valid UTF-8 without NUL
/// bytes before it is parsed; anything else is rejected as malformed.
enum XMLInput {
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    static func parser(_ body: [UInt8], what: String) throws -> XMLParser {
        guard String(validating: body, as: UTF8.self) != nil else {
            throw Invalid(description: "\(what) is not valid UTF-8")
        }
        guard !body.contains(0) else { throw Invalid(description: "\(what) contains a NUL byte") }
        let parser = XMLParser(data: Data(body))
        parser.shouldResolveExternalEntities = false
        return parser
    }
}
