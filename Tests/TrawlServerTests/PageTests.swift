import Foundation
import Testing

/// The server-rendered page: content, accessibility basics and XSS safety.
@Suite struct PageTests {
    @Test func homeListsResultsWithFacetsAndPages() async throws {
        try await ServerHarness.with { server in
            let reply = try await server.get("/?collection=django")
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(reply.headers["content-security-policy"]?.contains("default-src 'none'") == true)
            let html = reply.body
            #expect(html.contains("<title>Django packages — Trawl</title>"))
            #expect(html.contains("<label for=\"q\">"))
            #expect(html.contains("href=\"/packages/djangorestframework?collection=django-1\""))
            #expect(html.contains("Framework version"))
            #expect(html.contains("rel=\"next\""), "36 packages: more than one page")
            let results = try await server.get("/?collection=django&q=djnago+rest&sort=stars")
            #expect(results.body.contains("<title>“djnago rest” — Django packages — Trawl</title>"))
            #expect(results.body.contains("djangorestframework"))
            let filtered = try await server.get("/?collection=django&official=true&framework_version=5.0")
            #expect(filtered.body.contains("channels"))
            #expect(!filtered.body.contains("djangorestframework"))
            #expect(try await server.get("/?collection=none").status == 404)
        }
    }

    @Test func packagePageShowsMetadataAndReadme() async throws {
        try await ServerHarness.with { server in
            let reply = try await server.get("/packages/djangorestframework?collection=django")
            #expect(reply.status == 200)
            let html = reply.body
            #expect(html.contains("<title>djangorestframework 1.2.0 — Django packages — Trawl</title>"))
            #expect(html.contains("<h3>Django REST framework</h3>"))
            #expect(html.contains("<strong>Web APIs</strong>"))
            #expect(html.contains("<a href=\"https://www.django-rest-framework.org/\" rel=\"nofollow noopener noreferrer\">the docs</a>"))
            #expect(html.contains("Health score: 92/100"))
            #expect(html.contains("1.1.0 (yanked)"))
            let rst = try await server.get("/packages/django-filter?collection=django").body
            // reStructuredText is rendered, not shown raw; the repository link appears once; the
            // advisory the index lists is shown, escaped.
            #expect(rst.contains("<h3>Django-filter</h3>\n<p>A generic system for filtering Django QuerySets.</p>"))
            #expect(rst.components(separatedBy: "github.com/example/django-filter").count == 2, "one link to the repository")
            #expect(rst.contains("Known vulnerabilities"))
            #expect(rst.contains("<a href=\"https://osv.invalid/PYSEC-2024-7\" rel=\"nofollow noopener noreferrer\">PYSEC-2024-7</a> (CVE-2024-0007): Filter &lt;input&gt; is not escaped — fixed in 1.2.1"))
            #expect(try await server.get("/packages/nope?collection=django").status == 404)
        }
    }

    @Test func packageTextNeverBecomesMarkup() async throws {
        try await ServerHarness.with { server in
            let html = try await server.get("/packages/django-evil?collection=django").body
            #expect(!html.contains("<script"), "no script element from a package")
            #expect(!html.contains("<img src=x"), "no raw image tag")
            #expect(!html.contains("href=\"javascript"))
            #expect(!html.contains("<b>Bold</b>"))
            #expect(html.contains("&lt;script&gt;document.title="))
            #expect(html.contains("onerror=&quot;") , "onerror shows as text")
            #expect(Self.eventHandlerAttributes(html).isEmpty, "never an attribute: \(Self.eventHandlerAttributes(html))")
            let home = try await server.get("/?collection=django&q=evil").body
            #expect(!home.contains("<script"))
            #expect(home.contains("&lt;b&gt;Bold&lt;/b&gt;"))
            let reflected = try await server.get("/?collection=django&q=%3Cscript%3Ealert(1)%3C/script%3E").body
            #expect(!reflected.contains("<script"), "the query is escaped too")
        }
    }

    /// Real tags (a `<` followed by a letter) that carry an `on…=` event handler attribute.
    static func eventHandlerAttributes(_ html: String) -> [String] {
        var found: [String] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            let after = rest.index(after: open)
            guard after < rest.endIndex else { break }
            let close = rest[after...].firstIndex(of: ">") ?? rest.endIndex
            let tag = rest[open..<close]
            if rest[after].isLetter, tag.range(of: #"\son[a-z]+\s*="#, options: [.regularExpression, .caseInsensitive]) != nil {
                found.append(String(tag))
            }
            rest = rest[after...]
        }
        return found
    }
}
