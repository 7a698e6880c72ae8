import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import Synchronization
import NIOHTTP1

/// The one HTTP client every upstream goes through: per-host limits, deadlines, retries with
/// jittered backoff, `Retry-After`/rate-limit resets, ETag revalidation, gzip, a User-Agent, and
/// request counters. Upstream clients only say what they want; politeness lives here, once.
public final class HTTPFetcher: Sendable {
    public struct Configuration: Sendable {
        public var retry: RetryPolicy
        public var requestTimeout: Duration
        public var connectTimeout: Duration
        /// Overrides every upstream's `Upstream.maxBodyBytes` when set (tests).
        public var maxBodyBytes: Int?
        public var userAgent: String
        /// `Authorization` values per origin (`URLCredentials.origin`), from credentials written into a
        /// base URL; sent to that origin only.
        public var credentials: [String: Secret]
        /// Per-upstream overrides of `Upstream.defaultConcurrency`.
        public var concurrency: [Upstream: Int]
        public var minimumInterval: [Upstream: Duration]
        /// Per-upstream overrides of `Upstream.defaultBudget`.
        public var budget: [Upstream: RequestBudget]

        public init(
            retry: RetryPolicy = .standard, requestTimeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(10),
            maxBodyBytes: Int? = nil, userAgent: String = TrawlVersion.userAgent,
            concurrency: [Upstream: Int] = [:], minimumInterval: [Upstream: Duration] = [:], budget: [Upstream: RequestBudget] = [:],
            credentials: [String: Secret] = [:]
        ) {
            self.credentials = credentials
            self.budget = budget
            self.retry = retry
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.maxBodyBytes = maxBodyBytes
            self.userAgent = userAgent
            self.concurrency = concurrency
            self.minimumInterval = minimumInterval
        }

        public func limit(for upstream: Upstream) -> Int { concurrency[upstream] ?? upstream.defaultConcurrency }
        public func interval(for upstream: Upstream) -> Duration { minimumInterval[upstream] ?? upstream.defaultMinimumInterval }
        public func budget(for upstream: Upstream) -> RequestBudget? { budget[upstream] ?? upstream.defaultBudget }
        public func bodyLimit(for request: FetchRequest) -> Int { maxBodyBytes ?? request.maxBodyBytes ?? request.upstream.maxBodyBytes }
    }

    public let configuration: Configuration
    public let counters = RequestCounters()
    public let limiter = HostLimiter()
    /// Hosts that asked (by `Retry-After` or a rate-limit reset) to be called again later than
    /// `retry.maxWait`: until then this fetcher sends them nothing and fails their requests at once
    /// with `.rateLimited`, so the rest of a run goes on and what needed them is left for later.
    private let closedHosts = Mutex<[String: ContinuousClock.Instant]>([:])
    private let client: HTTPClient
    private let isShutDown = Mutex(false)
    private let cache: (any ValidatorCache)?
    private let logger: Logger

