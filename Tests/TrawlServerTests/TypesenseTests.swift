import Foundation
import Testing

/// The Typesense-compatible endpoints: shapes, auth rules and errors.
@Suite struct TypesenseTests {
    let admin = ServerHarness.adminKey

    @Test func searchHasTypesenseShape() async throws {
        try await ServerHarness.with { server in
            let path = "/collections/django/documents/search?q=django&query_by=name,summary&facet_by=framework_versions&filter_by=github_stars:%3E1000%20%26%26%20is_official:false&sort_by=github_stars:desc&per_page=2&exclude_fields=description"
            let reply = try await server.get(path, key: admin)
            #expect(reply.status == 200, "\(reply.body)")
            let json = try reply.json()
            #expect(json["found"] as? Int == 3)
            #expect(json["out_of"] as? Int == Fixtures.django.count)
            #expect(json["page"] as? Int == 1)
            let hits = json.array("hits")
            #expect(hits.count == 2)
            let document = hits.first?.object("document") ?? [:]
            #expect(document["id"] as? String == "djangorestframework")
            #expect(document["description"] == nil, "exclude_fields")
            #expect(hits.first?["text_match"] is Int)
            let highlight = hits.first?.array("highlights").first
            #expect(highlight?["field"] as? String == "name" || highlight?["field"] as? String == "summary")
            let facet = json.array("facet_counts").first
            #expect(facet?["field_name"] as? String == "framework_versions")
            #expect(facet?.array("counts").contains { $0["value"] as? String == "5.0" } == true)
            #expect(json.object("request_params")["collection_name"] as? String == "django-1")

            let include = try await server.get("/collections/django/documents/search?q=*&include_fields=name,github_stars&per_page=1&sort_by=github_stars:asc", key: admin).json()
            let fields = Set(include.array("hits").first?.object("document").keys.map { $0 } ?? [])
            #expect(fields == ["name", "github_stars"])
        }
    }

    @Test func highlightsEscapePackageText() async throws {
        try await ServerHarness.with { server in
            let json = try await server.get("/collections/django/documents/search?q=claims&query_by=summary", key: admin).json()
            let snippet = json.array("hits").first?.array("highlights").first?["snippet"] as? String ?? ""
            #expect(snippet.contains("<mark>claims</mark>"))
            #expect(!snippet.contains("<script>"), "\(snippet)")
            #expect(snippet.contains("&lt;script&gt;"))
        }
    }

    @Test func multiSearchLikeInstantSearch() async throws {
        try await ServerHarness.with { server in
            let body = """
                {"searches":[
                  {"collection":"django","q":"djnago","query_by":"name,summary,keywords","facet_by":"framework_versions,python_versions","max_facet_values":10,"page":1,"per_page":5,"highlight_full_fields":"name","filter_by":"framework_versions:=[`5.0`]"},
                  {"collection":"flask","q":"*","query_by":"name","per_page":"1","sort_by":"download_last_month:desc"},
                  {"collection":"missing","q":"x","query_by":"name"},
                  {"collection":"django","q":"x","query_by":"name","filter_by":"bogus_field:=1"}
                ]}
                """
            let reply = try await server.request("/multi_search?x-typesense-api-key=\(admin)&highlight_pre_tag=%3Cmark%3E", method: .POST, body: body)
            #expect(reply.status == 200, "\(reply.body)")
            let results = try reply.json().array("results")
            #expect(results.count == 4)
            #expect((results[0]["found"] as? Int ?? 0) > 0)
            #expect(results[0].array("facet_counts").count == 2)
            #expect(results[1].array("hits").first?.object("document")["name"] as? String == "flask-cors")
            #expect(results[2]["code"] as? Int == 404)
            #expect(results[3]["code"] as? Int == 400)
            #expect((results[3]["error"] as? String)?.contains("bogus_field") == true)
        }
    }

