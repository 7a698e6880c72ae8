import Foundation
import NIOHTTP1
import TestSupport
import Testing
import TrawlCore
@testable import TrawlServer

/// Seeded fuzzing of every public parameter of every route with hostile values (numbers past every
/// bound, `inf`/`nan`, unclosed brackets, deep nesting, huge lists and texts, broken encodings),
/// over real HTTP. Every answer must be a 2xx or a 4xx, never a 5xx — a trap would end the test
/// process itself — and the server must still answer afterwards.
@Suite("Hostile requests (fuzz)")
struct HostileRequestFuzzTests {
    static let searchKey = "search-only-key-0123456789"
    static let cases = 3_000

    static let typesenseParameters = [
        "q", "query_by", "filter_by", "sort_by", "facet_by", "page", "per_page", "limit", "max_facet_values",
        "include_fields", "exclude_fields", "highlight_fields", "x-typesense-api-key",
    ]
    static let apiParameters = [
        "q", "sort", "order", "page", "per_page", "classifier", "framework_version", "python_version", "category",
        "package_type", "official", "verified", "has_github", "new", "min_health", "facet", "collection",
    ]

    /// One generated request: method, path with query, body.
    struct Case: CustomStringConvertible {
        var method: HTTPMethod
        var path: String
        var body: String?
        var key: String?
        var description: String { "\(method) \(path.prefix(300)) body: \(body?.prefix(300) ?? "-")" }
    }

