import Foundation
#if canImport(FoundationXML)
import FoundationXML  // XMLParserDelegate on Linux
#endif
import TestSupport
import Testing
import TrawlCore
@testable import TrawlPyPI

/// Seeded fuzzing of every parser of the index's answers: realistic bodies, damaged thousands of
/// ways (cut short, bytes flipped, numbers past every bound, lone surrogate escapes, deep nesting,
/// invalid UTF-8). A parser may reject a body (the crawl records a problem for that package); it may
/// never trap, and what it accepts stays within bounds.
@Suite("Upstream parsers (fuzz): the index")
struct UpstreamParserFuzzTests {
    static let casesPerParser = 2_000

    static let projectJSON = """
        {"info":{"name":"Django-Foo","version":"1.2.3","summary":"A Django add-on","description":"# Foo\\n\\nText","description_content_type":"text/markdown",
        "author":"A. Author","author_email":"a@example.org","maintainer":"","maintainer_email":"","license":"MIT","classifiers":["Framework :: Django",
        "Framework :: Django :: 5.0","Programming Language :: Python :: 3.12","Development Status :: 5 - Production/Stable"],"keywords":"django,foo",
        "requires_dist":["django>=4.2","requests; extra == \\"http\\""],"requires_python":">=3.10","home_page":"https://example.org",
        "project_urls":{"Source":"https://github.com/owner/django-foo","Documentation":"https://django-foo.readthedocs.io"},"docs_url":null,
        "download_url":"","yanked":false},"last_serial":123456789,"releases":{"1.2.3":[{"upload_time_iso_8601":"2024-05-01T12:30:00.123456Z",
        "upload_time":"2024-05-01T12:30:00","yanked":false,"requires_python":">=3.10"}],"1.0":[{"upload_time_iso_8601":"2023-01-01T00:00:00Z",
        "yanked":true,"yanked_reason":"broken"}],"0.1a1":[]},"urls":[],"vulnerabilities":[]}
        """

    static let simpleIndex = """
        {"meta":{"_last-serial":987654321,"api-version":"1.1"},"projects":[{"_last-serial":12,"name":"django-foo"},
        {"_last-serial":13,"name":"Flask_Bar"},{"name":"plone.api","_last-serial":-1},{"name":"a\\u00e9\\ud83d\\ude00"}]}
        """

    static let rss = """
        <?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>updates</title>
        <item><title>django-foo 1.2.3</title><link>https://example.org/project/django-foo/1.2.3/</link><description>A Django add-on</description>
        <pubDate>Wed, 01 May 2024 12:30:00 GMT</pubDate></item><item><title>flask-bar 0.1</title><link>https://example.org/project/flask-bar/0.1/</link>
        <pubDate>Thu, 02 May 2024 08:00:00 GMT</pubDate></item></channel></rss>
        """

    static let xmlrpc = """
        <?xml version='1.0'?><methodResponse><params><param><value><array><data>
        <value><array><data><value><string>django-foo</string></value><value><string>1.2.3</string></value><value><int>1714566600</int></value>
        <value><string>new release</string></value><value><int>123456789</int></value></data></array></value>
        <value><array><data><value><string>flask-bar</string></value><value><nil/></value><value><i8>1714566601</i8></value>
        <value><string>create</string></value><value><int>123456790</int></value></data></array></value>
        </data></array></value></param></params></methodResponse>
        """

    /// How far the damaged copies of one body got: still well formed (they reach the parser's
    /// field-by-field stage instead of its first syntax check), and accepted by the parser. The
    /// undamaged body (case 0) is checked on its own and counted in neither, so "some were accepted"
    /// cannot hold on the seed alone.
    struct Stages: CustomStringConvertible {
        var damaged = 0
        var wellFormed = 0
        var accepted = 0
        var acceptedWellFormed = 0
        var description: String { "\(damaged) damaged, \(wellFormed) still well formed, \(accepted) accepted (\(acceptedWellFormed) of the well formed)" }
    }

    /// Runs `parse` over the seed (which must be accepted) and `casesPerParser` damaged copies of it.
    static func fuzz(seed: UInt64, _ body: String, wellFormed: ([UInt8]) -> Bool, _ parse: ([UInt8]) throws -> Void) -> Stages {
        var g = SeededGenerator(seed: seed)
        let original = Array(body.utf8)
        #expect(wellFormed(original), "the undamaged seed is well formed")
        #expect(throws: Never.self, "the undamaged seed is accepted") { try parse(original) }
        var stages = Stages()
        for _ in 0..<casesPerParser {
            let input = Hostile.mutate(original, &g)
            stages.damaged += 1
            let formed = wellFormed(input)
            if formed { stages.wellFormed += 1 }
            do {
                try parse(input)
                stages.accepted += 1
                if formed { stages.acceptedWellFormed += 1 }
            } catch {}
        }
        return stages
    }

