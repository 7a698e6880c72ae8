/// The services Trawl talks to. Each has its own politeness limits and request counter.
public enum Upstream: String, Sendable, CaseIterable, Codable, Hashable {
    case pypi, github, clickhouse, pypistats, typesense, other
    /// Receivers of a profile's `notify:` webhooks (delivered by the worker's `notify` jobs).
    case webhook

    /// docs/design.md §3 politeness: at most this many requests in flight per host.
    public var defaultConcurrency: Int {
        switch self {
        case .pypi: 32
        case .github: 10
        case .clickhouse: 2
        case .pypistats: 1
        case .typesense: 8
        case .other: 8
        case .webhook: 4
        }
    }

    /// The shortest gap between two request starts (pypistats asks for ≤ 5 requests/s).
    public var defaultMinimumInterval: Duration {
        switch self {
        case .pypistats: .milliseconds(200)
        default: .zero
        }
    }

    /// A sliding-window quota on top of the interval: pypistats allows 30 requests a minute.
    public var defaultBudget: RequestBudget? {
        switch self {
        case .pypistats: RequestBudget(count: 30, per: .seconds(60))
        default: nil
        }
    }

    /// The largest answer accepted from this upstream. One project's JSON with thousands of releases
    /// is a few MiB; the simple index's root listing (every project) asks for more per request
    /// (`FetchRequest.maxBodyBytes`). A larger answer fails that request instead of filling memory.
    public var maxBodyBytes: Int {
        switch self {
        case .pypi: 64 << 20
        case .github: 16 << 20
        case .clickhouse: 256 << 20
        case .pypistats: 4 << 20
        case .typesense: 64 << 20
        case .other: 16 << 20
        // A receiver's answer is only read for its status; anything larger is not a webhook answer.
        case .webhook: 64 << 10
        }
    }
}