    static func encode(_ text: String, _ g: inout SeededGenerator) -> String {
        // Mostly properly encoded; sometimes raw (percent sequences and all) to exercise the decoder.
        if g.chance(15), text.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "#" && $0 != "&" && $0 != "?" }) { return text }
        return text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "x"
    }

    static func query(_ names: [String], _ g: inout SeededGenerator) -> String {
        var pairs: [String] = []
        for _ in 0..<(1 + g.below(5)) {
            let name = g.chance(95) ? g.pick(names) : Hostile.value(&g)
            pairs.append("\(encode(name, &g))=\(encode(Hostile.value(&g), &g))")
        }
        if g.chance(3) { pairs += Array(repeating: "q=a", count: 200) }
        return pairs.joined(separator: "&")
    }

    static func collection(_ g: inout SeededGenerator) -> String {
        g.chance(80) ? g.pick(["django", "django-1", "flask"]) : encode(Hostile.value(&g), &g)
    }

    static func jsonValue(_ g: inout SeededGenerator) -> String {
        switch g.below(7) {
        case 0: return g.pick(["1e308", "1e400", "-1e400", "9223372036854775808", "4.5e18", "1.5", "-0.0", "123456789012345678901234567890"])
        case 1: return "true"
        case 2: return "null"
        case 3: return String(repeating: "[", count: g.pick([3, 600, 5_000])) + String(repeating: "]", count: g.chance(50) ? 0 : 600)
        case 4: return "{\"a\":{\"b\":[1,2,{}]}}"
        default:
            let text = Hostile.value(&g)
            let escaped = text.unicodeScalars.map { $0.value < 0x20 || $0 == "\"" || $0 == "\\" ? String(format: "\\u%04x", $0.value) : String($0) }.joined()
            return "\"\(escaped)\"" + (g.chance(5) ? "\"\\ud800\"" : "")
        }
    }

    static func multiSearchBody(_ g: inout SeededGenerator) -> String {
        if g.chance(10) { return g.pick(["", "{", "[]", "{\"searches\":{}}", "{\"searches\":[1,2,3]}", String(repeating: "[", count: 10_000)]) }
        let count = g.chance(5) ? g.pick([51, 500]) : 1 + g.below(4)
        let searches = (0..<count).map { _ -> String in
            var fields = ["\"collection\":\(g.chance(85) ? "\"\(g.pick(["django", "flask", "nope"]))\"" : jsonValue(&g))"]
            for _ in 0..<g.below(5) { fields.append("\"\(g.pick(typesenseParameters))\":\(jsonValue(&g))") }
            return "{" + fields.joined(separator: ",") + "}"
        }
        return "{\"searches\":[" + searches.joined(separator: ",") + "]}"
    }

    static func generate(_ g: inout SeededGenerator) -> Case {
        let key = g.chance(50) ? ServerHarness.adminKey : (g.chance(80) ? searchKey : nil)
        switch g.below(13) {
        case 0, 1, 2, 3:
            return Case(method: .GET, path: "/collections/\(collection(&g))/documents/search?\(query(typesenseParameters, &g))", key: key)
        case 4, 5:
            return Case(method: .POST, path: "/multi_search?\(g.chance(30) ? query(typesenseParameters, &g) : "")", body: multiSearchBody(&g), key: key)
        case 6, 7:
            return Case(method: .GET, path: "/api/v1/\(collection(&g))/packages?\(query(apiParameters, &g))", key: key)
        case 8:
            return g.chance(50)
                ? Case(method: .GET, path: "/?\(query(apiParameters, &g))", key: key)
                : Case(method: .GET, path: "/feeds/\(collection(&g))/\(g.pick(["search.atom", "new.atom", "releases.atom", "x.atom"]))?\(query(apiParameters, &g))", key: key)
        case 9:
            let name = g.chance(50) ? g.pick(["django-rest", "flask-login", "nope"]) : encode(Hostile.value(&g), &g)
            return g.chance(50)
                ? Case(method: .GET, path: "/packages/\(name)?\(query(["collection"], &g))", key: key)
                : Case(method: .GET, path: "/api/v1/\(collection(&g))/packages/\(name)", key: key)
        case 10:
            let paths = ["/collections", "/collections/\(collection(&g))", "/aliases", "/aliases/\(collection(&g))", "/keys",
                         "/keys/\(encode(g.pick(Hostile.numbers), &g))", "/metrics", "/healthz", "/api/v1/profiles"]
            return Case(method: g.chance(85) ? .GET : .DELETE, path: g.pick(paths), key: key)
        case 11:
            // The comparison: its page and its API, with names that exist, do not, repeat, or are hostile.
            let names = (0..<(g.chance(10) ? g.pick([11, 40]) : 1 + g.below(4))).map { _ in
                g.chance(70) ? g.pick(["django-rest", "flask-login", "channels", "nope", "django-rest"]) : encode(Hostile.value(&g), &g)
            }
            return g.chance(50)
                ? Case(method: .GET, path: "/compare?\(names.map { "p=\($0)" }.joined(separator: "&"))&\(query(["collection"], &g))", key: key)
                : Case(method: .GET, path: "/api/v1/\(collection(&g))/compare?names=\(names.joined(separator: g.pick([",", "%2C"])))&\(query(["names", "format"], &g))",
                       key: key)
        default:
            let body = g.chance(50)
                ? "{\"actions\":[\"documents:search\"],\"collections\":[\(jsonValue(&g))],\"value\":\(jsonValue(&g)),\"description\":\(jsonValue(&g))}"
                : g.pick(["", "{", "null", String(repeating: "{\"a\":", count: 3_000)])
            return Case(method: .POST, path: "/keys", body: body, key: ServerHarness.adminKey)
        }
    }

    @Test("thousands of hostile requests: every answer is a 2xx or 4xx, and the server keeps answering")
    func fuzzEveryRoute() async throws {
        try await ServerHarness.with { server in
            _ = try await server.store.createAPIKey(value: Self.searchKey, scope: .search, collections: ["django"], description: "fuzz")
            var g = SeededGenerator(seed: 0x7EA1_2026)
            let generated = (0..<Self.cases).map { _ in Self.generate(&g) }
            var statuses: [Int: Int] = [:]
            var compareStatuses: [Int: Int] = [:]
            var innerCodes: [Int: Int] = [:]
            // Eight at a time: enough to overlap, few enough to keep the machine's other tests running.
            for chunk in stride(from: 0, to: generated.count, by: 8) {
                let replies = try await withThrowingTaskGroup(of: (Case, ServerHarness.Reply).self) { group in
                    for c in generated[chunk..<min(chunk + 8, generated.count)] {
                        group.addTask {
                            let reply = try await RawHTTP.request(
                                c.method.rawValue, c.path, port: server.port,
                                headers: c.key.map { [("X-TYPESENSE-API-KEY", $0)] } ?? [], body: c.body)
                            return (c, ServerHarness.Reply(status: reply.status, body: reply.body, headers: [:]))
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                for (c, reply) in replies {
                    statuses[reply.status, default: 0] += 1
                    if c.path.hasPrefix("/compare") || c.path.contains("/compare?") { compareStatuses[reply.status, default: 0] += 1 }
                    // A multi_search answers 200 for the whole and a code per search: each inner answer
                    // is a result or a 4xx with its message, never a 5xx hidden inside a 200.
                    if c.path.hasPrefix("/multi_search"), reply.status == 200 {
                        let object = try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
                        let results = object?["results"] as? [[String: Any]]
                        #expect(results != nil, "\(c) → 200 without results: \(reply.body.prefix(300))")
                        for result in results ?? [] {
                            if let code = result["code"] as? Int {
                                innerCodes[code, default: 0] += 1
                                #expect((400..<500).contains(code) && result["error"] is String, "\(c) → inner \(result)")
                            } else {
                                innerCodes[200, default: 0] += 1
                                #expect(result["found"] is Int && result["hits"] is [Any], "\(c) → inner result without found/hits: \(result.keys.sorted())")
                            }
                        }
                    }
                    #expect((200..<500).contains(reply.status), "\(c) → \(reply.status) \(reply.body.prefix(300))")
                    // A request line past the HTTP parser's own 80 KiB limit is refused by the parser
                    // (400, no body) before any route or middleware sees it.
                    if reply.status >= 400, !c.path.hasPrefix("/?"), !c.path.hasPrefix("/packages/"), !c.path.hasPrefix("/compare?"), c.path.utf8.count < 80 * 1024,
                        // and so is a target with raw bytes no client sends unencoded (controls, spaces, non-ASCII).
                        c.path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
                        // Errors keep Typesense's shape: a JSON object with a message.
                        let object = try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
                        #expect(object?["message"] is String, "\(c) → \(reply.status) without {\"message\"} (\(c.path.utf8.count) bytes): \(reply.body.prefix(200))")
                    }
                }
            }
            // The fuzz must reach both answers: real searches and refusals.
            #expect(statuses.filter { (200..<300).contains($0.key) }.values.reduce(0, +) > Self.cases / 10, "\(statuses)")
            #expect(statuses[400, default: 0] > Self.cases / 10, "\(statuses)")
            // The comparison routes and the searches inside a multi_search are reached, both ways.
            #expect(compareStatuses.filter { (200..<300).contains($0.key) }.values.reduce(0, +) > 0, "\(compareStatuses)")
            #expect(compareStatuses.filter { (400..<500).contains($0.key) }.values.reduce(0, +) > 0, "\(compareStatuses)")
            #expect(innerCodes[200, default: 0] > 0 && innerCodes.keys.contains { (400..<500).contains($0) }, "\(innerCodes)")
            let health = try await server.get("/healthz")
            #expect(health.status == 200)
        }
    }

    /// The four single requests that used to trap the server, and their neighbours: each is a 4xx.
    @Test(arguments: [
        "sort_by=%3Aasc", "sort_by=%20%3A%20", "sort_by=github_stars%3Adesc%3Ax", "page=99999999999999999999", "page=4611686018427387904",
        "per_page=-1", "per_page=251", "filter_by=github_stars%3A%3E9223372036854775807", "filter_by=github_stars%3A%3C-9223372036854775808",
        "filter_by=github_stars%3A1e30", "filter_by=github_stars%3A%3Einf", "filter_by=github_stars%3Anan",
        "filter_by=github_stars%3A%5B1..1e300%5D", "max_facet_values=-5", "max_facet_values=99999999999999999999",
        "filter_by=" + String(repeating: "(", count: 5_000), "q=" + String(repeating: "a", count: 1_001),
        "facet_by=" + Array(repeating: "keywords", count: 17).joined(separator: ","),
    ])
    func formerTrapsAreBadRequests(query: String) async throws {
        try await ServerHarness.with { server in
            let reply = try await server.get("/collections/django/documents/search?q=django&\(query)", key: ServerHarness.adminKey)
            // Typesense answers a page too large to fetch with 422; everything else here is a 400.
            let expected = query == "per_page=251" ? 422 : 400
            #expect(reply.status == expected, "\(query) → \(reply.status) \(reply.body.prefix(200))")
            #expect(try reply.json()["message"] is String)
        }
    }

    @Test("a fractional bound compares through its floor and ceiling; the largest allowed bound is not an overflow")
    func fractionalAndEdgeFilters() async throws {
        try await ServerHarness.with { server in
            func found(_ filter: String) async throws -> Int {
                let encoded = filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let reply = try await server.get("/collections/django/documents/search?q=*&filter_by=\(encoded)", key: ServerHarness.adminKey)
                #expect(reply.status == 200, "\(filter): \(reply.body.prefix(200))")
                return try reply.json()["found"] as? Int ?? -1
            }
            let all = try await found("github_stars:>=0")
            #expect(all > 0)
            #expect(try await found("github_stars:>-0.5") == all)
            #expect(try await found("github_stars:<4611686018427387904") == all)
            #expect(try await found("github_stars:>4611686018427387904") == 0)
            #expect(try await found("github_stars:=0.5") == 0)
        }
    }

    @Test("a multi_search over the body limit or with too many searches is refused as a whole with a 4xx")
    func multiSearchBounds() async throws {
        try await ServerHarness.with { server in
            let opening = "{\"searches\":[{\"collection\":\"django\",\"q\":\"", closing = "\"}]}"
            let big = opening + String(repeating: "a", count: RequestLimits.multiSearchBodyBytes + 1 - opening.utf8.count - closing.utf8.count) + closing
            // A raw socket, the body one byte over the limit: the server reads all of it before it
            // refuses, so its close leaves nothing unread (unread bytes would make the kernel reset
            // the connection and drop the answer). AsyncHTTPClient's client traps on an answer that
            // arrives while it is still sending, so it is not used here.
            let head = "POST /multi_search HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-TYPESENSE-API-KEY: \(ServerHarness.adminKey)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(big.utf8.count)\r\n\r\n"
            let answer = try await RawHTTP.exchange(Array((head + big).utf8), port: server.port)
            #expect(String(decoding: answer.prefix(12), as: UTF8.self) == "HTTP/1.1 413", "\(String(decoding: answer.prefix(200), as: UTF8.self))")
            #expect(try await server.request("/health").status == 200)
            let many = "{\"searches\":[" + Array(repeating: "{\"collection\":\"django\",\"q\":\"a\"}", count: RequestLimits.multiSearches + 1).joined(separator: ",") + "]}"
            let tooMany = try await server.request("/multi_search", method: .POST, key: ServerHarness.adminKey, body: many)
            #expect(tooMany.status == 400)
        }
    }
}
