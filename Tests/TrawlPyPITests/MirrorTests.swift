import Foundation
import TestSupport
import Testing
import TrawlCore
@testable import TrawlPyPI

/// Indexes other than the public one: PEP 503 HTML-only mirrors, devpi's `+simple`, mirrors
/// without the JSON API, and simple-index answers that list nothing.
@Suite struct MirrorTests {
    @Test func anHTMLOnlyMirrorIsScannedLikeTheJSONIndex() async throws {
        let json = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        _ = try await json.crawler(.full, discovery: .scan).run()
        let expected = try await json.names()
        try await json.shutdown()

        let html = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        html.fake.serveMirror(.html)
        let summary = try await html.crawler(.full, discovery: .scan).run()
        let names = try await html.names()
        let paths = html.fake.server.receivedPaths
        try await html.shutdown()
        #expect(!expected.isEmpty)
        #expect(names == expected, "the same packages from the HTML listing")
        #expect(summary.discovered == expected.count)
        #expect(paths.contains("/simple/"))
    }

    @Test func theClientReadsHTMLAndJSONListingsAndProjectPages() async throws {
        let fake = try await FakePyPI.start([.init(name: "Zope.Interface", versions: ["5.0", "6.0"]), .init(name: "plone_api")])
        // One attempt and a long timeout (`TestTimeouts`): at the start of a full parallel run on 2
        // cores a 5 s read timeout was reached once in CI before the fake got the CPU to answer.
        let http = HTTPFetcher(configuration: .init(retry: RetryPolicy(maxAttempts: 1), requestTimeout: TestTimeouts.request, connectTimeout: TestTimeouts.connect))
        let client = PyPIClient(http: http, baseURL: fake.baseURL)
        for format in [FakePyPI.SimpleFormat.json, .html] {
            fake.serveMirror(format)
            var names: [String] = []
            let serial = try await client.simpleIndex { names.append($0.name) }
            #expect(Set(names.map(PackageName.normalize)) == ["zope-interface", "plone-api"], "\(format)")
            #expect(serial > 0, "the serial comes from the JSON meta or the X-PyPI-Last-Serial header")
            let files = try #require(try await client.simpleProject("zope.interface"))
            #expect(files.map(\.filename) == ["zope_interface-5.0.tar.gz", "zope_interface-6.0.tar.gz"], "\(format)")
            #expect(files.first?.requiresPython == ">=3.9")
            #expect(try await client.simpleProject("no-such-project") == nil)
        }
        try await http.shutdown()
        try await fake.shutdown()
    }