    @Test func keysAndAuthorization() async throws {
        try await ServerHarness.with { server in
            let search = "/collections/flask/documents/search?q=*&query_by=name"
            #expect(try await server.get(search).status == 401, "a key is always needed for Typesense endpoints")
            let wrong = try await server.get(search, key: "not-a-key-at-all")
            #expect(wrong.status == 401)
            #expect(try wrong.json()["message"] as? String == "Forbidden - a valid `x-typesense-api-key` header must be sent.")

            let created = try await server.request("/keys", method: .POST, key: admin, body: #"{"description":"flask front end","actions":["documents:search"],"collections":["flask"]}"#)
            #expect(created.status == 201, "\(created.body)")
            let key = try created.json()
            let value = try #require(key["value"] as? String)
            let id = try #require(key["id"] as? Int)

            #expect(try await server.get(search, key: value).status == 200)
            #expect(try await server.get("/collections/django/documents/search?q=*&query_by=name", key: value).status == 401)
            #expect(try await server.get("/keys", key: value).status == 401, "a search key can never list keys")
            #expect(try await server.request("/keys", method: .POST, key: value, body: #"{"actions":["documents:search"],"collections":["*"]}"#).status == 401)
            #expect(try await server.request("/keys/\(id)", method: .DELETE, key: value).status == 401)
            #expect(try await server.get("/collections", key: value).status == 401)
            // multi_search answers per search: the one this key may not run fails in its place.
            let multi = #"{"searches":[{"collection":"django","q":"*","query_by":"name"},{"collection":"flask","q":"*","query_by":"name"}]}"#
            let answered = try await server.request("/multi_search", method: .POST, key: value, body: multi)
            #expect(answered.status == 200, "\(answered.body)")
            let results = try answered.json().array("results")
            #expect(results.first?["code"] as? Int == 401)
            #expect(results.first?["error"] is String)
            #expect(results.first?["hits"] == nil)
            #expect((results.last?["found"] as? Int ?? 0) > 0)
            #expect(try await server.request("/multi_search", method: .POST, key: "not-a-key", body: multi).status == 401, "a bad key still fails the request")

            let listed = try await server.get("/keys", key: admin)
            #expect(!listed.body.contains(value), "values are never listed")
            #expect(try listed.json().array("keys").contains { $0["value_prefix"] as? String == String(value.prefix(6)) })
            #expect(try await server.get("/keys/\(id)", key: admin).status == 200)
            #expect(try await server.request("/keys/\(id)", method: .DELETE, key: admin).status == 200)
            #expect(try await server.get(search, key: value).status == 401, "a deleted key stops working")
            #expect(try await server.request("/keys/\(id)", method: .DELETE, key: admin).status == 404)
            #expect(try await server.request("/keys", method: .POST, key: admin, body: "{").status == 400)
        }
    }

    @Test func collectionsAndAliases() async throws {
        try await ServerHarness.with { server in
            let collections = try await server.get("/collections", key: admin).jsonArray()
            #expect(Set(collections.compactMap { $0["name"] as? String }) == ["django-1", "flask"])
            #expect(collections.first { $0["name"] as? String == "flask" }?["num_documents"] as? Int == 2)
            let one = try await server.get("/collections/django", key: admin).json()
            #expect(one["name"] as? String == "django-1")
            #expect((one["fields"] as? [[String: Any]])?.contains { $0["name"] as? String == "framework_versions" && $0["facet"] as? Bool == true } == true)
            #expect(try await server.get("/collections/nope", key: admin).status == 404)
            let aliases = try await server.get("/aliases", key: admin).json().array("aliases")
            #expect(aliases.first?["name"] as? String == "django")
            #expect(aliases.first?["collection_name"] as? String == "django-1")
            #expect(try await server.get("/aliases/django", key: admin).json()["collection_name"] as? String == "django-1")
            #expect(try await server.get("/aliases/nope", key: admin).status == 404)
        }
    }

    @Test func badParametersAnswerLikeTypesense() async throws {
        try await ServerHarness.with { server in
            for (query, status) in [
                ("q=*&per_page=300", 422), ("q=*&sort_by=readme:desc", 400), ("q=*&facet_by=readme", 400),
                ("q=*&filter_by=stars:>", 400), ("q=*&filter_by=unknown:=1", 400), ("q=*&sort_by=a:desc,b:asc,c:desc,d:asc", 400),
                ("q=*&page=0", 400),
            ] {
                let reply = try await server.get("/collections/django/documents/search?\(query)", key: admin)
                #expect(reply.status == status, "\(query): \(reply.body)")
                #expect(try reply.json()["message"] is String)
            }
        }
    }
}
