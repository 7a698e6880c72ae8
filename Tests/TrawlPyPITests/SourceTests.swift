import Foundation
import TestSupport
import Testing
import TrawlCore
@testable import TrawlPyPI

/// The sources on their own: names and globs, requirement parsing, prefix minimization, scanning.
@Suite struct SourceTests {
    @Test func namesSourceMatchesExactNamesAndGlobsAgainstTheIndex() async throws {
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        let profile = Profile(
            key: "plone", name: "Names",
            sources: [PluginSpec(kind: "pypi-names", options: PluginOptions(["names": .strings(["Django_Thing", "collective.addon1*"])]))],
            enrichers: [], origin: ProfileOrigin(path: "test", layer: .dropIn))
        _ = try await h.crawler(.full, profile: profile).run()
        let names = try await h.names()
        try await h.shutdown()
        #expect(names.first == "collective-addon1")
        #expect(names.contains("django-thing"), "exact names in any spelling")
        #expect(names.count == 12)  // addon1, addon10…addon19, django-thing
    }

    @Test func requirementNames() {
        #expect(RequirementLine.parse("Flet[all] (>=0.1) ; extra == \"x\"")?.name == "flet")
        #expect(RequirementLine.parse("zope.interface>=5")?.name == "zope-interface")
        #expect(RequirementLine.parse("  requests")?.name == "requests")
        #expect(RequirementLine.parse(">=1")?.name == nil)
    }

    @Test func classifierPrefixesAreMinimized() {
        #expect(ClassifierSource.minimalPrefixes(["Framework :: Plone :: 6.0", "Framework :: Plone", "Framework :: Plone :: Addon"]) == ["Framework :: Plone"])
        #expect(ClassifierSource.minimalPrefixes(["Framework :: Django :: 5.0", "Framework :: Django :: 4.2"]).count == 2)
    }

    @Test func simpleIndexScannerHandlesEscapesAndSerials() throws {
        let json = #"{"meta":{"_last-serial":42,"api-version":"1.1"},"projects":[{"name":"a\"b","_last-serial":7},{"_last-serial":9,"name":"caf\u00e9"},{"name":"plain"}]}"#
        var scanner = SimpleIndexScanner()
        var entries: [SimpleIndexScanner.Entry] = []
        try scanner.scan(Array(json.utf8)) { entries.append($0) }
        #expect(entries == [.init(name: "a\"b", serial: 7), .init(name: "café", serial: 9), .init(name: "plain", serial: 0)])
        #expect(scanner.indexSerial == 42)
        var truncated = SimpleIndexScanner()
        #expect(throws: SimpleIndexScanner.ScanError.self) { try truncated.scan(Array(json.utf8.dropLast(3))) { _ in } }
    }

    @Test func xmlRPCAndRSSParsing() throws {
        let response = """
            <?xml version='1.0'?><methodResponse><params><param><value><array><data>
            <value><array><data><value><string>pkg</string></value><value><nil/></value><value><int>1700000000</int></value><value>create</value><value><int>12</int></value></data></array></value>
            </data></array></value></param></params></methodResponse>
            """
        let value = try XMLRPC.parseResponse(Array(response.utf8))
        let row = try #require(value.array?.first?.array)
        #expect(row[0] == .string("pkg"))
        #expect(row[1] == .nil)
        #expect(row[3] == .string("create"), "an untyped value is a string")
        #expect(row[4] == .int(12))
        let fault = "<?xml version='1.0'?><methodResponse><fault><value><struct><member><name>faultString</name><value><string>too many</string></value></member></struct></value></fault></methodResponse>"
        #expect(throws: XMLRPC.Fault.self) { try XMLRPC.parseResponse(Array(fault.utf8)) }
        let rss = "<rss><channel><item><title>foo 1.0</title><link>https://x.invalid/project/foo/1.0/</link><pubDate>Tue, 14 Nov 2023 22:13:20 GMT</pubDate></item></channel></rss>"
        #expect(try RSSFeed.parse(Array(rss.utf8), newProjects: false) == [FeedItem(name: "foo", version: "1.0", published: 1_700_000_000)])
    }

