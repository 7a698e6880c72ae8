import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One item of the index's RSS feeds: `updates.xml` (new releases) and `packages.xml` (new projects).
public struct FeedItem: Sendable, Equatable {
    public var name: String
    /// The released version (`updates.xml`); nil for a new project (`packages.xml`).
    public var version: String?
    public var published: Int64
}

public enum RSSFeed {
    /// Parses an RSS 2.0 document. The name comes from the item link (`…/project/NAME/VERSION/`),
    /// falling back to the title (`NAME VERSION` or `NAME added to PyPI`).
    public static func parse(_ body: [UInt8], newProjects: Bool) throws -> [FeedItem] {
        let delegate = Collector()
        let failure: String?
        do { failure = try XMLInput.parse(body, what: "RSS feed", delegate: delegate) } catch { throw XMLRPC.Malformed(message: "\(error)") }
        if let failure { throw XMLRPC.Malformed(message: "RSS feed is not XML: \(failure)") }
        return delegate.items.compactMap { raw in
            var name: String?
            var version: String?
            if let link = raw["link"], let range = link.range(of: "/project/") {
                let parts = link[range.upperBound...].split(separator: "/").map(String.init)
                name = parts.first
                if parts.count > 1 { version = parts[1] }
            }
            if name == nil, let title = raw["title"] {
                if newProjects {
                    name = title.components(separatedBy: " added to ").first
                } else {
                    let parts = title.split(separator: " ")
                    name = parts.first.map(String.init)
                    version = parts.count > 1 ? String(parts[parts.count - 1]) : nil
                }
            }
            guard let name, !name.isEmpty else { return nil }
            return FeedItem(name: name, version: newProjects ? nil : version, published: raw["pubDate"].flatMap(Self.date) ?? 0)
        }
    }

    static func date(_ text: String) -> Int64? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEE, dd MMM yyyy HH:mm:ss Z"] {
            formatter.dateFormat = format
            if let d = formatter.date(from: text) { return Int64(d.timeIntervalSince1970) }
        }
        return nil
    }

    final class Collector: NSObject, XMLParserDelegate {
        var items: [[String: String]] = []
        var current: [String: String]?
        var text = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "item" { current = [:] }
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "item", let item = current {
                items.append(item)
                current = nil
            } else if current != nil {
                current?[name] = text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
    }
}
