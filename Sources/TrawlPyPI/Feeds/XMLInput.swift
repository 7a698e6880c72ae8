public import Foundation
import Synchronization
#if canImport(FoundationXML)
public import FoundationXML
#endif

/// The one way an upstream's XML (RSS feeds, XML-RPC answers) reaches Foundation's `XMLParser`.
///
/// Two things about that parser on Linux decide the shape of this type:
/// - it traps on an element name that is not valid UTF-8 (found by the fuzz tests: a crafted feed
///   would end `trawl crawl`), so a body must be valid UTF-8 without NUL bytes before it is parsed;
///   anything else is rejected as malformed;
/// - it is backed by libxml2, whose global state is the caller's to serialise (libxml2's own
///   documentation; swift-docc serialises its XML tests on Linux for the same reason), so documents
///   are parsed one at a time in the whole process. Feeds and XML-RPC answers are small and rare
///   (a few per minute), so the lock costs nothing measurable.
public enum XMLInput {
    /// A body refused before parsing.
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    private static let serial = Mutex(())

    /// Parses `body` with `delegate`. Returns nil when the document parsed, or the parser's error.
    /// Throws ``Invalid`` for a body that must not reach the parser at all.
    public static func parse(_ body: [UInt8], what: String, delegate: any XMLParserDelegate) throws -> String? {
        guard String(validating: body, as: UTF8.self) != nil else {
            throw Invalid(description: "\(what) is not valid UTF-8")
        }
        guard !body.contains(0) else { throw Invalid(description: "\(what) contains a NUL byte") }
        let parser = XMLParser(data: Data(body))
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        return serial.withLock { _ in
            parser.parse() ? nil : (parser.parserError.map { "\($0)" } ?? "not XML")
        }
    }
}