    /// A body JSONSerialization reads as an object.
    static func isJSON(_ body: [UInt8]) -> Bool { (try? JSONSerialization.jsonObject(with: Data(body))) is [String: Any] }

    /// Well-formed XML, as Foundation's parser says — through `XMLInput`, as the parsers themselves
    /// get there: it refuses what that parser could trap on (invalid UTF-8, NUL) and runs one parse
    /// at a time.
    static func isXML(_ body: [UInt8]) -> Bool {
        // Not `try?`: it flattens "refused" and "parsed" (nil) into the same nil.
        do { return try XMLInput.parse(body, what: "fuzz", delegate: IgnoringDelegate()) == nil } catch { return false }
    }

    final class IgnoringDelegate: NSObject, XMLParserDelegate {}

    /// A real share: at least a tenth of the damaged bodies reach the field stage, and most of
    /// those are accepted (a damaged value — a hostile number, an odd string — is a field to
    /// ignore or clamp, not a reason to refuse the whole answer).
    /// `wellFormedShare`: the share of well-formed damaged bodies that must be accepted (1/2 for
    /// JSON; 1/3 for XML-RPC, where a well-formed answer missing its `<value>` or turned into a
    /// fault is rightly refused — seed 4 gives 318 of 692).
    static func expectARealShare(_ stages: Stages, acceptedAtLeast: Int, wellFormedShare: Int = 2) {
        #expect(stages.wellFormed * 10 >= stages.damaged, "\(stages)")
        #expect(stages.acceptedWellFormed * wellFormedShare >= stages.wellFormed, "\(stages)")
        #expect(stages.accepted >= acceptedAtLeast, "\(stages)")
    }

    /// ±2^62: every integer, date and serial kept from outside (docs/limits.md); `abs` is not used
    /// on what a parser returns, since `abs(Int64.min)` traps.
    static let largest = BoundedNumber.magnitude

    @Test("project JSON: damaged bodies are rejected or parsed into bounded documents, never a trap")
    func projectJSONFuzz() {
        let stages = Self.fuzz(seed: 1, Self.projectJSON, wellFormed: Self.isJSON) { body in
            let parsed = try ProjectMetadata.parse(body, frameworks: ["Django"])
            let d = parsed.document
            // Within bounds: a PEP 503 name, numbers inside ±2^62, derived fields consistent with their source.
            #expect(!d.normalizedName.isEmpty && d.normalizedName == PackageName.normalize(d.normalizedName), "\(d.normalizedName)")
            #expect(!d.normalizedName.hasPrefix("-") && !d.normalizedName.hasSuffix("-"), "\(d.normalizedName)")
            #expect((-Self.largest...Self.largest).contains(parsed.serial) && d.lastSerial == parsed.serial)
            #expect((0...Self.largest).contains(d.uploadTimestamp))
            #expect(d.uploadTimestamp == (parsed.releases.filter { !$0.yanked }.map(\.uploadTimestamp).max() ?? 0))
            for release in parsed.releases {
                #expect((0...Self.largest).contains(release.uploadTimestamp), "\(release)")
            }
            #expect(zip(parsed.releases, parsed.releases.dropFirst()).allSatisfy { $0.uploadTimestamp >= $1.uploadTimestamp }, "newest first")
            #expect(d.frameworkVersions.allSatisfy { $0.first?.isNumber == true }, "\(d.frameworkVersions)")
            #expect(d.pythonVersions.allSatisfy { $0.allSatisfy { $0.isNumber || $0 == "." } }, "\(d.pythonVersions)")
            #expect(d.vulnerabilities.allSatisfy { $0.id.count <= 100 && $0.summary.count <= 300 })
        }
        Self.expectARealShare(stages, acceptedAtLeast: Self.casesPerParser / 10)
    }

    @Test("simple index JSON: damaged listings are rejected or scanned, never a trap")
    func simpleIndexFuzz() {
        let stages = Self.fuzz(seed: 2, Self.simpleIndex, wellFormed: Self.isJSON) { body in
            var scanner = SimpleIndexScanner()
            try scanner.scan(body) { entry in
                #expect(!entry.name.isEmpty)
                #expect((-Self.largest...Self.largest).contains(entry.serial), "\(entry)")
            }
            #expect((-Self.largest...Self.largest).contains(scanner.indexSerial))
        }
        Self.expectARealShare(stages, acceptedAtLeast: Self.casesPerParser / 10)
    }

