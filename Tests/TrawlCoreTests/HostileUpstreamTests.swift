import Foundation
import Logging
import Synchronization
import TestSupport
import Testing
@testable import TrawlCore

/// What an upstream can send that once ended a crawl (a `Retry-After` of `inf`), and what must never
/// leave for another host (keys on a redirect, credentials written into an index URL).
@Suite struct HostileUpstreamTests {
    static let fastRetry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20), maxWait: .seconds(2))

    func fetcher(credentials: [String: Secret] = [:], maxBodyBytes: Int? = nil, logger: Logger = Logger(label: "test")) -> HTTPFetcher {
        HTTPFetcher(configuration: .init(retry: Self.fastRetry, requestTimeout: .seconds(5), maxBodyBytes: maxBodyBytes, credentials: credentials), logger: logger)
    }

    @Test(arguments: ["inf", "-inf", "nan", "1e30", "1e308", "-5", "9223372036854775808", "0x1p70", "Fri, 31 Dec 9999 23:59:59 GMT",
                      "Thu, 01 Jan 1970 00:00:00 GMT", "soon", String(repeating: "9", count: 400)])
    func retryAfterIsClampedNeverATrap(value: String) {
        guard let wait = RetryPolicy.retryAfter(value) else { return }  // unparseable: the caller's own backoff applies
        #expect(wait >= .zero)
        #expect(wait <= RetryPolicy.longestHonouredWait)
    }

    @Test(arguments: ["inf", "1e30", "-9223372036854775808", "9223372036854775807", "nan"])
    func rateLimitResetIsClamped(reset: String) {
        var headers = [(String, String)]()
        headers.append(("x-ratelimit-remaining", "0"))
        headers.append(("x-ratelimit-reset", reset))
        let wait = HTTPFetcher.rateLimitWait(status: 403, headers: .init(headers))
        if let wait {
            #expect(wait >= .zero && wait <= RetryPolicy.longestHonouredWait)
        }
    }

    @Test("a 429 asking to wait forever stops the request as rate limited instead of trapping")
    func infiniteRetryAfterIsRateLimited() async throws {
        for value in ["inf", "1e30", "1e308"] {
            let server = try await LoopbackServer.start { _ in .text("slow down", status: 429, headers: [("Retry-After", value)]) }
            let http = fetcher()
            await #expect(throws: HTTPFetchError.self) { try await http.fetch(FetchRequest(server.baseURL + "/x", upstream: .pypi)) }
            try await http.shutdown(); try await server.shutdown()
        }
    }

    @Test("keys in headers are not forwarded when a redirect leaves the origin; same-origin redirects keep them")
    func redirectsDropKeysAcrossOrigins() async throws {
        let other = try await LoopbackServer.start { _ in .json("{}") }
        let first = try await LoopbackServer.start { request in
            request.path == "/same" ? .status(302, headers: [("Location", "/landing")])
                : request.path == "/landing" ? .json("{}")
                : .status(307, headers: [("Location", other.baseURL + "/elsewhere")])
        }
        let http = fetcher(credentials: [URLCredentials.origin(of: first.baseURL)!: Secret("Basic c2VjcmV0OnRva2Vu")])
        let keys: [(name: String, value: String)] = [("X-TYPESENSE-API-KEY", "ts-key"), ("X-ClickHouse-Key", "ch-key"),
                                                     ("Authorization", "Bearer gh-token"), ("Accept", "application/json")]
        let away = try await http.fetch(FetchRequest(first.baseURL + "/away", upstream: .other, headers: keys))
        let same = try await http.fetch(FetchRequest(first.baseURL + "/same", upstream: .other, headers: keys))
        try await http.shutdown()
        #expect(away.status == 200 && same.status == 200)
        let landed = try #require(other.requests().first)
        #expect(landed.path == "/elsewhere")
        for name in ["X-TYPESENSE-API-KEY", "X-ClickHouse-Key", "Authorization"] {
            #expect(landed.header(name) == nil, "\(name) was forwarded to another host")
        }
        #expect(landed.header("Accept") == "application/json")
        let sameOrigin = try #require(first.requests().first { $0.path == "/landing" })
        #expect(sameOrigin.header("X-TYPESENSE-API-KEY") == "ts-key")
        try await first.shutdown(); try await other.shutdown()
    }

    @Test("credentials written into a base URL are sent as Basic auth to that origin and appear in no URL, error or log")
    func credentialsInIndexURL() async throws {
        let server = try await LoopbackServer.start { _ in .status(500) }
        let config = TrawlConfig(environment: ["TRAWL_PYPI_URL": "http://mirror-user:s3cr3t-t0ken@127.0.0.1:\(server.port)/simple"])
        let base = try config.pypiURL()
        #expect(!base.contains("s3cr3t"))
        #expect(!base.contains("mirror-user"))
        let logged = LogCapture()
        var logger = Logger(label: "test") { _ in logged }
        logger.logLevel = .trace
        let http = HTTPFetcher(configuration: .init(retry: Self.fastRetry, credentials: config.credentials()), logger: logger)
        var message = ""
        do { _ = try await http.fetch(FetchRequest(base + "/pypi/x/json", upstream: .pypi)) } catch { message = "\(error)" }
        try await http.shutdown()
        let received = try #require(server.requests().first)
        let expected = "Basic " + Data("mirror-user:s3cr3t-t0ken".utf8).base64EncodedString()
        #expect(received.header("Authorization") == expected)
        #expect(!message.isEmpty && !message.contains("s3cr3t"), "\(message)")
        #expect(!logged.lines.joined(separator: "\n").contains("s3cr3t"))
        #expect(URLCredentials.redacted("https://u:p@host/simple") == "https://***@host/simple")
        try await server.shutdown()
    }

    @Test("an answer past the upstream's body cap fails that request, not the process")
    func bodyCap() async throws {
        let server = try await LoopbackServer.start { _ in .text(String(repeating: "x", count: 300_000)) }
        let http = fetcher(maxBodyBytes: 100_000)
        await #expect(throws: HTTPFetchError.self) { try await http.fetch(FetchRequest(server.baseURL + "/big", upstream: .github)) }
        try await http.shutdown(); try await server.shutdown()
        #expect(Upstream.pypi.maxBodyBytes < 512 << 20)
    }

    @Test("bounded numbers: conversions from outside never trap")
    func boundedNumbers() {
        #expect(BoundedNumber.integer("9223372036854775807") == nil)
        #expect(BoundedNumber.integer("-9223372036854775808") == nil)  // abs(Int64.min) traps
        #expect(BoundedNumber.integer("4611686018427387904") == BoundedNumber.magnitude)
        #expect(BoundedNumber.int64(.infinity) == nil)
        #expect(BoundedNumber.int64(.nan) == nil)
        #expect(BoundedNumber.int64(1e30) == nil)
        #expect(BoundedNumber.int64(-4.7) == -4)
        #expect(BoundedNumber.int64(clamping: .infinity, to: 0...10) == 10)
        #expect(BoundedNumber.int64(clamping: .nan, to: 0...10) == 0)
        #expect(BoundedNumber.wait(seconds: .infinity, limit: .seconds(5)) == .seconds(5))
        #expect(BoundedNumber.wait(seconds: -1, limit: .seconds(5)) == .zero)
        #expect(BoundedNumber.wait(seconds: 1.5, limit: .seconds(5)) == .milliseconds(1500))
        #expect(BoundedNumber.count(-3) == 0)
        #expect(BoundedNumber.count(Int.max) == BoundedNumber.largestCount)
    }
}
