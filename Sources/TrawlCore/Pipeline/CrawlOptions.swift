/// Which kind of run: docs/design.md §4.
public enum CrawlMode: String, Sendable, Codable {
    /// Discover from scratch, fetch, enrich, store; packages no longer discovered are flagged stale.
    case full
    /// Only what changed since the stored serial (feeds + changelog).
    case incremental
    /// Re-fetch every package of the collection; only a confirmed 404 removes one.
    case refresh
}

public struct CrawlOptions: Sendable {
    public var mode: CrawlMode
    /// At most this many packages (not releases).
    public var limit: Int?
    /// Only packages whose normalized name contains this.
    public var filterName: String?
    public var enrich: Bool
    /// Packages per store transaction and checkpoint.
    public var batchSize: Int
    /// JSON fetches in flight.
    public var concurrency: Int
    /// Wait before re-checking a 404 (a refresh removes only a 404 seen twice).
    public var confirmDelay: Duration
    public var dedupTTLNew: Int64
    public var dedupTTLUpdate: Int64
    /// Apply removals and stale flags even when they would take away more than half of the
    /// collection (`--force`); without it such a run removes nothing (see `ShrinkGuard`).
    public var force = false
    /// Take only the pending packages whose backoff is over (a worker job); a command takes them all.
    public var pendingDueOnly = false

    public init(
        mode: CrawlMode, limit: Int? = nil, filterName: String? = nil, enrich: Bool = true, batchSize: Int = 200,
        concurrency: Int = 32, confirmDelay: Duration = .seconds(5), dedupTTLNew: Int64 = 86_400, dedupTTLUpdate: Int64 = 86_400
    ) {
        self.mode = mode
        self.limit = limit
        self.filterName = filterName.map { PackageName.normalize($0) }
        self.enrich = enrich
        self.batchSize = max(1, batchSize)
        self.concurrency = max(1, concurrency)
        self.confirmDelay = confirmDelay
        self.dedupTTLNew = dedupTTLNew
        self.dedupTTLUpdate = dedupTTLUpdate
    }

    /// Discovery is partial when limited or filtered: then nothing may be flagged stale.
    var isPartial: Bool { limit != nil || filterName != nil }
}

/// The `crawl --json` summary (docs/design.md §5).
public struct CrawlSummary: Codable, Sendable, Equatable {
    public struct Requests: Codable, Sendable, Equatable {
        public var pypi = 0
        public var github = 0
        public var clickhouse = 0
        public var pypistats = 0

        public init() {}

        /// The requests `counters` has seen, per upstream.
        public init(_ counters: RequestCounters) {
            pypi = counters[.pypi].requests
            github = counters[.github].requests
            clickhouse = counters[.clickhouse].requests
            pypistats = counters[.pypistats].requests
        }
    }

    enum CodingKeys: String, CodingKey {
        case profile, collection, mode, discovered, fetched, unchanged, indexed, removed, stale, problems, resumed, requests, seconds
        case discoverySeconds = "discovery_seconds"
        case withheld
        case pendingRetried = "pending_retried", pending, pendingReasons = "pending_reasons", callAgainAt = "call_again_at"
    }

    public var profile: String
    public var collection: String
    public var mode: String
    public var discovered = 0
    public var fetched = 0
    public var unchanged = 0
    public var indexed = 0
    public var removed = 0
    public var stale = 0
    public var problems = 0
    public var resumed = false
    public var requests = Requests()
    public var seconds = 0.0
    /// Of `seconds`, the time spent discovering (the rest is fetch, enrich and store).
    public var discoverySeconds = 0.0
    /// Why removals or stale flags were withheld (the shrink guard), nil when none were.
    public var withheld: String?
    /// Pending packages (earlier failures) this run took on first.
    public var pendingRetried = 0
    /// Packages left pending after this run (fetched by the next), and why, by problem kind.
    public var pending = 0
    public var pendingReasons: [String: Int] = [:]
    /// Upstreams that asked not to be called again before a time later than Trawl waits (ISO 8601):
    /// the run stopped calling them, and what needed them is pending.
    public var callAgainAt: [String: String] = [:]

    /// The closing line's tail about pending packages ("", or "; 54 pending (pypi-rate-limited 54)…").
    public var pendingPhrase: String {
        guard pending > 0 || !callAgainAt.isEmpty else { return "" }
        var phrase = "; \(pending) pending"
        if !pendingReasons.isEmpty {
            phrase += " (" + pendingReasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        }
        for (upstream, at) in callAgainAt.sorted(by: { $0.key < $1.key }) { phrase += "; \(upstream) asked to be called again at \(at)" }
        return phrase
    }

    public init(profile: String, collection: String, mode: String) {
        self.profile = profile
        self.collection = collection
        self.mode = mode
    }
}

/// Where a long run reports progress: a bar on a terminal, log lines otherwise.
public protocol ProgressReporter: Sendable {
    func update(phase: String, done: Int, total: Int?)
    func finish()
}
