import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1

/// The one HTTP client every upstream goes through: per-host limits, deadlines, retries with
/// jittered backoff, `Retry-After`/rate-limit resets, ETag revalidation, gzip, a User-Agent, and
/// request counters. Upstream clients only say what they want; politeness lives here, once.
public final class HTTPFetcher: Sendable {
    public struct Configuration: Sendable {
        public var retry: RetryPolicy
        public var requestTimeout: Duration
        public var connectTimeout: Duration
        public var maxBodyBytes: Int
        public var userAgent: String
        /// Per-upstream overrides of `Upstream.defaultConcurrency`.
        public var concurrency: [Upstream: Int]
        public var minimumInterval: [Upstream: Duration]
        /// Per-upstream overrides of `Upstream.defaultBudget`.
        public var budget: [Upstream: RequestBudget]

        public init(
            retry: RetryPolicy = .standard, requestTimeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(10),
            maxBodyBytes: Int = 512 << 20, userAgent: String = TrawlVersion.userAgent,
            concurrency: [Upstream: Int] = [:], minimumInterval: [Upstream: Duration] = [:], budget: [Upstream: RequestBudget] = [:]
        ) {
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
    }

    public let configuration: Configuration
    public let counters = RequestCounters()
    public let limiter = HostLimiter()
    private let client: HTTPClient
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
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }

    /// Must be called once when done (AsyncHTTPClient requires an explicit shutdown).
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Fetches with retries. Non-retryable statuses (404, 401, …) are returned, not thrown:
    /// only the caller knows whether a 404 means "gone" or "try another name".
    public func fetch(_ request: FetchRequest) async throws -> FetchedResponse {
        guard let url = URL(string: request.url), let host = url.host else { throw HTTPFetchError.invalidURL(request.url) }
        let hostKey = "\(host):\(url.port ?? (url.scheme == "https" ? 443 : 80))"
        let sendsValidators = request.validators == .reuseBody || request.validators == .revalidateOnly
        let cached = sendsValidators ? try await cache?.cachedResponse(for: request.url) : nil
        let policy = configuration.retry
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
                lastFailure = .transport(url: request.url, message: Self.describe(error), attempts: attempt)
                logger.debug("request failed, will retry", metadata: ["url": "\(request.url)", "attempt": "\(attempt)", "error": "\(Self.describe(error))"])
                if attempt < policy.maxAttempts { try await Task.sleep(for: policy.backoff(afterAttempt: attempt)) }
                continue
            }
            switch outcome {
            case .done(var response):
                response.attempts = attempt
                return response
            case .retry(let status, let wait):
                lastFailure = .status(url: request.url, status: status, attempts: attempt)
                let delay = wait ?? policy.backoff(afterAttempt: attempt)
                if delay > policy.maxWait {
                    throw HTTPFetchError.rateLimited(url: request.url, until: .now + delay, retryAfter: delay)
                }
                logger.debug("retrying", metadata: ["url": "\(request.url)", "status": "\(status)", "attempt": "\(attempt)"])
                if attempt < policy.maxAttempts { try await Task.sleep(for: delay) }
            }
        }
        throw lastFailure ?? HTTPFetchError.transport(url: request.url, message: "no attempt made", attempts: 0)
    }

    private enum Outcome: Sendable {
        case done(FetchedResponse)
        case retry(status: Int, wait: Duration?)
    }

    private func attempt(_ request: FetchRequest, cached: CachedResponse?) async throws -> Outcome {
        var http = HTTPClientRequest(url: request.url)
        http.method = HTTPMethod(rawValue: request.method.rawValue)
        http.headers.add(name: "User-Agent", value: configuration.userAgent)
        for header in request.headers { http.headers.add(name: header.name, value: header.value) }
        if let cached {
            if let etag = cached.etag { http.headers.replaceOrAdd(name: "If-None-Match", value: etag) }
            if let modified = cached.lastModified { http.headers.replaceOrAdd(name: "If-Modified-Since", value: modified) }
        }
        if let body = request.body { http.body = .bytes(ByteBuffer(bytes: body)) }

        counters.record(request.upstream) { $0.requests += 1 }
        let timeout = request.timeout ?? configuration.requestTimeout
        let response = try await client.execute(http, timeout: .nanoseconds(Int64(timeout.nanoseconds)), logger: nil)
        let status = Int(response.status.code)
        // Read the whole body even for errors: a truncated body throws here and is retried.
        let buffer = try await response.body.collect(upTo: configuration.maxBodyBytes)
        let headers = response.headers.map { (name: $0.name, value: $0.value) }
        let body = Array(buffer.readableBytesView)
        logger.trace("response", metadata: ["url": "\(request.url)", "status": "\(status)", "bytes": "\(body.count)"])

        if status == 304, let cached {
            counters.record(request.upstream) { $0.notModified += 1 }
            if request.validators == .revalidateOnly {
                return .done(FetchedResponse(url: request.url, status: 304, headers: headers, body: [], fromCache: true, attempts: 1))
            }
            return .done(FetchedResponse(url: request.url, status: 200, headers: headers, body: cached.body, fromCache: true, attempts: 1))
        }
        if let wait = Self.rateLimitWait(status: status, headers: response.headers) {
            return .retry(status: status, wait: wait)
        }
        if status == 429 || status == 408 || (500...599).contains(status) && status != 501 {
            return .retry(status: status, wait: RetryPolicy.retryAfter(response.headers.first(name: "Retry-After")))
        }
        let fetched = FetchedResponse(url: request.url, status: status, headers: headers, body: body, fromCache: false, attempts: 1)
        if request.validators != .off, (200..<300).contains(status), let cache {
            let etag = response.headers.first(name: "ETag")
            let modified = response.headers.first(name: "Last-Modified")
            if etag != nil || modified != nil {
                let kept = request.validators == .reuseBody ? body : []
                try await cache.saveCachedResponse(CachedResponse(
                    url: request.url, etag: etag, lastModified: modified, body: kept, storedAt: Int64(Date().timeIntervalSince1970)))
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
            return .seconds(max(1, reset - Date().timeIntervalSince1970))
        }
        return nil
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        return String(describing: error)
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
