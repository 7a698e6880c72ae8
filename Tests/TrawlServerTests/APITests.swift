import Foundation
import Testing
import TrawlCore

/// `/api/v1`, `/healthz`, `/metrics`, `/openapi.yaml` against a live server.
@Suite struct APITests {
    @Test func profilesAndHealth() async throws {
        try await ServerHarness.with { server in
            let health = try await server.get("/healthz")
            #expect(health.status == 200)
            #expect(try health.json()["ok"] as? Bool == true)
            let profiles = try await server.get("/api/v1/profiles").json().array("profiles")
            #expect(profiles.map { $0["key"] as? String } == ["django", "flask"])
            #expect(profiles.first?["collection"] as? String == "django-1", "the alias resolves")
            #expect(profiles.first?["documents"] as? Int == Fixtures.django.count)
        }
    }

    @Test func searchThroughAliasWithFacetsSortAndPages() async throws {
        try await ServerHarness.with { server in
            let reply = try await server.get("/api/v1/django/packages?q=django+rest")
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true)
            let json = try reply.json()
            #expect(json["collection"] as? String == "django-1")
            #expect(json.array("packages").first?["name"] as? String == "djangorestframework")
            #expect(!reply.body.contains("\\/"), "no escaped slashes")
            let facets = json.object("facets")
            #expect(facets["framework_versions"] != nil)

            let byStars = try await server.get("/api/v1/django/packages?sort=stars&per_page=3").json()
            #expect(byStars.array("packages").map { $0["name"] as? String } == ["djangorestframework", "django-debug-toolbar", "channels"])
            #expect(byStars["found"] as? Int == Fixtures.django.count)
            let ascending = try await server.get("/api/v1/django/packages?sort=stars&order=asc&per_page=1").json()
            #expect(ascending.array("packages").first?["github_stars"] as? Int == 0)
            let byName = try await server.get("/api/v1/django/packages?sort=name&per_page=2&page=2").json()
            #expect(byName.array("packages").map { $0["name"] as? String } == ["django-addon-01", "django-addon-02"])
            let trending = try await server.get("/api/v1/django/packages?sort=trending&per_page=1").json()
            #expect(trending.array("packages").first?["name"] as? String == "django-debug-toolbar")
            for sort in ["relevance", "downloads", "updated", "health", "newest"] {
                #expect(try await server.get("/api/v1/django/packages?sort=\(sort)").status == 200)
            }
        }
    }

    @Test func typoTolerantSearch() async throws {
        try await ServerHarness.with { server in
            let json = try await server.get("/api/v1/django/packages?q=djnago%20rest").json()
            #expect(json.array("packages").first?["name"] as? String == "djangorestframework", "\(json)")
            let misspelt = try await server.get("/api/v1/django/packages?q=chanels").json()
            #expect(misspelt.array("packages").first?["name"] as? String == "channels")
            let nothing = try await server.get("/api/v1/django/packages?q=zzqxv").json()
            #expect(nothing["found"] as? Int == 0)
        }
    }

    /// `explain=true` says per hit why it ranks there; without it the answer carries no reasons.
    @Test func explainSaysWhyAHitRanksWhereItDoes() async throws {
        try await ServerHarness.with { server in
            let json = try await server.get("/api/v1/django/packages?q=channels&explain=true").json()
            let first = try #require(json.array("packages").first)
            #expect(first["name"] as? String == "channels")
            let why = first.object("explain")
            #expect(why["tier"] as? String == "exact_name")
            #expect(why["level"] as? Int == 14)
            #expect(why["field"] as? String == "name")
            #expect(why["typo"] as? Bool == false)
            #expect(why["download_last_month"] as? Int == first["download_last_month"] as? Int)
            let levels = json.array("packages").compactMap { $0.object("explain")["level"] as? Int }
            #expect(levels == levels.sorted(by: >), "levels never rise down the list: \(levels)")
            let misspelt = try await server.get("/api/v1/django/packages?q=chanels&explain=true").json()
            #expect(misspelt.array("packages").first?.object("explain")["typo"] as? Bool == true)
            #expect(misspelt.array("packages").first?.object("explain")["level"] as? Int == 13)
            let plain = try await server.get("/api/v1/django/packages?q=channels").json()
            #expect(plain.array("packages").first?["explain"] == nil)
            #expect(try await server.get("/api/v1/django/packages?q=channels&explain=maybe").status == 400)
        }
    }

    @Test func filters() async throws {
        try await ServerHarness.with { server in
            func names(_ query: String) async throws -> Set<String> {
                let json = try await server.get("/api/v1/django/packages?per_page=250&\(query)").json()
                return Set(json.array("packages").compactMap { $0["name"] as? String })
            }
            #expect(try await names("official=true") == ["django-debug-toolbar", "channels"])
            #expect(try await names("verified=true") == ["djangorestframework"])
            #expect(try await names("min_health=85") == ["djangorestframework", "django-filter", "django-cors-headers"])
            #expect(try await names("classifier=Framework%20::%20Django%20::%205.0") == ["djangorestframework", "django-filter"])
            #expect(try await names("framework_version=4.2&official=true") == ["django-debug-toolbar"])
            let either = try await names("framework_version=4.2&framework_version=5.0")
            #expect(either.count == Fixtures.django.count, "values of one filter are alternatives")
            #expect(try await names("has_github=false").contains("django-evil"))
            #expect(try await names("python_version=3.10") == ["djangorestframework"])
        }
    }

    @Test func errorsAreTypesenseShaped() async throws {
        try await ServerHarness.with { server in
            for (path, status) in [
                ("/api/v1/nope/packages", 404), ("/api/v1/django/packages?per_page=251", 400), ("/api/v1/django/packages?sort=bogus", 400),
                ("/api/v1/django/packages?official=maybe", 400), ("/api/v1/django/packages/not-there", 404), ("/no/such/route", 404),
                ("/api/v1/django/packages?facet=readme", 400),
            ] {
                let reply = try await server.get(path)
                #expect(reply.status == status, "\(path)")
                #expect(try reply.json()["message"] is String, "\(path): \(reply.body)")
            }
        }
    }

    @Test func packageWithReleasesAndProblems() async throws {
        try await ServerHarness.with { server in
            let json = try await server.get("/api/v1/django/packages/Channels").json()
            #expect(json.object("document")["name"] as? String == "channels")
            #expect(json.array("releases").map { $0["version"] as? String } == ["1.2.0", "1.1.0"])
            #expect(json.array("releases").last?["yanked"] as? Bool == true)
            #expect(json.array("problems").first?["kind"] as? String == "github-404")
        }
    }

    @Test func privateServerNeedsAKey() async throws {
        try await ServerHarness.with(isPrivate: true) { server in
            #expect(try await server.get("/api/v1/django/packages").status == 401)
            #expect(try await server.get("/api/v1/profiles").status == 401)
            #expect(try await server.get("/").status == 401)
            #expect(try await server.get("/api/v1/django/packages", key: ServerHarness.adminKey).status == 200)
            _ = try await server.store.createAPIKey(value: "flask-only-key", scope: .search, collections: ["flask"], description: "")
            #expect(try await server.get("/api/v1/flask/packages", key: "flask-only-key").status == 200)
            #expect(try await server.get("/api/v1/django/packages", key: "flask-only-key").status == 401)
            #expect(try await server.get("/?collection=flask&x-typesense-api-key=flask-only-key").status == 200)
            #expect(try await server.get("/healthz").status == 200, "health stays open")
        }
    }

    @Test func metricsCountRequestsAndCollections() async throws {
        try await ServerHarness.with { server in
            _ = try await server.get("/api/v1/django/packages?q=django")
            let metrics = try await server.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.body.contains("trawl_http_requests_total"))
            #expect(metrics.body.contains("route=\"api_search\""))
            #expect(metrics.body.contains("trawl_http_request_duration_seconds"))
            #expect(metrics.body.contains("trawl_collection_documents{collection=\"django-1\"} \(Fixtures.django.count)"))
            #expect(metrics.body.contains("trawl_collection_problems{collection=\"django-1\"} 1"))
            #expect(metrics.body.contains("trawl_collection_pending{collection=\"django-1\"} 0"))
            var pending = PendingPackages()
            pending.failed("django-late", reason: "pypi-http", now: 1)
            pending.failed("django-later", reason: PendingPackage.rateLimited, now: 1)
            try await pending.save(to: server.store, collection: "django-1")
            let after = try await server.get("/metrics")
            #expect(after.body.contains("trawl_collection_pending{collection=\"django-1\"} 2"), "\(after.body)")
        }
    }

    @Test func openAPIIsTheRepositoryFile() async throws {
        try await ServerHarness.with { server in
            let reply = try await server.get("/openapi.yaml")
            #expect(reply.status == 200)
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let file = try String(contentsOf: root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
            #expect(reply.body == file, "Sources/TrawlServer/OpenAPI/OpenAPIDocument.swift must equal openapi.yaml")
        }
    }
}