    @Test("RSS feeds: damaged feeds are rejected or parsed, never a trap")
    func rssFuzz() {
        let stages = Self.fuzz(seed: 3, Self.rss, wellFormed: Self.isXML) { body in
            for item in try RSSFeed.parse(body, newProjects: false) {
                #expect(!item.name.isEmpty)
                #expect((-Self.largest...Self.largest).contains(item.published), "\(item)")
            }
        }
        Self.expectARealShare(stages, acceptedAtLeast: Self.casesPerParser / 20)
    }

    @Test("XML-RPC answers: damaged answers are rejected or parsed, never a trap")
    func xmlrpcFuzz() {
        let stages = Self.fuzz(seed: 4, Self.xmlrpc, wellFormed: Self.isXML) { body in _ = try XMLRPC.parseResponse(body) }
        Self.expectARealShare(stages, acceptedAtLeast: Self.casesPerParser / 20, wellFormedShare: 3)
    }

    @Test("version strings and requirements from upstream: never a trap, and what is parsed is consistent")
    func versionsAndRequirementsFuzz() {
        var g = SeededGenerator(seed: 5)
        let versions = ["1.2.3", "1!2.0.post1.dev3+local.7", "0.1a1", "2024.5.1rc2"]
        let requirements = ["django>=4.2,<6; python_version >= \"3.10\"", "requests[security,socks] (>=2.0) ; extra == 'http'",
                            "pywin32>=300; sys_platform == 'win32'", "Flask_Login"]
        // The undamaged seeds, exactly.
        #expect(PEP440Version.documentFields("1.2.3") == .init(versionMajor: 1, versionMinor: 2, versionBugfix: 3, versionSortable: PEP440Version.sortableKey("1.2.3")))
        #expect(RequirementLine.parse(requirements[0]) == RequirementLine(name: "django", condition: .marker))
        #expect(RequirementLine.parse(requirements[1]) == RequirementLine(name: "requests", condition: .extra))
        #expect(RequirementLine.parse(requirements[2]) == RequirementLine(name: "pywin32", condition: .platform))
        #expect(RequirementLine.parse(requirements[3]) == RequirementLine(name: "flask-login", condition: nil))
        var validVersions = 0, parsedRequirements = 0
        for i in 0..<Self.casesPerParser {
            let version = String(decoding: Hostile.mutate(Array(versions[i % versions.count].utf8), &g), as: UTF8.self)
            let fields = PEP440Version.documentFields(version)
            #expect(fields.versionSortable == PEP440Version.sortableKey(version))
            #expect(fields.versionMajor >= 0 && fields.versionMinor >= 0 && fields.versionBugfix >= 0, "\(version)")
            if fields.versionSortable.hasPrefix("1") {
                // Valid PEP 440 (numbers of any size: past Int it is valid, with clamped fields).
                validVersions += 1
                if let parsed = PEP440Version(version) {
                    // Its normal form is the same version, with the same key.
                    #expect(parsed.sortableKey == fields.versionSortable, "\(version) → \(parsed)")
                    #expect(PEP440Version(parsed.description)?.sortableKey == parsed.sortableKey, "\(version) → \(parsed)")
                }
            } else {
                // Legacy: below every valid version, no version numbers, and no parsed version either.
                #expect(fields.versionSortable == "0" + version)
                #expect(fields.versionMajor == 0 && fields.versionMinor == 0 && fields.versionBugfix == 0)
                #expect(PEP440Version(version) == nil, "\(version) is legacy for the key but parses")
            }
            let line = String(decoding: Hostile.mutate(Array(requirements[i % requirements.count].utf8), &g), as: UTF8.self)
            if let requirement = RequirementLine.parse(line) {
                parsedRequirements += 1
                #expect(!requirement.name.isEmpty && requirement.name == PackageName.normalize(requirement.name), "\(line) → \(requirement)")
                #expect(requirement.name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }, "\(line) → \(requirement)")
                #expect(line.contains(";") || requirement.condition == nil, "\(line) → \(requirement)")
            }
        }
        // Both parsers see a real share of inputs they accept, not only refusals.
        // Seed 5 gives 187 valid versions of 2,000 damaged (short strings rarely survive damage).
        #expect(validVersions * 20 >= Self.casesPerParser, "\(validVersions) valid versions")
        #expect(parsedRequirements * 4 >= Self.casesPerParser, "\(parsedRequirements) requirements parsed")
    }
}
