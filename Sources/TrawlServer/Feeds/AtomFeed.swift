import Foundation

/// An Atom 1.0 document (RFC 4287) written by hand: a feed is a flat list of a few escaped
/// elements, and no XML writer is among the packages here (Foundation's `XMLDocument` is not on
/// Linux's corelibs in a usable form for output). Every text goes through `escape`, which also drops
/// characters XML 1.0 does not allow, so no package text can break the document.
struct AtomFeed {
    struct Entry {
        /// Stable: the same package (or release) keeps its id in every fetch of the feed.
        var id: String
        var title: String
        var updated: Int64
        var link: String
        var summary: String
        var categories: [String] = []
    }

    var id: String
    var title: String
    var selfLink: String
    var alternateLink: String
    var entries: [Entry]

    var xml: String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
        out += "  <id>\(Self.escape(id))</id>\n"
        out += "  <title>\(Self.escape(title))</title>\n"
        out += "  <updated>\(Self.date(entries.map(\.updated).max() ?? 0))</updated>\n"
        out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(Self.escape(selfLink))\"/>\n"
        out += "  <link rel=\"alternate\" type=\"text/html\" href=\"\(Self.escape(alternateLink))\"/>\n"
        out += "  <author><name>Trawl</name></author>\n"
        out += "  <generator>Trawl</generator>\n"
        for entry in entries {
            out += "  <entry>\n"
            out += "    <id>\(Self.escape(entry.id))</id>\n"
            out += "    <title>\(Self.escape(entry.title))</title>\n"
            out += "    <updated>\(Self.date(entry.updated))</updated>\n"
            out += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(Self.escape(entry.link))\"/>\n"
            for category in entry.categories { out += "    <category term=\"\(Self.escape(category))\"/>\n" }
            if !entry.summary.isEmpty { out += "    <summary type=\"text\">\(Self.escape(entry.summary))</summary>\n" }
            out += "  </entry>\n"
        }
        return out + "</feed>\n"
    }

    /// RFC 3339 in UTC; timestamps outside years 1970–9999 are clamped into them.
    static func date(_ epoch: Int64) -> String {
        let seconds = min(max(epoch, 0), 253_402_300_799)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Text or attribute content: the page's HTML escaping (the same five characters, valid XML),
    /// after dropping the characters XML 1.0 forbids (controls other than tab/newline/return,
    /// U+FFFE, U+FFFF), which no escape can carry.
    static func escape(_ text: String) -> String {
        var allowed = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0xFFFE || v == 0xFFFF { continue }
            allowed.append(scalar)
        }
        return HTML.escape(String(allowed))
    }
}
