import Foundation

/// Finds images in a package description (Markdown, reStructuredText, HTML) and tells screenshots
/// from badges: a README full of CI and version badges has no picture of the package at work.
enum DescriptionImages {
    /// Image URLs in `text` in order of appearance.
    static func urls(in text: String) -> [String] {
        let patterns = [
            #"!\[[^\]]*\]\(\s*<?([^)\s>]+)"#,                       // Markdown ![alt](url)
            #"<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']"#,          // HTML <img src="url">
            #"\.\.\s+(?:\|[^|]+\|\s+)?(?:image|figure)::\s*(\S+)"#, // reST .. image:: url / .. |x| image:: url
        ]
        var found: [(offset: Int, url: String)] = []
        let range = NSRange(text.startIndex..., in: text)
        for pattern in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { continue }
            for match in regex.matches(in: text, range: range) where match.numberOfRanges > 1 {
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
