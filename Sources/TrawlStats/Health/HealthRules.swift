public import TrawlCore

/// The base rules of the health score (maxima add up to 100): how recently the package was
/// released, how well it is documented, how complete its metadata is. Each returns its points
/// with a sentence the package page can show.
public enum HealthRules {
    /// 40 points: a release within 90 days; 30 within 180; 20 within a year; 10 within two; an
    /// archived repository gets none, whatever the date (its authors have said it is finished).
    public static func recency(_ d: PackageDocument, now: Int64) -> HealthRuleResult {
        let max = HealthRule.recency.max
        if d.githubArchived {
            return HealthRuleResult(points: 0, max: max, why: "the GitHub repository is archived: no further releases expected")
        }
        guard d.uploadTimestamp > 0 else { return HealthRuleResult(points: 0, max: max, why: "no release date known") }
        let days = Days.since(d.uploadTimestamp, now: now)
        let points = tier(days, [(90, 40), (180, 30), (365, 20), (730, 10)])
        return HealthRuleResult(points: points, max: max, why: "last release \(days) days ago (full points within 90 days, none after two years)")
    }

    /// Characters of `text` without leading and trailing white space. Native scalar scans: Foundation's
    /// `trimmingCharacters` goes through UTF-16 on Linux, and this rule runs over every description of
    /// a collection on each `trawl enrich health` (it was a third of that run).
    static func trimmedLength(_ text: String) -> Int {
        if let ascii = asciiTrimmedLength(text) { return ascii }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return 0 }
        return text[first...last].count
    }

    /// `trimmedLength` of an all-ASCII text from its bytes (nil when it is not ASCII): there every byte
    /// is a character except a CR before an LF (one grapheme), so no grapheme breaking is needed.
    static func asciiTrimmedLength(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { bytes -> Int? in
            func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
            if bytes.contains(where: { $0 >= 0x80 }) { return nil }
            var start = 0, end = bytes.count
            while start < end, isSpace(bytes[start]) { start += 1 }
            while end > start, isSpace(bytes[end - 1]) { end -= 1 }
            var length = end - start
            var i = start
            while i + 1 < end {
                if bytes[i] == 0x0D && bytes[i + 1] == 0x0A { length -= 1; i += 2 } else { i += 1 }
            }
            return length
        }
    }

    /// 10 points for a description of 1,000 characters or more; 6 from 300; 3 from 100.
    public static func description(_ d: PackageDocument) -> HealthRuleResult {
        let length = trimmedLength(d.description)
        let points = length >= 1_000 ? 10 : length >= 300 ? 6 : length >= 100 ? 3 : 0
        return HealthRuleResult(points: points, max: HealthRule.description.max, why: "description of \(length) characters (full points from 1,000)")
    }

    /// 5 points for a documentation URL: `docs_url`, or a home page that is documentation.
    public static func docsURL(_ d: PackageDocument) -> HealthRuleResult {
        let max = HealthRule.docsURL.max
        if !d.docsURL.isEmpty { return HealthRuleResult(points: max, max: max, why: "documentation at \(d.docsURL)") }
        if DocumentationLink.isDocumentation(d.homePage) {
            return HealthRuleResult(points: max, max: max, why: "the home page is documentation (\(d.homePage))")
        }
        return HealthRuleResult(points: 0, max: max, why: "no documentation URL (docs_url, or a home page on a documentation host)")
    }

    /// 5 points for a documentation link among the project URLs.
    public static func docsLink(_ d: PackageDocument) -> HealthRuleResult {
        let max = HealthRule.docsLink.max
        let link = d.projectURLs.sorted { $0.key < $1.key }.first { label, url in
            label.lowercased().contains("doc") || DocumentationLink.isDocumentation(url)
        }
        if let link { return HealthRuleResult(points: max, max: max, why: "project URL '\(link.key)'") }
        return HealthRuleResult(points: 0, max: max, why: "no documentation link among the project URLs")
    }

    /// 10 points for a real image in the description (badges and SVG logos do not count).
    public static func screenshot(_ d: PackageDocument) -> HealthRuleResult {
        let max = HealthRule.screenshot.max
        if let image = DescriptionImages.screenshots(in: d.description).first {
            return HealthRuleResult(points: max, max: max, why: "image in the description: \(image)")
        }
        return HealthRuleResult(points: 0, max: max, why: "no screenshot in the description (badges do not count)")
    }

    /// 10 points for an author or maintainer.
    public static func author(_ d: PackageDocument) -> HealthRuleResult {
        let max = HealthRule.author.max
        guard d.hasAuthor else { return HealthRuleResult(points: 0, max: max, why: "no author or maintainer") }
        let who = PackageDocument.isReal(d.author) ? d.author : d.maintainer
        return HealthRuleResult(points: max, max: max, why: "by \(who.prefix(80))")
    }

    /// 10 points for a license (the field, or a `License ::` classifier).
    public static func license(_ d: PackageDocument) -> HealthRuleResult {
        let max = HealthRule.license.max
        guard d.hasLicense else { return HealthRuleResult(points: 0, max: max, why: "no license") }
        let named = PackageDocument.isReal(d.license)
            ? String(d.license.split(separator: "\n").first ?? "").prefix(80)
            : (d.classifiers.first { $0.hasPrefix("License ::") } ?? "").prefix(80)
        return HealthRuleResult(points: max, max: max, why: "license: \(named)")
    }

    /// 10 points for at least 3 trove classifiers.
    public static func classifiers(_ d: PackageDocument) -> HealthRuleResult {
        let count = d.classifiers.count
        return HealthRuleResult(
            points: count >= 3 ? HealthRule.classifiers.max : 0, max: HealthRule.classifiers.max,
            why: "\(count) classifier\(count == 1 ? "" : "s") (3 needed)")
    }

    /// The points of the first tier whose limit `value` does not exceed; 0 past the last.
    static func tier(_ value: Int64, _ tiers: [(limit: Int64, points: Int)]) -> Int {
        tiers.first { value <= $0.limit }?.points ?? 0
    }
}
