import Foundation

/// Finds images in a package description (Markdown, reStructuredText, HTML) and tells screenshots
/// from badges: a README full of CI and version badges has no picture of the package at work.
enum DescriptionImages {
    /// The three image syntaxes, each with a marker a text must contain for its pattern to match at
    /// all. Compiled once: `trawl enrich health` scores every description of a collection, and
    /// compiling three patterns per document (then running them over texts that hold no image at
    /// all, which most do) cost more than everything else the score reads.
    static let syntaxes: [(marker: [UInt8], regex: NSRegularExpression)] = [
        ("![", #"!\[[^\]]*\]\(\s*<?([^)\s>]+)"#),                       // Markdown ![alt](url)
        ("<img", #"<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']"#),          // HTML <img src="url">
        ("::", #"\.\.\s+(?:\|[^|]+\|\s+)?(?:image|figure)::\s*(\S+)"#), // reST .. image:: url / .. |x| image:: url
    ].map { marker, pattern in
        // The patterns are constants: one that does not compile is a bug caught by the tests.
        (Array(marker.utf8), try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive]))
    }

    static func lower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte | 0x20 : byte }

    /// Whether `text` contains `marker` (lowercase), ASCII letters compared without case. The marker's
    /// first byte is found with `memchr` (every marker starts with punctuation, which has no case): a
    /// whole-collection `trawl enrich health` scans every description three times, and a byte-by-byte
    /// loop was a sixth of that run.
    static func mentions(_ text: String, _ marker: [UInt8]) -> Bool {
        guard let first = marker.first, lower(first) == first, !(97...122).contains(first) else {
            return slowlyMentions(text, marker)
        }
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count >= marker.count else { return false }
            let start = UnsafeRawPointer(base)
            var offset = 0
            while offset + marker.count <= bytes.count {
                guard let hit = memchr(start + offset, Int32(first), bytes.count - marker.count + 1 - offset) else { return false }
                let i = start.distance(to: UnsafeRawPointer(hit))
                var j = 1
                while j < marker.count, lower(bytes[i + j]) == marker[j] { j += 1 }
                if j == marker.count { return true }
                offset = i + 1
            }
            return false
        }
    }

    /// `mentions` for a marker starting with a letter: every byte compared.
    static func slowlyMentions(_ text: String, _ marker: [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= marker.count else { return false }
            var i = 0
            while i + marker.count <= bytes.count {
                var j = 0
                while j < marker.count, lower(bytes[i + j]) == marker[j] { j += 1 }
                if j == marker.count { return true }
                i += 1
            }
            return false
        }
    }

    /// Image URLs in `text` in order of appearance.
    static func urls(in text: String) -> [String] {
        var found: [(offset: Int, url: String)] = []
        let range = NSRange(text.startIndex..., in: text)
        for syntax in syntaxes where mentions(text, syntax.marker) {
            for match in syntax.regex.matches(in: text, range: range) where match.numberOfRanges > 1 {
                guard let r = Range(match.range(at: 1), in: text) else { continue }
                found.append((match.range.location, String(text[r])))
            }
        }
        return found.sorted { $0.offset < $1.offset }.map(\.url)
    }

    /// Hosts and path fragments of badge services.
    static let badgeMarkers = [
        "shields.io", "badge", "badgen", "travis-ci", "codecov", "coveralls", "circleci", "appveyor", "pepy.tech",
        "codacy", "snyk.io", "/workflows/", "buymeacoffee", "ko-fi", "gitter.im", "sonarcloud", "deepsource",
        "fossa", "readthedocs.org/projects", "pypip.in", "requires.io", "bestpractices", "codeclimate", "lgtm.com",
    ]

    static func isBadge(_ url: String) -> Bool {
        let u = url.lowercased()
        let path = u.split(separator: "?").first.map(String.init) ?? u
        return badgeMarkers.contains { u.contains($0) } || path.hasSuffix(".svg")
    }

    /// The images that are not badges.
    static func screenshots(in text: String) -> [String] {
        urls(in: text).filter { !isBadge($0) }
    }
}
