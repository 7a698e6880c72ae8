import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TestSupport
import Testing
import TrawlCore
import TrawlPyPI

/// Atom feeds of a collection: valid Atom 1.0 (Foundation's parser here; feedparser and a strict
/// XML parser through the test Python), every field escaped, ids stable between fetches.
@Suite struct FeedTests {
    static let hostileSummary = "<script>alert(1)</script> & \"quotes\" 'apostrophes' \u{1}\u{8} ]]> <![CDATA[ x"

    final class Collector: NSObject, XMLParserDelegate {
        var entries = 0
        var ids: [String] = []
        var text = ""
        var summaries: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "entry" { entries += 1 }
            text = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "id" { ids.append(text) }
            if name == "summary" { summaries.append(text) }
        }
    }

    @Test func feedsAreWellFormedEscapedAndStable() async throws {
        try await ServerHarness.with { server in
            try await server.store.upsert([Fixtures.doc("django-hostile-feed", summary: Self.hostileSummary, uploaded: Fixtures.now + 10)], collection: "django-1")
            for path in ["/feeds/django/new.atom", "/feeds/django/releases.atom", "/feeds/django/search.atom?q=hostile&python_version=3.12"] {
                let reply = try await server.get(path)
                #expect(reply.status == 200, "\(path): \(reply.body.prefix(200))")
                #expect(reply.headers["content-type"]?.hasPrefix("application/atom+xml") == true)
                #expect(!reply.body.contains("<script>"), "\(path): markup from a package reached the feed unescaped")
                let collector = Collector()
                let failure = try XMLInput.parse(Array(reply.body.utf8), what: path, delegate: collector)
                #expect(failure == nil, "\(path): not well-formed: \(failure ?? "")")
                #expect(collector.entries > 0, "\(path)")
                #expect(Set(collector.ids).count == collector.ids.count, "\(path): ids are unique")
                // The hostile summary comes back as text, minus the characters XML cannot carry.
                #expect(collector.summaries.contains("<script>alert(1)</script> & \"quotes\" 'apostrophes'  ]]> <![CDATA[ x"), "\(path)")
                let again = try await server.get(path)
                #expect(again.body == reply.body, "\(path): the same feed twice")
            }
            let releases = try await server.get("/feeds/django/releases.atom").body
            #expect(releases.contains("<id>tag:trawl.invalid,2026:django/release/django-hostile-feed/1.2.0</id>"))
            #expect(try await server.get("/feeds/django/other.atom").status == 404)
            #expect(try await server.get("/feeds/nope/new.atom").status == 404)
        }
    }

    @Test func privateFeedsNeedAKey() async throws {
        try await ServerHarness.with(isPrivate: true) { server in
            let anonymous = try await server.get("/feeds/django/new.atom")
            #expect(anonymous.status == 401)
            let admin = try await server.get("/feeds/django/new.atom", key: ServerHarness.adminKey)
            #expect(admin.status == 200)
        }
    }

    @Test func feedparserAcceptsTheFeeds() async throws {
        guard await Subprocess.pythonHas("feedparser"), let python = Python.executable else {
            return Subprocess.missing("the test Python with feedparser (pip install feedparser)")
        }
        try await ServerHarness.with { server in
            try await server.store.upsert([Fixtures.doc("django-hostile-feed", summary: Self.hostileSummary)], collection: "django-1")
            let script = Subprocess.repositoryRoot.appendingPathComponent("Tests/Scripts/atom_check.py").path
            let urls = ["/feeds/django/new.atom", "/feeds/django/releases.atom", "/feeds/django/search.atom?q=django&sort=stars"].map { server.baseURL + $0 }
            let result = try await Subprocess.run(python, [script] + urls)
            #expect(result.status == 0, "\(result.output)")
        }
    }
}
