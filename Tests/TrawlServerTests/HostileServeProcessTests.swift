import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

/// The built `trawl serve` binary, run as users run it, survives a list of hostile requests — the
/// ones that once trapped it, malformed HTTP, oversized targets, headers and bodies — and still
/// answers searches afterwards.
@Suite("trawl serve survives hostile requests (process)")
struct HostileServeProcessTests {
    static let searchOnlyKey = "browser-search-key-0123456789"

    static let hostileTargets: [String] = [
        "/collections/django/documents/search?q=a&sort_by=%3Aasc",
        "/collections/django/documents/search?q=a&sort_by=%20%3A",
        "/collections/django/documents/search?q=a&page=9223372036854775807",
        "/collections/django/documents/search?q=a&page=4611686018427387904&per_page=250",
        "/collections/django/documents/search?q=*&filter_by=github_stars%3A%3E9223372036854775807",
        "/collections/django/documents/search?q=*&filter_by=github_stars%3A%3C-99999999999999999999",
        "/collections/django/documents/search?q=*&filter_by=github_stars%3A1e30",
        "/collections/django/documents/search?q=*&filter_by=github_stars%3A%3E%3Dinf",
        "/collections/django/documents/search?q=*&filter_by=github_stars%3A%5Bnan..1%5D",
        "/collections/django/documents/search?q=*&filter_by=" + String(repeating: "%28", count: 20_000),
        "/collections/django/documents/search?q=*&max_facet_values=-1&facet_by=keywords",
        "/collections/django/documents/search?q=" + String(repeating: "%5B", count: 3_000),
        "/collections/" + String(repeating: "a", count: 5_000) + "/documents/search?q=a",
        "/api/v1/django/packages?page=99999999999999999999999",
        "/api/v1/django/packages?min_health=1e400",
        "/?q=%ED%A0%80&page=0",
        "/packages/%00%ff?collection=django",
    ]

    @Test("hostile requests get 4xx answers and the process keeps serving")
    func survives() async throws {
        let serve = try await ServeProcess.start()
        do {
            let client = HTTPClient.shared
            // A search-only key, as it would sit in a browser.
            var create = HTTPClientRequest(url: serve.baseURL + "/keys")
            create.method = .POST
            create.headers.add(name: "X-TYPESENSE-API-KEY", value: "test-admin-key-0123456789")
            create.body = .bytes(ByteBuffer(string: #"{"actions":["documents:search"],"collections":["django"],"value":"\#(Self.searchOnlyKey)"}"#))
            let created = try await client.execute(create, timeout: TestTimeouts.clientRequest)
            #expect(created.status == .created)

            for target in Self.hostileTargets {
                var request = HTTPClientRequest(url: serve.baseURL + target)
                request.headers.add(name: "X-TYPESENSE-API-KEY", value: Self.searchOnlyKey)
                let response = try await client.execute(request, timeout: TestTimeouts.clientRequest)
                _ = try await response.body.collect(upTo: 16 << 20)
                #expect((400..<500).contains(Int(response.status.code)) || response.status == .ok, "\(target.prefix(120)) → \(response.status)")
                #expect(response.status.code < 500, "\(target.prefix(120)) → \(response.status)")
                #expect(serve.process.isRunning, "the server died on \(target.prefix(120))")
            }
            // Bodies and framing no client would send.
            let raw: [String] = [
                "GARBAGE\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 200_000))\r\n\r\n",
                "POST /multi_search HTTP/1.1\r\nHost: x\r\nX-TYPESENSE-API-KEY: \(Self.searchOnlyKey)\r\nContent-Length: 100\r\n\r\n{\"searches\":",
                "POST /multi_search HTTP/1.1\r\nHost: x\r\nX-TYPESENSE-API-KEY: \(Self.searchOnlyKey)\r\nContent-Length: 99999999999\r\n\r\n[",
                "POST /multi_search HTTP/1.1\r\nHost: x\r\nX-TYPESENSE-API-KEY: \(Self.searchOnlyKey)\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n",
                "GET /collections/django/documents/search?q=a HTTP/1.1\r\nHost: x\r\nX-TYPESENSE-API-KEY: \u{0}\u{1}\r\n\r\n",
            ]
            for bytes in raw {
                _ = try? await RawHTTP.exchange(Array(bytes.utf8), port: serve.port, timeout: .seconds(3))
                #expect(serve.process.isRunning, "the server died on raw input \(bytes.prefix(60))")
            }
            let multi = "{\"searches\":[{\"collection\":\"django\",\"q\":\"a\",\"page\":1e400},{\"collection\":\"django\",\"per_page\":4.5e18},"
                + "{\"collection\":\"django\",\"q\":\"django\"}]}"
            var request = HTTPClientRequest(url: serve.baseURL + "/multi_search")
            request.method = .POST
            request.headers.add(name: "X-TYPESENSE-API-KEY", value: Self.searchOnlyKey)
            request.body = .bytes(ByteBuffer(string: multi))
            let answer = try await client.execute(request, timeout: TestTimeouts.clientRequest)
            let body = try await answer.body.collect(upTo: 16 << 20)
            #expect(answer.status.code < 500, "multi_search → \(answer.status): \(String(buffer: body).prefix(200))")

            // Still serving: a normal search with the browser's key.
            var search = HTTPClientRequest(url: serve.baseURL + "/collections/django/documents/search?q=django&query_by=name")
            search.headers.add(name: "X-TYPESENSE-API-KEY", value: Self.searchOnlyKey)
            let after = try await client.execute(search, timeout: TestTimeouts.clientRequest)
            let afterBody = String(buffer: try await after.body.collect(upTo: 16 << 20))
            #expect(after.status == .ok, "\(afterBody.prefix(200))")
            #expect(afterBody.contains("\"found\""))
        } catch {
            _ = await serve.stop()
            throw error
        }
        let status = await serve.stop()
        #expect(status == 0, "serve exited \(status) on SIGTERM: \(serve.stdout)")
    }
}