    public init(configuration: Configuration = Configuration(), cache: (any ValidatorCache)? = nil, logger: Logger = Logger(label: "trawl.http")) {
        self.configuration = configuration
        self.cache = cache
        self.logger = logger
        var config = HTTPClient.Configuration()
        config.decompression = .enabled(limit: .ratio(500))
        config.timeout = .init(connect: .nanoseconds(Int64(configuration.connectTimeout.nanoseconds)), read: .nanoseconds(Int64(configuration.requestTimeout.nanoseconds)))
        let maxConcurrency = Upstream.allCases.map(configuration.limit(for:)).max() ?? 8
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConcurrency)
        // Our retry loop owns retries (with counting and backoff); the pool must not silently retry
        // a refused connection until the deadline.
        config.connectionPool.retryConnectionEstablishment = false
        config.httpVersion = .http1Only
        // Redirects are followed by `attempt`, which drops every header but a few harmless ones when
        // the origin changes (AsyncHTTPClient's own following would forward API-key headers).
        config.redirectConfiguration = .disallow
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }

    /// Must be called once when done (AsyncHTTPClient requires an explicit shutdown).
    public func shutdown() async throws {
        isShutDown.withLock { $0 = true }
        try await client.shutdown()
    }

    /// A fetcher dropped without `shutdown()` — a run or a test left by an error before it got
    /// there — closes its client instead of letting AsyncHTTPClient's debug check end the whole
    /// process (which takes every other task of that process with it).
    deinit {
        guard !isShutDown.withLock({ $0 }) else { return }
        client.shutdown { _ in }
    }

    /// Fetches with retries. Non-retryable statuses (404, 401, …) are returned, not thrown:
    /// only the caller knows whether a 404 means "gone" or "try another name".
    public func fetch(_ request: FetchRequest) async throws -> FetchedResponse {
        guard let url = URL(string: request.url), let host = url.host else { throw HTTPFetchError.invalidURL(LogText.url(request.url)) }
        let hostKey = "\(host):\(url.port ?? (url.scheme == "https" ? 443 : 80))"
        let cached = request.validators == .reuseBody ? try await cache?.cachedResponse(for: request.url) : nil
        let policy = configuration.retry
        if let until = closedUntil(hostKey) {
            throw HTTPFetchError.rateLimited(url: LogText.url(request.url), until: until, retryAfter: until - .now)
        }
        var attempt = 0
        var lastFailure: HTTPFetchError?
        while attempt < policy.maxAttempts {
            attempt += 1
            if attempt > 1 { counters.record(request.upstream) { $0.retries += 1 } }
            let outcome: Outcome
            do {
                outcome = try await configuration.limitHost(limiter, hostKey, request.upstream) {
                    try await self.attempt(request, cached: cached)
                }
            } catch let error as CancellationError {
                throw error
            } catch {
                // Connection refused/reset, timeouts, truncated bodies: retry with backoff.
                if case .tooLarge = error as? HTTPFetchError { throw error }
                lastFailure = .transport(url: LogText.url(request.url), message: Self.describe(error), attempts: attempt)
                logger.debug("request failed, will retry", metadata: ["url": "\(LogText.url(request.url))", "attempt": "\(attempt)", "error": "\(Self.describe(error))"])
                if attempt < policy.maxAttempts { try await Task.sleep(for: policy.backoff(afterAttempt: attempt)) }
                continue
            }
            switch outcome {
            case .done(var response):
                response.attempts = attempt
                return response
            case .retry(let status, let wait):
                lastFailure = .status(url: LogText.url(request.url), status: status, attempts: attempt)
                let delay = wait ?? policy.backoff(afterAttempt: attempt)
                if delay > policy.maxWait {
                    close(hostKey, for: delay, upstream: request.upstream)
                    throw HTTPFetchError.rateLimited(url: LogText.url(request.url), until: .now + delay, retryAfter: delay)
                }
                logger.debug("retrying", metadata: ["url": "\(LogText.url(request.url))", "status": "\(status)", "attempt": "\(attempt)"])
                if attempt < policy.maxAttempts { try await Task.sleep(for: delay) }
            }
        }
        throw lastFailure ?? HTTPFetchError.transport(url: LogText.url(request.url), message: "no attempt made", attempts: 0)
    }

    /// When `host` may be called again, while it is closed.
    private func closedUntil(_ host: String) -> ContinuousClock.Instant? {
        closedHosts.withLock { hosts in
            guard let until = hosts[host] else { return nil }
            if until <= .now {
                hosts[host] = nil
                return nil
            }
            return until
        }
    }

    /// Closes `host` for `delay`: one warning line says when it asked to be called again.
    private func close(_ host: String, for delay: Duration, upstream: Upstream) {
        let until = ContinuousClock.now + delay
        // Requests in flight when the host closed get the same answer: one line for all of them.
        let newly = closedHosts.withLock { hosts -> Bool in
            let open = hosts[host].map { $0 <= .now } ?? true
            hosts[host] = max(hosts[host] ?? until, until)
            return open
        }
        let at = Date().addingTimeInterval(Double(delay.components.seconds))
        counters.record(upstream) { $0.callAgainAt = max($0.callAgainAt ?? at, at) }
        guard newly else { return }
        logger.warning(
            "\(upstream.rawValue) asked not to be called before \(at.formatted(.iso8601)) (in \(delay.components.seconds) s, longer than the \(configuration.retry.maxWait.components.seconds) s Trawl waits); no more requests to it in this run, what needed it is left pending",
            metadata: ["host": "\(host)"])
    }

    private enum Outcome: Sendable {
        case done(FetchedResponse)
        case retry(status: Int, wait: Duration?)
    }

    /// Redirects followed for one attempt.
    static let maxRedirects = 5
    /// Headers kept when a redirect leaves the origin: nothing that could carry a key.
    static let crossOriginHeaders: Set<String> = ["accept", "accept-encoding", "accept-language", "content-type", "user-agent"]

    private func attempt(_ request: FetchRequest, cached: CachedResponse?) async throws -> Outcome {
        let firstOrigin = URLCredentials.origin(of: request.url)
        var url = request.url
        var method = HTTPMethod(rawValue: request.method.rawValue)
        var requestBody = request.body
        var headers = request.headers
        var redirects = 0
        var response: HTTPClientResponse
        while true {
            let origin = URLCredentials.origin(of: url)
            var http = HTTPClientRequest(url: url)
            http.method = method
            http.headers.add(name: "User-Agent", value: configuration.userAgent)
            for header in headers { http.headers.add(name: header.name, value: header.value) }
            if let origin, let authorization = configuration.credentials[origin], !http.headers.contains(name: "Authorization") {
                http.headers.add(name: "Authorization", value: authorization.value)
            }
            if let cached, origin == firstOrigin {
                if let etag = cached.etag { http.headers.replaceOrAdd(name: "If-None-Match", value: etag) }
                if let modified = cached.lastModified { http.headers.replaceOrAdd(name: "If-Modified-Since", value: modified) }
            }
            if let requestBody { http.body = .bytes(ByteBuffer(bytes: requestBody)) }

            counters.record(request.upstream) { $0.requests += 1 }
            let timeout = request.timeout ?? configuration.requestTimeout
            response = try await client.execute(http, timeout: .nanoseconds(Int64(timeout.nanoseconds)), logger: nil)
            let code = Int(response.status.code)
            guard request.followRedirects, [301, 302, 303, 307, 308].contains(code), let location = response.headers.first(name: "Location"),
                let next = URL(string: location, relativeTo: URL(string: url))?.absoluteURL,
                next.scheme == "http" || next.scheme == "https"
            else { break }
            redirects += 1
            guard redirects <= Self.maxRedirects else { throw HTTPFetchError.transport(url: LogText.url(request.url), message: "more than \(Self.maxRedirects) redirects", attempts: 1) }
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let nextURL = next.absoluteString
            if URLCredentials.origin(of: nextURL) != origin {
                headers = headers.filter { Self.crossOriginHeaders.contains($0.name.lowercased()) }
            }
            if code == 303 || ((code == 301 || code == 302) && method == .POST) {
                method = .GET
                requestBody = nil
            }
            logger.debug("following a redirect", metadata: ["from": "\(LogText.url(url))", "status": "\(code)"])
            url = nextURL
        }
        let status = Int(response.status.code)
        // Read the whole body even for errors: a truncated body throws here and is retried. Past the
        // upstream's cap the request fails (an answer that large is not one this upstream gives).
        let limit = configuration.bodyLimit(for: request)
        let buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: limit)
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw HTTPFetchError.tooLarge(url: LogText.url(request.url), limit: limit)
        }
        let responseHeaders = response.headers
        let body = Array(buffer.readableBytesView)
        logger.trace("response", metadata: ["url": "\(LogText.url(request.url))", "status": "\(status)", "bytes": "\(body.count)"])
        let headerPairs = responseHeaders.map { (name: $0.name, value: $0.value) }
        if status == 304, let cached {
            counters.record(request.upstream) { $0.notModified += 1 }
            return .done(FetchedResponse(url: request.url, status: 200, headers: headerPairs, body: cached.body, fromCache: true, attempts: 1))
        }
        if let wait = Self.rateLimitWait(status: status, headers: responseHeaders) {
            return .retry(status: status, wait: wait)
        }
        if status == 429 || status == 408 || (500...599).contains(status) && status != 501 {
            return .retry(status: status, wait: RetryPolicy.retryAfter(responseHeaders.first(name: "Retry-After")))
        }
        let fetched = FetchedResponse(url: request.url, status: status, headers: headerPairs, body: body, fromCache: false, attempts: 1)
        if request.validators == .reuseBody, (200..<300).contains(status), let cache {
            let etag = responseHeaders.first(name: "ETag").flatMap { $0.utf8.count <= 1024 ? $0 : nil }
            let modified = responseHeaders.first(name: "Last-Modified").flatMap { $0.utf8.count <= 128 ? $0 : nil }
            if etag != nil || modified != nil {
                try await cache.saveCachedResponse(CachedResponse(
                    url: request.url, etag: etag, lastModified: modified, body: body, storedAt: Int64(Date().timeIntervalSince1970)))
            }
        }
        return .done(fetched)
    }

    /// GitHub-style limits: a 403/429 with `x-ratelimit-remaining: 0` waits until `x-ratelimit-reset`
    /// (epoch seconds); a 403 with `retry-after` is a secondary limit.
    static func rateLimitWait(status: Int, headers: HTTPHeaders) -> Duration? {
        guard status == 403 || status == 429 else { return nil }
        if let retryAfter = RetryPolicy.retryAfter(headers.first(name: "retry-after")) { return retryAfter }
        if headers.first(name: "x-ratelimit-remaining") == "0",
            let reset = headers.first(name: "x-ratelimit-reset").flatMap(Double.init)
        {
            return BoundedNumber.wait(seconds: max(1, reset - Date().timeIntervalSince1970), limit: RetryPolicy.longestHonouredWait)
        }
        return nil
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return LogText.capped("\(error)") }
        return LogText.capped(String(describing: error))
    }
}

extension HTTPFetcher.Configuration {
    fileprivate func limitHost<T: Sendable>(
        _ limiter: HostLimiter, _ host: String, _ upstream: Upstream, _ body: () async throws -> T
    ) async throws -> T {
        try await limiter.withPermit(
            host: host, limit: limit(for: upstream), minimumInterval: interval(for: upstream), budget: budget(for: upstream), body)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
