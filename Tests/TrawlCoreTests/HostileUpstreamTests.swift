import Foundation
import Logging
import Synchronization
import TestSupport
import Testing
@testable import TrawlCore

/// The longest wait any header can ask for (7 days), for the argument lists below.
private let week = RetryPolicy.longestHonouredWait

/// What an upstream can send that once ended a crawl (a `Retry-After` of `inf`), and what must never
/// leave for another host (keys on a redirect, credentials written into an index URL).
@Suite struct HostileUpstreamTests {
    static let fastRetry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20), maxWait: .seconds(2))

    func fetcher(credentials: [String: Secret] = [:], maxBodyBytes: Int? = nil, logger: Logger = Logger(label: "test")) -> HTTPFetcher {
        HTTPFetcher(configuration: .init(retry: Self.fastRetry, requestTimeout: TestTimeouts.request, connectTimeout: TestTimeouts.connect, maxBodyBytes: maxBodyBytes, credentials: credentials), logger: logger)
    }


    /// Each hostile `Retry-After` with the exact wait it must become: a bound that is only checked as
    /// "within range" cannot tell clamping from ignoring the header (nil) or from a wrong clamp.
    @Test(arguments: [
        ("inf", week), ("-inf", .zero), ("nan", .zero), ("1e30", week), ("1e308", week), ("-5", .zero),
        ("9223372036854775808", week), ("0x1p70", week), ("Fri, 31 Dec 9999 23:59:59 GMT", week),
        ("Thu, 01 Jan 1970 00:00:00 GMT", .zero), ("0", .zero), ("1.5", .milliseconds(1_500)), ("604800", week),
        ("604801", week), ("604799", .seconds(604_799)),
    ] as [(String, Duration)])
    func retryAfterIsClampedToItsExactWait(value: String, expected: Duration) {
        #expect(RetryPolicy.retryAfter(value) == expected, "Retry-After: \(value)")
    }

    /// Text that is neither seconds nor an HTTP date (or longer than any real header) is not a
    /// wait at all: the caller's own backoff applies.
    @Test(arguments: ["soon", String(repeating: "9", count: 400), "", "  "])
    func unparseableRetryAfterIsNoWait(value: String) {
        #expect(RetryPolicy.retryAfter(value) == nil)
    }

    /// GitHub's reset is an epoch second: in the past (or negative, or `nan`) waits the one second
    /// Trawl always waits before trying again; `inf` or far future waits the longest honoured wait.
    @Test(arguments: [
        ("inf", week), ("1e30", week), ("-9223372036854775808", .seconds(1)), ("9223372036854775807", week),
        ("nan", .seconds(1)), ("0", .seconds(1)),
    ] as [(String, Duration)])
    func rateLimitResetIsClampedToItsExactWait(reset: String, expected: Duration) {
        let headers: [(String, String)] = [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset)]
        #expect(HTTPFetcher.rateLimitWait(status: 403, headers: .init(headers)) == expected, "x-ratelimit-reset: \(reset)")
    }

    @Test("a 429 asking to wait forever stops the request as rate limited, after one request, with the week-long wait")
    func infiniteRetryAfterIsRateLimited() async throws {
        for value in ["inf", "1e30", "1e308"] {
            let server = try await LoopbackServer.start { _ in .text("slow down", status: 429, headers: [("Retry-After", value)]) }
            let http = fetcher()
            // Ignoring the header would retry after the policy's own 5–20 ms backoff and end in `.status`.
            await #expect { try await http.fetch(FetchRequest(server.baseURL + "/x", upstream: .pypi)) } throws: { error in
                guard case .rateLimited(_, _, let wait)? = error as? HTTPFetchError else { return false }
                return wait == week
            }
            #expect(server.requestCount(prefix: "/x") == 1, "\(value): \(server.receivedPaths)")
            try await http.shutdown(); try await server.shutdown()
        }
    }

    @Test("a negative Retry-After is a wait of zero: the retry comes at once even when no wait at all is allowed")
    func negativeRetryAfterRetriesAtOnce() async throws {
        let answers = Mutex<[LoopbackResponse]>([.text("slow down", status: 429, headers: [("Retry-After", "-5")]), .json("{}")])
        let server = try await LoopbackServer.start { _ in answers.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] } }
        // maxWait zero: a wait of exactly 0 is honoured; the header ignored would fall back to a
        // 5–20 ms backoff, which is past maxWait and ends in `.rateLimited`.
        let http = HTTPFetcher(configuration: .init(
            retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20), maxWait: .zero),
            requestTimeout: TestTimeouts.request, connectTimeout: TestTimeouts.connect))
        let response = try await http.fetch(FetchRequest(server.baseURL + "/neg", upstream: .pypi))
        try await http.shutdown(); try await server.shutdown()
        #expect(response.status == 200)
        #expect(response.attempts == 2)
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
        let http = HTTPFetcher(configuration: .init(retry: Self.fastRetry, requestTimeout: TestTimeouts.request, connectTimeout: TestTimeouts.connect, credentials: config.credentials()), logger: logger)
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
        await #expect { try await http.fetch(FetchRequest(server.baseURL + "/big", upstream: .github)) } throws: { error in
            guard case .tooLarge(_, let limit)? = error as? HTTPFetchError else { return false }
            return limit == 100_000
        }
        // Too large is not retried: the same answer would come again.
        #expect(server.requestCount(prefix: "/big") == 1, "\(server.receivedPaths)")
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
