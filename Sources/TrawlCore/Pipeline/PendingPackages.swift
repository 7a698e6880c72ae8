import Foundation

/// A package a run took on and could not store: its fetch failed (429 past the longest wait, 5xx
/// after retries, a timeout, a reset, a body cut short), or the run ended before reaching it.
/// It stays in its collection's pending list until it is fetched or confirmed gone.
public struct PendingPackage: Codable, Sendable, Equatable {
    public var name: String
    /// Why it waits: the problem kind of its last failure (`pypi-unreachable`, `pypi-http`,
    /// `pypi-rate-limited`, …), or `not-reached` for a package a run took on and did not get to.
    public var reason: String
    /// Failed attempts so far (0 for one not reached yet).
    public var attempts: Int
    /// Unix seconds of the first time it was left pending.
    public var since: Int64
    /// Unix seconds before which a worker does not try it again (backoff); commands try it anyway.
    public var notBefore: Int64
    /// The sources that discovered it (a full crawl): one must confirm it on the fresh metadata.
    /// Empty: it must already be in the collection or be claimed by a source (an index event).
    public var sources: [String]
    public var official: Bool

    enum CodingKeys: String, CodingKey {
        case name, reason, attempts, since, sources, official
        case notBefore = "not_before"
    }

    /// The reason of a package whose upstream asked to be called again later than Trawl waits.
    public static let rateLimited = "pypi-rate-limited"

    public init(
        name: String, reason: String, attempts: Int = 0, since: Int64, notBefore: Int64 = 0, sources: [String] = [], official: Bool = false
    ) {
        self.name = name
        self.reason = reason
        self.attempts = attempts
        self.since = since
        self.notBefore = notBefore
        self.sources = sources
        self.official = official
    }

    /// The wait before a worker tries a package again after `attempts` failures: 1 min, doubling,
    /// at most an hour.
    public static func backoff(afterAttempts attempts: Int) -> Int64 {
        min(3_600, Int64(60) << Int64(min(max(attempts - 1, 0), 6)))
    }
}

/// One collection's pending list, kept in the store as a checkpoint (`CrawlCheckpoints.pending`).
/// Every crawl mode, every enrich run and every worker job takes it first; see `Crawler+Pending`.
public struct PendingPackages: Sendable, Equatable {
    public private(set) var entries: [String: PendingPackage] = [:]

    /// At most this many names wait; past it the newest failures are not kept (an index failing for
    /// that many packages at once is an outage a full crawl or refresh repairs), with a warning.
    public static let capacity = 50_000

    public init(_ entries: [PendingPackage] = []) {
        for entry in entries { self.entries[entry.name] = entry }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var names: Set<String> { Set(entries.keys) }

    /// How many wait for each reason.
    public var reasons: [String: Int] {
        entries.values.reduce(into: [:]) { $0[$1.reason, default: 0] += 1 }
    }

    /// The entries to try now, by name: all of them, or (a worker) only those whose backoff is over.
    public func due(at now: Int64, all: Bool) -> [PendingPackage] {
        entries.values.filter { all || $0.notBefore <= now }.sorted { $0.name < $1.name }
    }

    /// Takes a package on: it waits as `not-reached` until stored, unless it already waits.
    /// Returns false when the list is full.
    @discardableResult
    public mutating func takeOn(_ name: String, now: Int64, sources: [String] = [], official: Bool = false) -> Bool {
        let key = PackageName.normalize(name)
        if entries[key] != nil { return true }
        guard entries.count < Self.capacity else { return false }
        entries[key] = PendingPackage(name: key, reason: "not-reached", since: now, sources: sources, official: official)
        return true
    }

    /// Records a failed fetch: one more attempt, the reason, and when a worker may try again
    /// (`retryAt` when the upstream said so, else the backoff). Returns false when the list is full.
    @discardableResult
    public mutating func failed(
        _ name: String, reason: String, now: Int64, retryAt: Int64? = nil, sources: [String] = [], official: Bool = false
    ) -> Bool {
        let key = PackageName.normalize(name)
        var entry = entries[key] ?? PendingPackage(name: key, reason: reason, since: now, sources: sources, official: official)
        if entries[key] == nil, entries.count >= Self.capacity { return false }
        entry.reason = reason
        entry.attempts += 1
        entry.notBefore = max(now + PendingPackage.backoff(afterAttempts: entry.attempts), retryAt ?? 0)
        if entry.sources.isEmpty { entry.sources = sources }
        entry.official = entry.official || official
        entries[key] = entry
        return true
    }

    /// Stored, unchanged, confirmed gone or no longer a member: it waits no more.
    public mutating func settle<S: Sequence<String>>(_ names: S) {
        for name in names { entries[PackageName.normalize(name)] = nil }
    }
}

extension PendingPackages: Codable {
    /// The stored form is the entries' list; a list of bare names (the incremental pending list of
    /// earlier versions) reads as names not reached yet.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([PendingPackage].self) {
            self.init(list)
        } else {
            let names = try container.decode([String].self)
            self.init(names.map { PendingPackage(name: PackageName.normalize($0), reason: "not-reached", since: 0) })
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(entries.values.sorted { $0.name < $1.name })
    }
}

extension PendingPackages {
    /// `collection`'s pending list as stored (empty when none is).
    public static func load(from store: any CheckpointStore, collection: String) async throws -> PendingPackages {
        let checkpoints = CrawlCheckpoints(collection: collection)
        for name in [checkpoints.pending, checkpoints.legacyPending] {
            if let saved = try await store.checkpoint(name),
                let list = try? JSONDecoder().decode(PendingPackages.self, from: Data(saved.utf8))
            {
                return list
            }
        }
        return PendingPackages()
    }

    /// Stores the list as `collection`'s (an empty one deletes it).
    public func save(to store: any CheckpointStore, collection: String) async throws {
        let checkpoints = CrawlCheckpoints(collection: collection)
        if isEmpty {
            try await store.deleteCheckpoint(checkpoints.pending)
        } else {
            let data = try JSONEncoder().encode(self)
            try await store.saveCheckpoint(checkpoints.pending, value: String(decoding: data, as: UTF8.self))
        }
        try await store.deleteCheckpoint(checkpoints.legacyPending)
    }

    /// One line for people: "54 pending (pypi-rate-limited 50, pypi-unreachable 4)".
    public var summaryLine: String {
        "\(count) pending" + (isEmpty ? "" : " (" + reasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")")
    }
}
