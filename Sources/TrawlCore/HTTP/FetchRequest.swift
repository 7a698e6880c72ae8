/// One request as upstream clients describe it; the fetcher adds politeness, retries and caching.
public struct FetchRequest: Sendable {
    public enum Method: String, Sendable { case GET, POST, PUT, PATCH, DELETE, HEAD }

    public var url: String
    public var method: Method
    public var upstream: Upstream
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// Whether to revalidate with `If-None-Match`/`If-Modified-Since` from the validator cache.
    public var validators: ValidatorMode
    /// Overrides the fetcher's per-request deadline.
    public var timeout: Duration?
    /// Overrides `Upstream.maxBodyBytes` (the simple index's root listing is far larger than any project).
    public var maxBodyBytes: Int?
    /// Whether 3xx answers are followed. Off for webhooks: a redirected POST may turn into a GET (a
    /// 2xx that delivered nothing) or carry the signature somewhere else, so a 3xx is returned as is.
    public var followRedirects: Bool

    public init(
        _ url: String, method: Method = .GET, upstream: Upstream, headers: [(name: String, value: String)] = [],
        body: [UInt8]? = nil, validators: ValidatorMode = .off, timeout: Duration? = nil, maxBodyBytes: Int? = nil,
        followRedirects: Bool = true
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.followRedirects = followRedirects
        self.url = url
        self.method = method
        self.upstream = upstream
        self.headers = headers
        self.body = body
        self.validators = validators
        self.timeout = timeout
    }
}

/// How a request uses the validator cache. The cache is shared by every collection, so it only
/// keeps entries whose 304 stands for a stored body (GitHub READMEs, files): a 304 answers with
/// that body, never with "what some collection already has". Conditional project-JSON requests
/// carry the ETag stored in the collection's own document instead (see `PackageIndex.fetch`).
public enum ValidatorMode: Sendable, Equatable {
    /// No conditional request.
    case off
    /// Keep the body with its ETag; a 304 returns the stored body as a 200 (`fromCache`).
    case reuseBody
}

/// A complete response. After a 304 the stored body is returned with `status` 200 and `fromCache`.
public struct FetchedResponse: Sendable {
    public var url: String
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// True when the server answered 304 and the body came from the validator cache.
    public var fromCache: Bool
    /// Attempts this response took (1 when the first try succeeded).
    public var attempts: Int

    public init(url: String, status: Int, headers: [(name: String, value: String)], body: [UInt8], fromCache: Bool, attempts: Int) {
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
        self.fromCache = fromCache
        self.attempts = attempts
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var bodyString: String { String(decoding: body, as: UTF8.self) }
    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// Why a request failed after its retries. Messages carry the URL but never a header value.
public enum HTTPFetchError: Error, Sendable, CustomStringConvertible {
    /// Connection refused/reset, timeout or truncated body, on every attempt.
    case transport(url: String, message: String, attempts: Int)
    /// 429/5xx on every attempt.
    case status(url: String, status: Int, attempts: Int)
    /// The server asked to wait longer than the policy allows; retry after `until` (if known).
    case rateLimited(url: String, until: ContinuousClock.Instant?, retryAfter: Duration?)
    case invalidURL(String)
    /// The body was larger than the upstream's cap (`Upstream.maxBodyBytes`); not retried.
    case tooLarge(url: String, limit: Int)

    public var description: String {
        switch self {
        case .transport(let url, let message, let attempts): "\(url): \(message) (after \(attempts) attempts)"
        case .status(let url, let status, let attempts): "\(url): HTTP \(status) (after \(attempts) attempts)"
        case .rateLimited(let url, _, let wait):
            "\(url): rate limited" + (wait.map { "; retry in \(Int($0.components.seconds)) s" } ?? "")
        case .invalidURL(let url): "invalid URL: \(url)"
        case .tooLarge(let url, let limit): "\(url): the answer is larger than \(limit >> 20) MiB"
        }
    }
}
