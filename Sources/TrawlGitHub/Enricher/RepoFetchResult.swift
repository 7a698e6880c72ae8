import TrawlCore

/// What fetching a set of repositories gave: answers to cache and apply, failures to report, and
/// the repositories left unfetched because the budget ran out.
public struct RepoFetchResult: Sendable {
    public var answers: [String: GitHubRepoCache.Answer] = [:]
    /// Keys answered 304: the cached data is still right (only its fetched-at moves).
    public var notModified: Set<String> = []
    public var failures: [String: String] = [:]
    public var leftOver: [String] = []
    /// Keys not fetched because GitHub could not be reached: they keep what they had.
    public var unreachable: [String] = []
    public var exhausted: GitHubBudgetExhausted?

    public init() {}

    mutating func merge(_ other: RepoFetchResult) {
        answers.merge(other.answers) { _, new in new }
        notModified.formUnion(other.notModified)
        failures.merge(other.failures) { _, new in new }
        leftOver += other.leftOver
        unreachable += other.unreachable
        exhausted = exhausted ?? other.exhausted
    }
}

/// A way to fetch repositories: GraphQL batches with a token, REST one by one without.
protocol RepoFetcher: Sendable {
    func fetch(_ refs: [RepoRef], cached: [String: GitHubRepoCache.Hit]) async -> RepoFetchResult
}