    @Test func aListingWithNoProjectIsAnError() async throws {
        let fake = try await FakePyPI.start([.init(name: "a")])
        let http = HTTPFetcher(configuration: .init(retry: RetryPolicy(maxAttempts: 1), requestTimeout: TestTimeouts.request, connectTimeout: TestTimeouts.connect))
        let client = PyPIClient(http: http, baseURL: fake.baseURL)
        let answers: [(String, String)] = [
            ("<html><body><h1>Welcome to our proxy</h1><a href=\"/login\">Log in first</a></body></html>", "text/html"),
            (#"{"meta": {"api-version": "1.1"}, "projects": []}"#, "application/vnd.pypi.simple.v1+json"),
            ("User-agent: *\nDisallow: /", "text/plain"),
        ]
        for (body, type) in answers {
            fake.serveMirror(.raw(body, contentType: type))
            await #expect(throws: PyPIError.self, "\(type): \(body.prefix(30))") { _ = try await client.simpleIndex { _ in } }
            do { _ = try await client.simpleIndex { _ in } } catch {
                #expect("\(error)".contains("\(fake.baseURL)/simple/"), "the message names the index: \(error)")
            }
        }
        try await http.shutdown()
        try await fake.shutdown()
    }

    @Test func aDevpiIndexWithoutJSONStopsTheScanSayingWhy() async throws {
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        h.fake.serveMirror(.html, root: "/root/pypi/+simple/", jsonAPI: false)
        let configured = PyPIIndexResolver.normalize(h.fake.baseURL + "/root/pypi/+simple/")
        let client = PyPIClient(http: h.http, baseURL: configured)
        #expect(client.simpleURL == h.fake.baseURL + "/root/pypi/+simple/")
        #expect(client.baseURL == h.fake.baseURL + "/root/pypi")
        var count = 0
        _ = try await client.simpleIndex { _ in count += 1 }
        #expect(count == CrawlHarness.sampleProjects().count)
        guard case .failed(let kind, let message) = await client.project("plone.app.example", etag: nil) else {
            Issue.record("a missing JSON API is not a 404 (a refresh would remove the package)")
            return
        }
        #expect(kind == "pypi-no-json-api")
        #expect(message.contains("has no JSON API") && message.contains("TRAWL_PYPI_URL"), "\(message)")

        let devpi = CrawlHarness(fake: h.fake, store: h.store, http: h.http,
                                 config: TrawlConfig(environment: ["TRAWL_PYPI_URL": h.fake.baseURL + "/root/pypi/+simple/"]), registry: h.registry)
        do {
            _ = try await devpi.crawler(.full, discovery: .scan).run()
            Issue.record("a scan over an index without JSON must stop")
        } catch {
            #expect("\(error)".contains("has no JSON API"), "\(error)")
        }
        try await h.shutdown()
    }

    @Test func aProjectGoneFromAFullIndexIsStillNotFound() async throws {
        let fake = try await FakePyPI.start([.init(name: "kept")])
        let http = HTTPFetcher(configuration: .init(retry: RetryPolicy(maxAttempts: 1), requestTimeout: TestTimeouts.request, connectTimeout: TestTimeouts.connect))
        let client = PyPIClient(http: http, baseURL: fake.baseURL)
        let result = await client.project("gone", etag: nil)
        try await http.shutdown()
        guard case .notFound = result else {
            Issue.record("a 404 for a project the simple index does not list either is a plain 404, not \(result)")
            return
        }
        try await fake.shutdown()
    }

    @Test func indexURLsAreLocated() {
        #expect(PyPIIndexResolver.locate("https://mirror.invalid/simple/") == (base: "https://mirror.invalid", simple: "https://mirror.invalid/simple/"))
        #expect(PyPIIndexResolver.locate("https://mirror.invalid/repository/pypi-proxy/simple") == (base: "https://mirror.invalid/repository/pypi-proxy", simple: "https://mirror.invalid/repository/pypi-proxy/simple/"))
        #expect(PyPIIndexResolver.locate("http://devpi.invalid:3141/root/pypi/+simple/") == (base: "http://devpi.invalid:3141/root/pypi", simple: "http://devpi.invalid:3141/root/pypi/+simple/"))
        #expect(PyPIIndexResolver.locate("https://mirror.invalid") == (base: "https://mirror.invalid", simple: "https://mirror.invalid/simple/"))
    }

    /// What this checks is what the reader returns from hostile pages, not how long it takes (no
    /// timing assertion: a loaded machine is slow, not wrong; a quadratic reader shows as this test
    /// taking minutes, not as a failure). The name once said "linear time", which it never measured.
    @Test func hostileHTMLYieldsTheRealLinksAndOnlyThose() {
        // An unclosed tag, a giant attribute, thousands of "<a" with no end, entities, and names that are not names.
        var names: [String] = []
        let page = "<a href=\"/simple/ok/\">ok</a>" + "<a href='x' data-x=\"" + String(repeating: "A", count: 200_000) + "\">big-one</a>"
            + String(repeating: "<a <a ", count: 50_000) + "<a>after</a>"
        SimpleIndexHTML.projects(Array(page.utf8)) { names.append($0) }
        #expect(names.first == "ok")
        #expect(names.contains("big-one"))
        var odd: [String] = []
        SimpleIndexHTML.projects(Array("<A HREF=/simple/x/>caf&#233;</A><a href=\"/simple/foo-bar/\">  foo&#x2D;bar </a><a href=\"/\">Back to top</a><a href=\"/simple/only-href/\"></a><a href=\"x\">&lt;script&gt;</a><a".utf8)) { odd.append($0) }
        #expect(odd == ["foo-bar", "only-href"], "\(odd)")
        let files = SimpleIndexHTML.files(Array("<a href=\"../f-1.0.tar.gz#sha256=ab\" data-requires-python=\"&gt;=3.8\" data-yanked=\"\">f-1.0.tar.gz</a>".utf8))
        #expect(files == [SimpleIndexFile(filename: "f-1.0.tar.gz", url: "../f-1.0.tar.gz#sha256=ab", requiresPython: ">=3.8", yanked: true)])
    }
}
