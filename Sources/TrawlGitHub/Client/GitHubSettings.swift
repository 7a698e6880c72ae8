public import TrawlCore

/// The GitHub knobs of docs/design.md §3 and the issue: concurrency and the shared cache's TTL.
public struct GitHubSettings: Sendable {
    /// Requests (GraphQL batches or REST calls) in flight at once: `TRAWL_GITHUB_CONCURRENCY`, default 10.
    public var concurrency: Int
    /// Seconds a cached repository is used without asking GitHub again: `TRAWL_GITHUB_CACHE_TTL`, default 24 h.
    public var cacheTTL: Int64

    public init(concurrency: Int = 10, cacheTTL: Int64 = 86_400) {
        self.concurrency = max(1, concurrency)
        self.cacheTTL = max(0, cacheTTL)
    }

    public init(config: TrawlConfig) {
        self.init(
            concurrency: config.value("TRAWL_GITHUB_CONCURRENCY").flatMap { Int($0) } ?? 10,
            cacheTTL: config.seconds("TRAWL_GITHUB_CACHE_TTL", default: 86_400))
    }
}
