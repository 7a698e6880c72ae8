import Foundation
public import Logging
public import TrawlCore
import Synchronization

/// Talks to GitHub's REST and GraphQL APIs through the shared `HTTPFetcher` (which owns retries,
/// `Retry-After`, secondary-limit waits and per-host limits). This layer adds the token (as a header
/// only, never in a URL or a log line) and the budget bookkeeping of `GitHubRateLimit`.
public final class GitHubClient: Sendable {
    public let http: HTTPFetcher
    public let baseURL: String
    public let rate: GitHubRateLimit
    let token: Secret?
    let logger: Logger

    /// Set after a request could not reach GitHub at all: the rest of the run does not try again.
    private let unreachable = Mutex<String?>(nil)

    /// Why GitHub is considered unreachable for this run, if it is.
    public var unreachableReason: String? { unreachable.withLock { $0 } }

    /// Once per process: running without a token is legal but slow, and worth one warning.
    private static let warnedNoToken = Mutex(false)

    public init(http: HTTPFetcher, baseURL: String, token: Secret?, logger: Logger, rate: GitHubRateLimit = GitHubRateLimit()) {
        self.http = http
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.token = token
        self.logger = logger
        self.rate = rate
    }

    public convenience init(context: PluginContext) {
        self.init(http: context.http, baseURL: context.config.githubAPIURL, token: context.config.githubToken, logger: context.logger)
    }

    public var hasToken: Bool { token != nil }

    /// Logs the no-token warning the first time GitHub is used without one.
    public func warnIfAnonymous() {
        guard token == nil else { return }
        let first = Self.warnedNoToken.withLock { done in
            defer { done = true }
            return !done
        }
        if first {
            logger.warning("GITHUB_TOKEN is not set: GitHub allows 60 requests an hour without it; GraphQL batches need a token, so repositories are fetched one REST call each")
        }
    }

    func headers(accept: String) -> [(name: String, value: String)] {
        var headers = [(name: "Accept", value: accept), (name: "X-GitHub-Api-Version", value: "2022-11-28")]
        if let token { headers.append((name: "Authorization", value: "Bearer \(token.value)")) }
        return headers
    }

    /// A REST GET of `path` (starting with `/`). Non-2xx statuses are returned; a spent budget throws.
    public func get(
        _ path: String, accept: String = "application/vnd.github+json", extraHeaders: [(name: String, value: String)] = [],
        validators: ValidatorMode = .off
    ) async throws -> FetchedResponse {
        try checkReachable()
        try await waitForShortReset()
        try rate.check()
        let request = FetchRequest(baseURL + path, upstream: .github, headers: headers(accept: accept) + extraHeaders, validators: validators)
        let response = try await send(request)
        if (response.status == 403 || response.status == 429), rate.isExhausted {
            throw GitHubBudgetExhausted(resetAt: rate.resetAt)
        }
        return response
    }

    /// One GraphQL query. Returns `data`; field-level errors (a missing repository) come back in
    /// `errors` beside it. A query GitHub rejects as a whole throws with GitHub's messages.
    public func graphQL(_ query: String) async throws -> GraphQLResult {
        try checkReachable()
        try await waitForShortReset()
        try rate.check()
        let body = try JSONSerialization.data(withJSONObject: ["query": query])
        var request = FetchRequest(baseURL + "/graphql", method: .POST, upstream: .github, headers: headers(accept: "application/json"), body: Array(body))
        request.headers.append((name: "Content-Type", value: "application/json"))
        let response = try await send(request)
        if response.status == 401 { throw GitHubError.unauthorized(path: "/graphql") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            if response.status == 403 || response.status == 429, rate.isExhausted { throw GitHubBudgetExhausted(resetAt: rate.resetAt) }
            throw GitHubError.badBody(path: "/graphql")
        }
        let errors = (object["errors"] as? [[String: Any]]) ?? []
        if errors.contains(where: { ($0["type"] as? String) == "RATE_LIMITED" }) || (response.status == 403 && rate.isExhausted) {
            rate.markExhausted(resetAt: rate.resetAt)
            throw GitHubBudgetExhausted(resetAt: rate.resetAt)
        }
        guard response.isSuccess else {
            throw GitHubError.status(path: "/graphql", status: response.status, message: (object["message"] as? String) ?? "")
        }
        let data = object["data"] as? [String: Any]
        if data == nil, !errors.isEmpty {
            throw GitHubError.graphQL(errors.map { ($0["message"] as? String) ?? "error" })
        }
        if let limit = data?["rateLimit"] as? [String: Any] {
            let reset = (limit["resetAt"] as? String).flatMap(GitHubDate.epoch)
            rate.observe(remaining: limit["remaining"] as? Int, resetAt: reset, cost: limit["cost"] as? Int)
        }
        return GraphQLResult(data: data ?? [:], errors: errors.map(GraphQLFieldError.init))
    }

