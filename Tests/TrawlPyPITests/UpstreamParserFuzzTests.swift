import Foundation
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

    /// Runs `parse` over the seed and `casesPerParser` damaged copies of it; counts accepted bodies.
    static func fuzz(seed: UInt64, _ body: String, _ parse: ([UInt8]) throws -> Void) -> (accepted: Int, rejected: Int) {
        var g = SeededGenerator(seed: seed)
        var accepted = 0, rejected = 0
        let original = Array(body.utf8)
        for i in 0...casesPerParser {
            let input = i == 0 ? original : Hostile.mutate(original, &g)
            do { try parse(input); accepted += 1 } catch { rejected += 1 }
        }
        return (accepted, rejected)
    }

    @Test("project JSON: damaged bodies are rejected or parsed into bounded documents, never a trap")
    func projectJSONFuzz() {
        let result = Self.fuzz(seed: 1, Self.projectJSON) { body in
            let parsed = try ProjectMetadata.parse(body, frameworks: ["Django"])
            #expect(!parsed.document.normalizedName.isEmpty)
            for release in parsed.releases { _ = release.version }
        }
        #expect(result.accepted > 0 && result.rejected > 0, "\(result)")
    }

    @Test("simple index JSON: damaged listings are rejected or scanned, never a trap")
    func simpleIndexFuzz() {
        let result = Self.fuzz(seed: 2, Self.simpleIndex) { body in
            var scanner = SimpleIndexScanner()
            var names = 0
            try scanner.scan(body) { _ in names += 1 }
        }
        #expect(result.accepted > 0, "\(result)")
    }

    @Test("RSS feeds: damaged feeds are rejected or parsed, never a trap")
    func rssFuzz() {
        let result = Self.fuzz(seed: 3, Self.rss) { body in _ = try RSSFeed.parse(body, newProjects: false) }
        #expect(result.accepted > 0 && result.rejected > 0, "\(result)")
    }

    @Test("XML-RPC answers: damaged answers are rejected or parsed, never a trap")
    func xmlrpcFuzz() {
        let result = Self.fuzz(seed: 4, Self.xmlrpc) { body in _ = try XMLRPC.parseResponse(body) }
        #expect(result.accepted > 0 && result.rejected > 0, "\(result)")
    }

    @Test("version strings and requirements from upstream never trap the PEP 440 and PEP 508 parsers")
    func versionsAndRequirementsFuzz() {
        var g = SeededGenerator(seed: 5)
        let seeds = ["1.2.3", "1!2.0.post1.dev3+local.7", "0.1a1", "2024.5.1rc2", "django>=4.2,<6; python_version >= \"3.10\"",
                     "requests[security,socks] (>=2.0) ; extra == 'http'"]
        for i in 0..<Self.casesPerParser {
            let text = String(decoding: Hostile.mutate(Array(seeds[i % seeds.count].utf8), &g), as: UTF8.self)
            if let version = PEP440Version(text) { _ = version.sortableKey }
            _ = PEP440Version.sortableKey(text)
            _ = PEP440Version.documentFields(text)
            _ = RequirementLine.parse(text)
        }
    }
}