    @Test func vulnerabilitiesComeFromTheProjectJSON() throws {
        let body = #"{"info":{"name":"x","version":"1.0","classifiers":[],"requires_python":">=3.10"},"releases":{},"vulnerabilities":[{"aliases":["CVE-2024-1"],"details":"First line.\nMore.","fixed_in":["1.0.1"],"id":"PYSEC-2024-9","link":"https://osv.invalid/PYSEC-2024-9","source":"osv","summary":null,"withdrawn":null},{"id":"PYSEC-2020-1","withdrawn":"2021-01-01T00:00:00Z"},{"no":"id"},7]}"#
        let doc = try ProjectMetadata.parse(Array(body.utf8)).document
        #expect(doc.vulnerabilities == [Vulnerability(id: "PYSEC-2024-9", aliases: ["CVE-2024-1"], summary: "First line.", link: "https://osv.invalid/PYSEC-2024-9", fixedIn: ["1.0.1"])])
        #expect(doc.pythonVersions == ["3.10", "3.11", "3.12", "3.13", "3.14"], "from requires_python when no classifier names a version")
        let odd = #"{"info":{"name":"y","version":"1.0"},"vulnerabilities":{"not":"a list"}}"#
        #expect(try ProjectMetadata.parse(Array(odd.utf8)).document.vulnerabilities.isEmpty)
    }

    @Test func pythonVersionsFromRequiresPython() {
        #expect(PythonVersions.allowed(by: ">=3.8, <3.11") == ["3.8", "3.9", "3.10"])
        #expect(PythonVersions.allowed(by: "~=3.9") == ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"])
        #expect(PythonVersions.allowed(by: ">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*, <3.6") == ["2.7", "3.4", "3.5"])
        #expect(PythonVersions.allowed(by: ">=3.9.1") == ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"], "some 3.9 release qualifies")
        #expect(PythonVersions.allowed(by: "==3.12.*") == ["3.12"])
        #expect(PythonVersions.allowed(by: "<3") == ["2.7"])
        #expect(PythonVersions.allowed(by: "").isEmpty)
        #expect(PythonVersions.allowed(by: "banana").isEmpty)
        #expect(PythonVersions.allowed(by: ">=3.99999999999999999999").isEmpty)
    }

    @Test func metadataEdgeCases() throws {
        let body = #"{"info":{"name":"x","version":"2.0","keywords":"a b  c","classifiers":["Framework :: Django :: 5.0","Framework :: Wagtail :: 6","Programming Language :: Python :: 3 :: Only","Programming Language :: Python :: 3.12","License :: OSI Approved :: BSD License"],"license":null,"author":"","author_email":"\"Jo Bloggs\" <jo@x.invalid>","project_urls":{"Documentation":"https://docs.x.invalid","Bad":null}},"releases":{"1.0":[{"upload_time_iso_8601":"2020-01-01T00:00:00Z","yanked":false}],"2.0":[{"upload_time_iso_8601":"2021-01-01T00:00:00.5Z","yanked":true}],"3.0a1":[]}}"#
        let parsed = try ProjectMetadata.parse(Array(body.utf8), frameworks: ["Django"])
        #expect(parsed.document.keywords == ["a", "b", "c"])
        #expect(parsed.document.frameworkVersions == ["5.0"])
        #expect(parsed.document.pythonVersions == ["3.12"])
        #expect(parsed.document.license == "BSD License")
        #expect(parsed.document.author == "Jo Bloggs")
        #expect(parsed.document.docsURL == "https://docs.x.invalid")
        #expect(parsed.releases.map(\.version) == ["2.0", "1.0"], "a release without files is not listed")
        #expect(parsed.document.uploadTimestamp == 1_577_836_800, "the latest non-yanked release")
        #expect(parsed.document.yanked)
        #expect(ProjectMetadata.keywords("django, rest api,  json") == ["django", "rest api", "json"])
        #expect(throws: ProjectMetadata.ParseError.self) { try ProjectMetadata.parse(Array("[]".utf8)) }
    }
}
