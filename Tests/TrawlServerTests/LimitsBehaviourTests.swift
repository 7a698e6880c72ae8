import Foundation
import TestSupport
import Testing
@testable import TrawlServer

/// `docs/limits.md` against what the server does: every row of `RequestLimits.table` is sent at its
/// bound and one past it, each answer with its exact status. `LimitsDocumentTests` only checks that
/// the page prints the constants; a route that forgot to check a bound (or checked it one off) is
/// caught here. A new row without a case here fails `everyRowHasABehaviourCase`.
@Suite("Request limits: at the bound and one past it")
struct LimitsBehaviourTests {
    static let key = ServerHarness.adminKey

    /// One request: a GET target, or a POST with a body.
    struct Probe: Sendable, CustomStringConvertible {
        var method = "GET"
        var target: String
        var body: String?
        var description: String { "\(method) \(target.prefix(160))… (\(target.utf8.count) bytes, body \(body?.utf8.count ?? 0) bytes)" }
    }

    /// A row's two probes and the status each must get (`lowest` probes the lower end of a range).
    struct Case: Sendable {
        var row: String
        var atBound: Probe
        var atBoundStatus: Int
        var pastBound: Probe
        var pastBoundStatus: Int
    }

    static let search = "/collections/django/documents/search?q=django"
    static let api = "/api/v1/django/packages?q=django"

    static func get(_ target: String) -> Probe { Probe(target: target) }
    static func list(_ unit: String, _ n: Int) -> String { Array(repeating: unit, count: n).joined(separator: ",") }
    static func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    /// `search` plus `&pad=aaa…`, exactly `bytes` long counting path and query (the `?` is not part
    /// of either, as the bound is defined in `RequestBoundsMiddleware`).
    static func target(bytes: Int) -> String {
        let base = search + "&pad="
        return base + String(repeating: "a", count: bytes - (base.utf8.count - 1))
    }

    /// A filter_by of exactly `n` characters: one clause with a long (unmatched) name value.
    static func filter(characters n: Int) -> String {
        let head = "name:="
        return head + String(repeating: "a", count: n - head.count)
    }

    static func nested(_ depth: Int) -> String {
        String(repeating: "(", count: depth) + "github_stars:>=0" + String(repeating: ")", count: depth)
    }

    static func clauses(_ n: Int) -> String { Array(repeating: "github_stars:>=0", count: n).joined(separator: " && ") }

    /// A POST body padded with JSON whitespace to exactly `bytes`.
    static func padded(_ json: String, to bytes: Int) -> String {
        json + String(repeating: " ", count: bytes - json.utf8.count)
    }

    static let oneSearch = #"{"searches":[{"collection":"django","q":"django"}]}"#
    static let keyBody = #"{"actions":["documents:search"],"collections":["django"],"description":"limits"}"#

