import Foundation
import Testing
import TrawlCore

/// Packages side by side, the same table through the API and the page: rows from the stored
/// documents, the health rule points, missing names reported, bounds on the request.
@Suite struct CompareTests {
    static func documents() -> [StoredPackage] {
        var a = Fixtures.doc("cmp-alpha", summary: "Alpha", stars: 1_200, downloads: 50_000, health: 80, frameworks: ["5.2"], pythons: ["3.12", "3.13"])
        a.document.license = "BSD-3-Clause"
        a.document.healthScoreBreakdown = ["maintained": HealthRuleResult(points: 20, max: 25, why: "pushed 40 days ago"),
                                           "docs": HealthRuleResult(points: 10, max: 10, why: "has docs")]
        a.document.githubOpenIssues = 7
        a.document.requiresDist = ["cmp-beta>=1"]
        var b = Fixtures.doc("cmp-beta", summary: "Beta <b>bold</b>", stars: 3, downloads: 10, health: 20, frameworks: ["4.2"], github: false)
        b.document.githubArchived = true
        b.document.classifiers = ["Development Status :: 7 - Inactive"]
        b.document.vulnerabilities = [Vulnerability(id: "PYSEC-2024-1")]
        return [a, b]
    }

    @Test func apiComparesStoredDocumentsInTheOrderAsked() async throws {
        try await ServerHarness.with { server in
            try await server.store.upsert(Self.documents(), collection: "django-1")
            let reply = try await server.get("/api/v1/django/compare?names=CMP_Beta,cmp-alpha,cmp-missing")
            #expect(reply.status == 200, "\(reply.body)")
            let json = try reply.json()
            #expect(json["packages"] as? [String] == ["cmp-beta", "cmp-alpha"])
            #expect(json["missing"] as? [String] == ["cmp-missing"])
            let rows = Dictionary(uniqueKeysWithValues: (json["rows"] as? [[String: Any]] ?? []).map { ($0["key"] as? String ?? "", $0["values"] as? [String] ?? []) })
            #expect(rows["version"] == ["1.2.0", "1.2.0"])
            #expect(rows["framework_versions"] == ["4.2", "5.2"])
            #expect(rows["python_versions"]?[1] == "3.12, 3.13")
            #expect(rows["license"]?[1] == "BSD-3-Clause")
            #expect(rows["github_stars"] == ["–", "1,200"], "no repository: a dash, not 0")
            #expect(rows["github_open_issues"]?[1] == "7")
            #expect(rows["download_last_month"] == ["10", "50,000"])
            #expect(rows["health_score"]?[1] == "80/100 — maintained 20/25, docs 10/10", "\(rows["health_score"] ?? [])")
            #expect(rows["vulnerabilities"] == ["1: PYSEC-2024-1", "none"])
            #expect(rows["status"]?[0].contains("archived") == true)
            #expect(rows["status"]?[0].contains("inactive") == true)
            #expect(rows["status"]?[1] == "no")
            #expect(rows["dependents"] == ["1", "0"], "cmp-alpha requires cmp-beta")
            // The package API and page say who uses a package in the ecosystem.
            let beta = try await server.get("/api/v1/django/packages/cmp-beta").json()
            #expect((beta["dependents"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["cmp-alpha"])
            let alpha = try await server.get("/api/v1/django/packages/cmp-alpha").json()
            #expect((alpha["dependencies"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["cmp-beta"])
            let page = try await server.get("/packages/cmp-beta?collection=django")
            #expect(page.body.contains("Used by 1 package of this ecosystem"), "\(page.body.prefix(2000))")
        }
    }

    @Test func pageShowsTheTableEscapedAndWorksFromRepeatedParameters() async throws {
        try await ServerHarness.with { server in
            try await server.store.upsert(Self.documents(), collection: "django-1")
            let page = try await server.get("/compare?collection=django&p=cmp-alpha&p=cmp-beta")
            #expect(page.status == 200)
            #expect(page.body.contains("<th scope=\"col\"><a href=\"/packages/cmp-alpha?collection=django-1\">cmp-alpha</a></th>"), "\(page.body.prefix(3000))")
            #expect(page.body.contains("<td>80/100 — maintained 20/25, docs 10/10</td>"))
            #expect(page.body.contains("<td>1: PYSEC-2024-1</td>"))
            let home = try await server.get("/?collection=django&q=cmp")
            #expect(home.body.contains("<input type=\"checkbox\" name=\"p\" value=\"cmp-alpha\" form=\"compare\">"), "the results build the compare link without JavaScript")
            #expect(home.body.contains("<form id=\"compare\" class=\"compare\" method=\"get\" action=\"/compare\">"))
        }
    }

    @Test func boundsAndErrors() async throws {
        try await ServerHarness.with { server in
            #expect(try await server.get("/api/v1/django/compare").status == 400)
            let eleven = (0..<11).map { "p\($0)" }.joined(separator: ",")
            let tooMany = try await server.get("/api/v1/django/compare?names=\(eleven)")
            #expect(tooMany.status == 400)
            #expect(try tooMany.json()["message"] as? String == "At most 10 packages can be compared; 11 were asked for.")
            #expect(try await server.get("/api/v1/nope/compare?names=a").status == 404)
            #expect(try await server.get("/compare?collection=django").status == 400)
        }
    }
}