    /// A spent budget that comes back soon (search allows 30 requests a minute) is waited for, as
    /// the fetcher waits for a short `x-ratelimit-reset`; an hourly budget is not.
    func waitForShortReset() async throws {
        guard rate.isExhausted, let reset = rate.resetAt else { return }
        let wait = reset - Int64(Date().timeIntervalSince1970)
        guard wait <= Self.longestWait else { return }
        logger.debug("GitHub budget spent; waiting for its reset", metadata: ["seconds": "\(max(0, wait) + 1)"])
        try await Task.sleep(for: .seconds(max(0, wait) + 1))
    }

    /// The longest reset worth sleeping for (the fetcher's default `RetryPolicy.maxWait`).
    static let longestWait: Int64 = 120

    func checkReachable() throws {
        if let reason = unreachableReason { throw GitHubUnreachable(reason: reason) }
    }

    /// Sends through the fetcher and reads the budget headers of whatever comes back.
    private func send(_ request: FetchRequest) async throws -> FetchedResponse {
        do {
            let response = try await http.fetch(request)
            let remaining = response.header("x-ratelimit-remaining").flatMap { Int($0) }
            let reset = response.header("x-ratelimit-reset").flatMap { BoundedNumber.integer($0) }
            rate.observe(remaining: remaining, resetAt: reset)
            if (response.status == 403 || response.status == 429), remaining == 0 { rate.markExhausted(resetAt: reset) }
            return response
        } catch HTTPFetchError.rateLimited(_, _, let wait) {
            // The fetcher would have to sleep longer than it is allowed to: the budget is gone.
            let reset = wait.map { Int64(Date().timeIntervalSince1970) + $0.components.seconds }
            rate.markExhausted(resetAt: reset)
            throw GitHubBudgetExhausted(resetAt: reset)
        } catch let error as HTTPFetchError {
            if case .transport(_, let message, _) = error {
                unreachable.withLock { $0 = $0 ?? message }
                throw GitHubUnreachable(reason: message)
            }
            throw error
        }
    }
}

/// The `data` of a GraphQL answer and its per-field errors.
public struct GraphQLResult: @unchecked Sendable {
    public var data: [String: Any]
    public var errors: [GraphQLFieldError]
}

public struct GraphQLFieldError: Sendable {
    /// GitHub's error type (`NOT_FOUND`, `FORBIDDEN`, …), "" when absent.
    public var type: String
    public var message: String
    /// The first element of `path`: the alias of the failed field.
    public var alias: String?

    init(_ object: [String: Any]) {
        type = (object["type"] as? String) ?? ""
        message = (object["message"] as? String) ?? ""
        alias = (object["path"] as? [Any])?.first as? String
    }
}

/// GitHub's ISO 8601 timestamps as epoch seconds.
enum GitHubDate {
    static func epoch(_ text: String) -> Int64? {
        guard text.utf8.count <= 64, let date = try? Date(text, strategy: .iso8601) else { return nil }
        return BoundedNumber.int64(date.timeIntervalSince1970)
    }
}