    static var cases: [Case] {
        let L = RequestLimits.self
        let name200 = String(repeating: "n", count: L.nameCharacters)
        return [
            Case(row: "request target (path + query) bytes",
                 atBound: get(target(bytes: L.uriBytes)), atBoundStatus: 200, pastBound: get(target(bytes: L.uriBytes + 1)), pastBoundStatus: 414),
            Case(row: "query parameters per request",
                 atBound: get(search + String(repeating: "&x=1", count: L.queryItems - 1)), atBoundStatus: 200,
                 pastBound: get(search + String(repeating: "&x=1", count: L.queryItems)), pastBoundStatus: 400),
            Case(row: "page",
                 atBound: get(search + "&page=\(L.page.upperBound)"), atBoundStatus: 200,
                 pastBound: get(search + "&page=\(L.page.upperBound + 1)"), pastBoundStatus: 400),
            Case(row: "page (lowest)",
                 atBound: get(api + "&page=\(L.page.lowerBound)"), atBoundStatus: 200,
                 pastBound: get(api + "&page=\(L.page.lowerBound - 1)"), pastBoundStatus: 400),
            Case(row: "per_page (Typesense endpoints)",
                 atBound: get(search + "&per_page=\(L.perPage.upperBound)"), atBoundStatus: 200,
                 pastBound: get(search + "&per_page=\(L.perPage.upperBound + 1)"), pastBoundStatus: 422),
            Case(row: "per_page (Typesense endpoints) (lowest)",
                 atBound: get(search + "&per_page=\(L.perPage.lowerBound)"), atBoundStatus: 200,
                 pastBound: get(search + "&per_page=\(L.perPage.lowerBound - 1)"), pastBoundStatus: 400),
            Case(row: "per_page (/api/v1, page)",
                 atBound: get(api + "&per_page=\(L.apiPerPage.upperBound)"), atBoundStatus: 200,
                 pastBound: get(api + "&per_page=\(L.apiPerPage.upperBound + 1)"), pastBoundStatus: 400),
            Case(row: "per_page (/api/v1, page) (lowest)",
                 atBound: get(api + "&per_page=\(L.apiPerPage.lowerBound)"), atBoundStatus: 200,
                 pastBound: get(api + "&per_page=\(L.apiPerPage.lowerBound - 1)"), pastBoundStatus: 400),
            Case(row: "per_page (/api/v1, page) (the page)",
                 atBound: get("/?q=django&per_page=\(L.apiPerPage.upperBound)"), atBoundStatus: 200,
                 pastBound: get("/?q=django&per_page=\(L.apiPerPage.upperBound + 1)"), pastBoundStatus: 400),
            Case(row: "q characters",
                 atBound: get(String(search.dropLast(6)) + String(repeating: "a", count: L.queryCharacters)), atBoundStatus: 200,
                 pastBound: get(String(search.dropLast(6)) + String(repeating: "a", count: L.queryCharacters + 1)), pastBoundStatus: 400),
            Case(row: "q characters (/api/v1)",
                 atBound: get(String(api.dropLast(6)) + String(repeating: "a", count: L.queryCharacters)), atBoundStatus: 200,
                 pastBound: get(String(api.dropLast(6)) + String(repeating: "a", count: L.queryCharacters + 1)), pastBoundStatus: 400),
            Case(row: "filter_by characters",
                 atBound: get(search + "&filter_by=" + encoded(filter(characters: L.filterCharacters))), atBoundStatus: 200,
                 pastBound: get(search + "&filter_by=" + encoded(filter(characters: L.filterCharacters + 1))), pastBoundStatus: 400),
            Case(row: "filter_by nesting depth",
                 atBound: get(search + "&filter_by=" + encoded(nested(L.filterDepth))), atBoundStatus: 200,
                 pastBound: get(search + "&filter_by=" + encoded(nested(L.filterDepth + 1))), pastBoundStatus: 400),
            Case(row: "filter_by clauses",
                 atBound: get(search + "&filter_by=" + encoded(clauses(L.filterClauses))), atBoundStatus: 200,
                 pastBound: get(search + "&filter_by=" + encoded(clauses(L.filterClauses + 1))), pastBoundStatus: 400),
            Case(row: "values per filter list",
                 atBound: get(search + "&filter_by=" + encoded("keywords:[" + list("v", L.filterValues) + "]")), atBoundStatus: 200,
                 pastBound: get(search + "&filter_by=" + encoded("keywords:[" + list("v", L.filterValues + 1) + "]")), pastBoundStatus: 400),
            Case(row: "numeric filter value magnitude",
                 atBound: get(search + "&filter_by=" + encoded("github_stars:<\(L.filterNumber)")), atBoundStatus: 200,
                 pastBound: get(search + "&filter_by=" + encoded("github_stars:<\(L.filterNumber + 1)")), pastBoundStatus: 400),
            Case(row: "numeric filter value magnitude (negative)",
                 atBound: get(search + "&filter_by=" + encoded("github_stars:>-\(L.filterNumber)")), atBoundStatus: 200,
                 pastBound: get(search + "&filter_by=" + encoded("github_stars:>-\(L.filterNumber + 1)")), pastBoundStatus: 400),
            Case(row: "sort_by fields",
                 atBound: get(search + "&sort_by=" + encoded("github_stars:desc,name:asc,health_score:desc")), atBoundStatus: 200,
                 pastBound: get(search + "&sort_by=" + encoded("github_stars:desc,name:asc,health_score:desc,upload_timestamp:desc")),
                 pastBoundStatus: 400),
            Case(row: "facet_by / query_by / highlight_fields fields",
                 atBound: get(search + "&facet_by=" + list("keywords", L.fieldList)), atBoundStatus: 200,
                 pastBound: get(search + "&facet_by=" + list("keywords", L.fieldList + 1)), pastBoundStatus: 400),
            Case(row: "facet_by / query_by / highlight_fields fields (query_by)",
                 atBound: get(search + "&query_by=" + list("name", L.fieldList)), atBoundStatus: 200,
                 pastBound: get(search + "&query_by=" + list("name", L.fieldList + 1)), pastBoundStatus: 400),
            Case(row: "facet_by / query_by / highlight_fields fields (highlight_fields)",
                 atBound: get(search + "&highlight_fields=" + list("summary", L.fieldList)), atBoundStatus: 200,
                 pastBound: get(search + "&highlight_fields=" + list("summary", L.fieldList + 1)), pastBoundStatus: 400),
            Case(row: "facet_by / query_by / highlight_fields fields (/api/v1 facet)",
                 atBound: get(api + "&facet=" + list("keywords", L.fieldList)), atBoundStatus: 200,
                 pastBound: get(api + "&facet=" + list("keywords", L.fieldList + 1)), pastBoundStatus: 400),
            Case(row: "include_fields / exclude_fields fields",
                 atBound: get(search + "&include_fields=" + list("name", L.includeFields)), atBoundStatus: 200,
                 pastBound: get(search + "&include_fields=" + list("name", L.includeFields + 1)), pastBoundStatus: 400),
            Case(row: "include_fields / exclude_fields fields (exclude_fields)",
                 atBound: get(search + "&exclude_fields=" + list("description", L.includeFields)), atBoundStatus: 200,
                 pastBound: get(search + "&exclude_fields=" + list("description", L.includeFields + 1)), pastBoundStatus: 400),
            Case(row: "max_facet_values",
                 atBound: get(search + "&facet_by=keywords&max_facet_values=\(L.maxFacetValues.upperBound)"), atBoundStatus: 200,
                 pastBound: get(search + "&facet_by=keywords&max_facet_values=\(L.maxFacetValues.upperBound + 1)"), pastBoundStatus: 400),
            Case(row: "max_facet_values (lowest)",
                 atBound: get(search + "&facet_by=keywords&max_facet_values=\(L.maxFacetValues.lowerBound)"), atBoundStatus: 200,
                 pastBound: get(search + "&facet_by=keywords&max_facet_values=\(L.maxFacetValues.lowerBound - 1)"), pastBoundStatus: 400),
            Case(row: "searches per multi_search",
                 atBound: Probe(method: "POST", target: "/multi_search",
                                body: "{\"searches\":[" + list(#"{"collection":"django","q":"django"}"#, L.multiSearches) + "]}"),
                 atBoundStatus: 200,
                 pastBound: Probe(method: "POST", target: "/multi_search",
                                  body: "{\"searches\":[" + list(#"{"collection":"django","q":"django"}"#, L.multiSearches + 1) + "]}"),
                 pastBoundStatus: 400),
            Case(row: "multi_search body bytes",
                 atBound: Probe(method: "POST", target: "/multi_search", body: padded(oneSearch, to: L.multiSearchBodyBytes)), atBoundStatus: 200,
                 pastBound: Probe(method: "POST", target: "/multi_search", body: padded(oneSearch, to: L.multiSearchBodyBytes + 1)),
                 pastBoundStatus: 413),
            Case(row: "admin body bytes",
                 atBound: Probe(method: "POST", target: "/keys", body: padded(keyBody, to: L.adminBodyBytes)), atBoundStatus: 201,
                 pastBound: Probe(method: "POST", target: "/keys", body: padded(keyBody, to: L.adminBodyBytes + 1)), pastBoundStatus: 413),
            Case(row: "name in a path, characters",
                 atBound: get("/api/v1/django/packages/" + name200), atBoundStatus: 404,
                 pastBound: get("/api/v1/django/packages/" + name200 + "n"), pastBoundStatus: 400),
            Case(row: "name in a path, characters (collection)",
                 atBound: get("/collections/" + name200), atBoundStatus: 404,
                 pastBound: get("/collections/" + name200 + "n"), pastBoundStatus: 400),
            Case(row: "name in a path, characters (percent-encoded)",
                 atBound: get("/api/v1/django/packages/" + String(repeating: "%C3%A9", count: L.nameCharacters)), atBoundStatus: 404,
                 pastBound: get("/api/v1/django/packages/" + String(repeating: "%C3%A9", count: L.nameCharacters + 1)), pastBoundStatus: 400),
        ]
    }

    static func send(_ probe: Probe, port: Int) async throws -> (status: Int, body: String) {
        try await RawHTTP.request(probe.method, probe.target, port: port, headers: [("X-TYPESENSE-API-KEY", key)], body: probe.body)
    }

    @Test("every row of the limits table, at its bound and one past it, answers with its exact status")
    func everyBoundAndOnePast() async throws {
        try await ServerHarness.with { server in
            for c in Self.cases {
                let at = try await Self.send(c.atBound, port: server.port)
                #expect(at.status == c.atBoundStatus, "\(c.row) at the bound: \(c.atBound) → \(at.status) \(at.body.prefix(200))")
                let past = try await Self.send(c.pastBound, port: server.port)
                #expect(past.status == c.pastBoundStatus, "\(c.row) one past: \(c.pastBound) → \(past.status) \(past.body.prefix(200))")
                // Refusals keep Typesense's shape (the HTML page's refusal is a page, not JSON).
                if !c.pastBound.target.hasPrefix("/?") {
                    let object = try? JSONSerialization.jsonObject(with: Data(past.body.utf8)) as? [String: Any]
                    #expect(object?["message"] is String, "\(c.row): \(past.body.prefix(200))")
                }
                // An answer at the bound of a multi_search is a list of searches that each succeeded.
                if c.atBound.target == "/multi_search", at.status == 200 {
                    let object = try JSONSerialization.jsonObject(with: Data(at.body.utf8)) as? [String: Any]
                    let results = object?["results"] as? [[String: Any]] ?? []
                    #expect(!results.isEmpty && results.allSatisfy { $0["code"] == nil && $0["hits"] != nil }, "\(c.row): \(at.body.prefix(300))")
                }
            }
        }
    }

    /// `q` words past the 32nd are ignored: a 33rd word that matches nothing changes nothing, a 32nd does.
    @Test("q words used: the 32nd word takes part, the 33rd is ignored")
    func queryWords() async throws {
        try await ServerHarness.with { server in
            func found(_ words: [String]) async throws -> Int {
                let reply = try await Self.send(Self.get("/collections/django/documents/search?q=" + words.joined(separator: "+")), port: server.port)
                #expect(reply.status == 200, "\(reply.body.prefix(200))")
                let object = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
                return object?["found"] as? Int ?? -1
            }
            let n = RequestLimits.queryWords
            let allDjango = try await found(Array(repeating: "django", count: n))
            #expect(allDjango > 0)
            #expect(try await found(Array(repeating: "django", count: n) + ["zzqxnothing"]) == allDjango, "a 33rd word is ignored")
            #expect(try await found(Array(repeating: "django", count: n - 1) + ["zzqxnothing"]) != allDjango, "the 32nd word is used")
        }
    }

    @Test("every row of docs/limits.md has a behaviour case here")
    func everyRowHasABehaviourCase() {
        for row in RequestLimits.table where row.name != "q words used" {  // `queryWords` above
            // A case names its row, or its row and a note in parentheses ("page (lowest)").
            #expect(Self.cases.contains { $0.row == row.name || $0.row.hasPrefix(row.name + " (") }, "no at-bound/past-bound case for \(row.name)")
        }
    }
}
