import Foundation

/// The collection's pending list in a crawl: taken first by every run, updated after every write.
extension Crawler {
    /// At most this many pending packages are taken by one worker job.
    static let pendingPerJob = 500

    /// The collection's pending list (empty when none is stored).
    public func loadPending() async throws -> PendingPackages {
        try await PendingPackages.load(from: store, collection: collection)
    }

    func savePending(_ pending: PendingPackages) async throws {
        try await pending.save(to: store, collection: collection)
    }

    /// When a worker may try a package that failed for `reason` again, where the index said: the time
    /// it asked to be called again, at most a day ahead (`Retry-After: inf` is not a plan).
    func retryAt(_ reason: String) -> Int64? {
        guard reason == PendingPackage.rateLimited, let at = counters?[.pypi].callAgainAt else { return nil }
        return min(Int64(at.timeIntervalSince1970), Self.now + 86_400)
    }

    /// After a batch is written: what failed waits (one more attempt, its reason, its backoff), the
    /// rest of the batch — stored, unchanged, gone, or not a member — waits no more.
    func note(_ items: [WorkItem], _ outcome: BatchOutcome, in pending: inout PendingPackages) async throws {
        let before = pending
        let now = Self.now
        let failed = Dictionary(outcome.failed.map { ($0.name, $0.kind) }, uniquingKeysWith: { first, _ in first })
        var dropped = 0
        var resolved: [String: [String]] = [:]
        for item in items {
            let key = PackageName.normalize(item.name)
            guard let kind = failed[key] else {
                if let entry = pending.entries[key] { resolved[entry.reason, default: []].append(key) }
                pending.settle([key])
                continue
            }
            let kept = pending.failed(
                key, reason: kind, now: now, retryAt: retryAt(kind),
                sources: item.discovered?.sources ?? [], official: item.discovered?.isOfficial ?? false)
            if !kept { dropped += 1 }
        }
        if dropped > 0 {
            logger.warning("the pending list is full; these failed packages need a refresh", metadata: ["dropped": "\(dropped)"])
        }
        if pending != before { try await savePending(pending) }
        // Its failure is over: a package fetched at last (a member or not) loses that problem.
        for (reason, names) in resolved where reason != "not-reached" {
            try await store.clearProblems(packages: names, kind: reason, collection: collection)
        }
    }

    /// Fetches first what earlier runs of this collection could not: all of it for a command, only
    /// what is past its backoff for a worker job (`options.pendingDueOnly`). A package found by a
    /// source must be confirmed again; one from an index event, claimed (docs/architecture.md).
    func retryPending(_ summary: inout CrawlSummary) async throws {
        var pending = try await loadPending()
        var due = pending.due(at: Self.now, all: !options.pendingDueOnly)
        if let filter = options.filterName { due = due.filter { $0.name.contains(filter) } }
        if options.pendingDueOnly, due.count > Self.pendingPerJob {
            // A worker job takes the longest-waiting first and leaves the rest for its next run, so a
            // feed poll after an outage still gets to the new releases within its minute.
            due = Array(due.sorted { ($0.notBefore, $0.name) < ($1.notBefore, $1.name) }.prefix(Self.pendingPerJob))
        }
        guard !due.isEmpty else { return }
        let known = try await store.documents(due.map(\.name), collection: collection)
        let items = due.map { entry in
            guard entry.sources.isEmpty else {
                let discovered = DiscoveredPackage(name: entry.name, sources: entry.sources, reasons: [], isOfficial: entry.official, prefetched: nil)
                return WorkItem(name: entry.name, discovered: discovered, prefetched: nil, requireConfirm: true)
            }
            return WorkItem(name: entry.name, discovered: nil, prefetched: nil, requireConfirm: false, requireClaim: known[entry.name] == nil)
        }
        summary.pendingRetried = items.count
        logger.info("fetching first what earlier runs could not", metadata: [
            "collection": "\(collection)", "packages": "\(items.count)",
            "reasons": "\(LogText.names(Dictionary(grouping: due, by: \.reason).map { "\($0.key) \($0.value.count)" }.sorted()))",
        ])
        let bySource = Dictionary(grouping: sources, by: { $0.kind })
        let batches = stride(from: 0, to: items.count, by: options.batchSize).map { Array(items[$0..<min($0 + options.batchSize, items.count)]) }
        var running = summary
        var missing: [String] = []
        var done = 0
        try await pipeline(batches, bySource: bySource) { n, outcome in
            outcome.add(to: &running)
            missing += outcome.notFound.filter { known[$0] != nil }
            try await note(batches[n], outcome, in: &pending)
            done += batches[n].count
            progress?.update(phase: "pending", done: done, total: items.count)
        }
        summary = running
        // A stored package now missing is removed only on a second 404 after the pause, as in a refresh.
        if !missing.isEmpty {
            summary.removed += try await removeConfirmed(missing, summary: &summary, alreadySeenMissing: true)
        }
    }

    /// Only the pending pass: an enrich run takes the collection's pending packages first too.
    public func runPending() async throws -> CrawlSummary {
        var summary = CrawlSummary(profile: profile.key, collection: collection, mode: "pending")
        try await retryPending(&summary)
        try await closeSummary(&summary)
        return summary
    }

    /// The summary's closing figures: requests per upstream, upstreams that asked to be called again
    /// later than Trawl waits, and what is left pending and why.
    func closeSummary(_ summary: inout CrawlSummary) async throws {
        if let counters {
            summary.requests = .init(counters)
            for (upstream, counts) in counters.snapshot() {
                if let at = counts.callAgainAt { summary.callAgainAt[upstream.rawValue] = at.formatted(.iso8601) }
            }
        }
        let pending = try await loadPending()
        summary.pending = pending.count
        summary.pendingReasons = pending.reasons
    }
}
