import Foundation
import Logging
import Synchronization
import TestSupport
import Testing
@testable import TrawlCore

/// The HTTP layer against a loopback server that misbehaves on purpose.
@Suite struct HTTPFetcherTests {
    static let fastRetry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50), maxWait: .seconds(5))

    func makeFetcher(cache: (any ValidatorCache)? = nil, concurrency: [Upstream: Int] = [:], logger: Logger = Logger(label: "test")) -> HTTPFetcher {
        HTTPFetcher(configuration: .init(retry: Self.fastRetry, requestTimeout: TestTimeouts.request, connectTimeout: TestTimeouts.connect, concurrency: concurrency), cache: cache, logger: logger)
    }

    /// The one path scripted tests fetch: a stray request for another path (another test's client
    /// retrying an address this ephemeral port once had) gets a 404 and consumes nothing.
    static let scripted = "/scripted"

    /// Answers requests for `scripted` with `responses` in turn, then the last one forever; records
    /// arrival times.
    final class Script: Sendable {
        let responses: [LoopbackResponse]
        let arrivals = Mutex<[ContinuousClock.Instant]>([])
        init(_ responses: [LoopbackResponse]) { self.responses = responses }
        func next(_ request: LoopbackRequest) -> LoopbackResponse {
            guard request.path == HTTPFetcherTests.scripted else { return .status(404) }
            let n = arrivals.withLock { $0.append(.now); return $0.count }
            return responses[min(n, responses.count) - 1]
        }
    }

    @Test func honoursRetryAfterOn429() async throws {
        let script = Script([.text("slow down", status: 429, headers: [("Retry-After", "1")]), .json(#"{"ok":true}"#)])
        let server = try await LoopbackServer.start { request in script.next(request) }
        let fetcher = makeFetcher()
        let response = try await fetcher.fetch(FetchRequest(server.baseURL + Self.scripted, upstream: .pypi))
        try await fetcher.shutdown(); try await server.shutdown()
        #expect(response.status == 200)
        #expect(response.attempts == 2)
        #expect(fetcher.counters[.pypi].requests == 2)
        #expect(fetcher.counters[.pypi].retries == 1)
        let times = script.arrivals.withLock { $0 }
        #expect(times.count == 2)
        #expect(times[1] - times[0] >= .milliseconds(950), "the retry must wait for Retry-After")
    }

    @Test func retries503ThenSucceeds() async throws {
        let script = Script([.status(503), .status(502), .json(#"{"v":1}"#)])
        let server = try await LoopbackServer.start { request in script.next(request) }
        let fetcher = makeFetcher()
        let response = try await fetcher.fetch(FetchRequest(server.baseURL + Self.scripted, upstream: .github))
        try await fetcher.shutdown(); try await server.shutdown()
        #expect(response.status == 200)
        #expect(response.bodyString == #"{"v":1}"#)
        #expect(fetcher.counters[.github].requests == 3)
    }

    @Test func persistent5xxFailsAfterMaxAttempts() async throws {
        let server = try await LoopbackServer.start { _ in .status(500) }
        let fetcher = makeFetcher()
        await #expect {
            _ = try await fetcher.fetch(FetchRequest(server.baseURL + "/always-500", upstream: .pypi))
        } throws: { error in
            if case .status(_, 500, 4)? = error as? HTTPFetchError { return true }
            return false
        }
        #expect(server.requestCount(prefix: "/always-500") == 4, "\(server.receivedPaths)")
        try await fetcher.shutdown(); try await server.shutdown()
    }

    /// A fetcher left without `shutdown()` (an error path) closes its client when dropped, instead of
    /// AsyncHTTPClient's debug check ending the process: this test process would not survive it.
    @Test func aFetcherDroppedWithoutShutdownClosesQuietly() async throws {
        let server = try await LoopbackServer.start { _ in .text("ok") }
        for _ in 0..<3 {
            var fetcher: HTTPFetcher? = makeFetcher()
            let response = try await fetcher?.fetch(FetchRequest(server.baseURL + "/dropped", upstream: .pypi))
            #expect(response?.status == 200)
            fetcher = nil
        }
        #expect(server.requestCount(prefix: "/dropped") == 3)
        try await server.shutdown()
    }

    @Test func notFoundIsReturnedNotRetried() async throws {
        let server = try await LoopbackServer.start { _ in .text("Not Found", status: 404) }
        let fetcher = makeFetcher()
        let response = try await fetcher.fetch(FetchRequest(server.baseURL + "/pypi/gone/json", upstream: .pypi))
        try await fetcher.shutdown(); try await server.shutdown()
        #expect(response.status == 404)
        #expect(response.attempts == 1)
        #expect(fetcher.counters[.pypi].retries == 0)
        #expect(server.requestCount(prefix: "/pypi/gone/json") == 1, "\(server.receivedPaths)")
    }

    @Test func connectionResetIsRetried() async throws {
        let script = Script([.reset, .json("[1,2,3]")])
        let server = try await LoopbackServer.start { request in script.next(request) }
        let fetcher = makeFetcher()
        let response = try await fetcher.fetch(FetchRequest(server.baseURL + Self.scripted, upstream: .pypi))
        try await fetcher.shutdown(); try await server.shutdown()
        #expect(response.bodyString == "[1,2,3]")
        #expect(response.attempts == 2)
    }

    @Test func truncatedBodyIsRetriedAndNeverReturnedHalf() async throws {
        let full = Array(String(repeating: "abcdefghij", count: 1000).utf8)
        let script = Script([.truncated(status: 200, headers: [("Content-Type", "application/json")], body: Array(full.prefix(3000)), declaredLength: full.count),
                             .respond(status: 200, headers: [("Content-Type", "application/json")], body: full)])
        let server = try await LoopbackServer.start { request in script.next(request) }
        let fetcher = makeFetcher()
        let response = try await fetcher.fetch(FetchRequest(server.baseURL + Self.scripted, upstream: .pypi))
        try await fetcher.shutdown(); try await server.shutdown()
        #expect(response.body == full)
        #expect(response.attempts == 2)
    }

    @Test func notModifiedReusesStoredBody() async throws {
        let server = try await LoopbackServer.start { request in
            if request.header("If-None-Match") == "\"v1\"" { return .status(304, headers: [("ETag", "\"v1\"")]) }
            return .json(#"{"info":{}}"#, headers: [("ETag", "\"v1\"")])
        }
        let cache = MemoryValidatorCache()
        let fetcher = makeFetcher(cache: cache)
        let request = FetchRequest(server.baseURL + "/pypi/a/json", upstream: .pypi, validators: .reuseBody)
        let first = try await fetcher.fetch(request)
        let second = try await fetcher.fetch(request)
        try await fetcher.shutdown(); try await server.shutdown()
        #expect(!first.fromCache)
        #expect(second.fromCache)
        #expect(second.status == 200)
        #expect(second.body == first.body)
        #expect(fetcher.counters[.pypi].notModified == 1)
        #expect(server.requests().last?.header("If-None-Match") == "\"v1\"")
    }

    @Test func perHostConcurrencyIsNeverExceeded() async throws {
        let server = try await LoopbackServer.start { _ in .delayed(.milliseconds(40), .json("{}")) }
        let fetcher = makeFetcher(concurrency: [.clickhouse: 3])
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<30 {
                group.addTask { try await fetcher.fetch(FetchRequest(server.baseURL + "/limited/q\(i)", upstream: .clickhouse)).status }
            }
            for try await status in group { #expect(status == 200) }
        }
        try await fetcher.shutdown(); try await server.shutdown()
        // This test is about overlap, not retries: every path arrived, and any extra arrival is a
        // retry the fetcher counted (a request timed out under load), never a request from nowhere.
        let paths = server.receivedPaths.filter { $0.hasPrefix("/limited/") }
        #expect(Set(paths).count == 30, "\(paths)")
        #expect(paths.count == 30 + fetcher.counters[.clickhouse].retries, "\(paths)")
        #expect(server.maxInFlight <= 3)
        #expect(server.maxInFlight >= 2, "requests should overlap up to the limit")
    }

    @Test func gzipBodiesAreDecoded() async throws {
        let text = String(repeating: "{\"name\":\"django-foo\"}", count: 200)
        let server = try await LoopbackServer.start { _ in .gzip(.json(text)) }
        let fetcher = makeFetcher()
        let response = try await fetcher.fetch(FetchRequest(server.baseURL + "/x", upstream: .pypi))
        try await fetcher.shutdown(); try await server.shutdown()
        #expect(response.bodyString == text)
        #expect(server.requests().first?.header("Accept-Encoding")?.contains("gzip") == true)
    }

    @Test func sendsUserAgent() async throws {
        let server = try await LoopbackServer.start { _ in .json("{}") }
        let fetcher = makeFetcher()
        _ = try await fetcher.fetch(FetchRequest(server.baseURL + "/x", upstream: .pypi))
        try await fetcher.shutdown(); try await server.shutdown()
        #expect(server.requests().first?.header("User-Agent")?.hasPrefix("trawl/\(TrawlVersion.current)") == true)
    }

    @Test func tooLongRetryAfterEndsWithRateLimited() async throws {
        let server = try await LoopbackServer.start { _ in .status(429, headers: [("Retry-After", "3600")]) }
        let fetcher = makeFetcher()
        await #expect {
            _ = try await fetcher.fetch(FetchRequest(server.baseURL + "/rate-limited", upstream: .github))
        } throws: { error in
            if case .rateLimited? = error as? HTTPFetchError { return true }
            return false
        }
        #expect(server.requestCount(prefix: "/rate-limited") == 1, "no hammering while rate limited; \(server.receivedPaths)")
        try await fetcher.shutdown(); try await server.shutdown()
    }

    @Test func githubRateLimitResetIsHonoured() async throws {
        let reset = Int(Date().timeIntervalSince1970) + 1
        let script = Script([.text("API rate limit exceeded", status: 403, headers: [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "\(reset)")]), .json("{}")])
        let server = try await LoopbackServer.start { request in script.next(request) }
        let fetcher = makeFetcher()
        let response = try await fetcher.fetch(FetchRequest(server.baseURL + Self.scripted, upstream: .github))
        try await fetcher.shutdown(); try await server.shutdown()
        #expect(response.status == 200)
        #expect(response.attempts == 2)
    }

    @Test func secretsNeverReachTheLog() async throws {
        let secret = "ghp_SECRETSECRETSECRET1234"
        let server = try await LoopbackServer.start { _ in .status(503) }
        let records = LogCapture()
        var logger = Logger(label: "capture") { _ in records }
        logger.logLevel = .trace
        let fetcher = makeFetcher(logger: logger)
        let error = await #expect(throws: HTTPFetchError.self) {
            _ = try await fetcher.fetch(FetchRequest(server.baseURL + "/x", upstream: .github, headers: [("Authorization", "Bearer \(secret)")]))
        }
        try await fetcher.shutdown(); try await server.shutdown()
        #expect(!records.lines.isEmpty, "the retries should have been logged")
        #expect(!records.lines.contains { $0.contains(secret) })
        #expect(!"\(String(describing: error))".contains(secret))
        #expect("\(Secret(secret))" == "<redacted>")
    }
}

/// A validator cache in memory, for tests of the HTTP layer alone.
actor MemoryValidatorCache: ValidatorCache {
    var entries: [String: CachedResponse] = [:]
    func cachedResponse(for url: String) async throws -> CachedResponse? { entries[url] }
    func saveCachedResponse(_ response: CachedResponse) async throws { entries[response.url] = response }
}

/// Collects every log line with its metadata, to check what reaches a log.
final class LogCapture: LogHandler, Sendable {
    private let store = Mutex<[String]>([])
    var lines: [String] { store.withLock { $0 } }
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }
    func log(event: LogEvent) {
        store.withLock { $0.append("\(event.message) \(event.metadata ?? [:])") }
    }
}
