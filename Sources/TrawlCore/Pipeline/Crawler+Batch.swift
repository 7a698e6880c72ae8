import Foundation

/// One package to fetch in a batch, with what decides whether it is kept.
struct WorkItem: Sendable {
    var name: String
    /// Set in a full crawl: the sources that found it.
    var discovered: DiscoveredPackage?
    var prefetched: StoredPackage?
    /// Full crawl: one of its discovering sources must confirm it on the fresh JSON.
    var requireConfirm: Bool
    /// Incremental: a project not yet in the collection must be claimed by one of the profile's sources.
    var requireClaim: Bool = false
    /// Whether its change is announced to webhook receivers (false while importing a collection:
    /// the first crawl of an empty collection would otherwise announce every package as new).
    var announce: Bool = true
}

/// A fetched and enriched batch, ready to be written.
struct PreparedBatch: Sendable {
    var packages: [StoredPackage] = []
    var problems: [Problem] = []
    var cleared: [String] = []
    /// `notify` jobs for the batch's new packages and releases (none when the profile has no `notify:`).
    var notifications: [NewJob] = []
    var outcome = BatchOutcome()
    /// Whether writing it can change who requires whom (a new package, changed requirements).
    var changesGraph = false
}

/// What one batch did, added into the run's summary.
struct BatchOutcome: Sendable {
    var fetched = 0
    var unchanged = 0
    var indexed = 0
    var problems = 0
    var notFound: [String] = []
    /// Packages whose fetch failed (the index unreachable, a bad body), with the problem kind:
    /// nothing was stored for them, so they go to the collection's pending list.
    var failed: [(name: String, kind: String)] = []
    var maxSerial: Int64 = 0

    func add(to summary: inout CrawlSummary) {
        summary.fetched += fetched
        summary.unchanged += unchanged
        summary.indexed += indexed
        summary.problems += problems
    }
}

extension Crawler {
    /// Runs batches as a two-stage pipeline: batch N+1 is fetched and enriched while batch N is
    /// written, so the network never waits for the disk. `done(n, outcome)` runs after each write
    /// (checkpoint there: everything up to that batch is stored).
    func pipeline(
        _ batches: [[WorkItem]], bySource: [String: [any Source]], done: (Int, BatchOutcome) async throws -> Void
    ) async throws {
        guard !batches.isEmpty else { return }
        var prepared = try await prepare(batches[0], bySource: bySource)
        for n in batches.indices {
            let current = prepared
            async let written = commit(current)
            if n + 1 < batches.count {
                prepared = try await prepare(batches[n + 1], bySource: bySource)
            }
            try await done(n, try await written)
        }
    }

    /// Writes a prepared batch: its webhook events, documents in one transaction, then its problems.
    /// Rewriting the same batch gives the same result, which is what makes resuming after a kill safe.
    ///
    /// Events are queued *before* the documents are written: an event is a fact about upstream, and
    /// a crash between the two leaves the old documents in place, so the resumed run sees the same
    /// change again, derives the same event ids, and the queue (unique key = event id) keeps one job
    /// each — at least once, never lost. Written the other way round, a crash after the upsert would
    /// leave nothing to compare against and the events would be gone. Queueing is a local insert:
    /// no receiver is contacted here, so a slow or failing one never holds up a crawl.
    func commit(_ batch: PreparedBatch) async throws -> BatchOutcome {
        var outcome = batch.outcome
        if !batch.notifications.isEmpty {
            let queued = try await store.enqueue(batch.notifications, now: Self.now)
            logger.debug("webhook events queued", metadata: ["queued": "\(queued)", "events": "\(batch.notifications.count)"])
        }
        // The batch with its dependents counts, plus the documents whose count it changed.
        let packages = try await dependents.settle(batch.packages, changesGraph: batch.changesGraph)
        try await store.upsert(packages, collection: collection)
        try await publisher?.publish(collection: collection, upserted: packages.map(\.document), removed: [])
        try await store.clearProblems(packages: batch.cleared, kind: nil, collection: collection)
        try await store.recordProblems(batch.problems, collection: collection)
        outcome.indexed = batch.packages.count
        outcome.problems = batch.problems.count
        return outcome
    }

    /// Fetches, confirms and enriches a batch without writing anything.
    func prepare(_ items: [WorkItem], bySource: [String: [any Source]]) async throws -> PreparedBatch {
        var outcome = BatchOutcome()
        let now = Self.now
        let known = try await store.documents(items.map(\.name), collection: collection)
        let results = try await fetchAll(items, existing: known)
        // A cancelled run stops before storing: fetches cut short must not become problems.
        try Task.checkCancellation()

        var packages: [StoredPackage] = []
        var problems: [Problem] = []
        var cleared: [String] = []
        var changesGraph = false
        var events: [PackageEvent] = []
        for (item, result) in zip(items, results) {
            let key = PackageName.normalize(item.name)
            let old = known[key]
            switch result {
            case .notModified:
                outcome.unchanged += 1
                // Unchanged upstream; still record that this run saw it (discovery may differ).
                if var doc = old {
                    let before = doc
                    apply(item, to: &doc, old: nil, now: now)
                    if doc != before { packages.append(StoredPackage(document: doc, releases: try await store.releases(key, collection: collection))) }
                }
            case .fetched(var package):
                // An answer about another project (a misbehaving mirror, a poisoned cache) must not
                // overwrite that other package: it is this package's problem.
                guard package.document.normalizedName == key else {
                    outcome.failed.append((key, "pypi-name-mismatch"))
                    problems.append(Problem(
                        package: item.name, kind: "pypi-name-mismatch",
                        message: "the index answered with project '\(String(package.document.name.prefix(200)))' for '\(key)'", seenAt: now))
                    continue
                }
                outcome.fetched += 1
                outcome.maxSerial = max(outcome.maxSerial, package.document.lastSerial)
                let kinds = item.discovered?.sources ?? []
                if item.requireConfirm {
                    let confirmed = kinds.contains { kind in (bySource[kind] ?? []).contains { $0.confirms(package.document) } }
                    guard confirmed else {
                        logger.debug("not confirmed on fresh metadata; skipped", metadata: ["package": "\(item.name)"])
                        continue
                    }
                }
                var claimedBy: [String] = []
                if item.requireClaim {
                    claimedBy = sources.filter { $0.claims(package.document) }.map(\.kind)
                    guard !claimedBy.isEmpty else { continue }
                }
                if let old { package.document.carryEnrichment(from: old) }
                changesGraph = changesGraph || DependentsKeeper.changesGraph(package.document, previous: old)
                apply(item, to: &package.document, old: old, now: now)
                package.document.discoveredBy = Array(Set(package.document.discoveredBy + claimedBy)).sorted()
                if old == nil && !claimedBy.isEmpty { package.document.firstSeen = now }
                if item.announce, !profile.notify.isEmpty, let event = PackageEvent.detect(stored: old, fetched: package.document) { events.append(event) }
                packages.append(package)
                cleared.append(key)
            case .notFound:
                outcome.notFound.append(key)
                if old == nil {
                    problems.append(Problem(package: item.name, kind: "pypi-404", message: "not found on the index", seenAt: now))
                }
            case .failed(let kind, let message):
                outcome.failed.append((key, kind))
                problems.append(Problem(package: item.name, kind: kind, message: message, seenAt: now))
            }
        }

        if options.enrich && !packages.isEmpty {
            var batch = EnrichmentBatch(documents: packages.map(\.document))
            for p in packages { batch.releases[p.document.normalizedName] = p.releases }
            await batch.run(enrichers, logger: logger, now: now)
            problems += batch.problems
            for i in packages.indices { packages[i].document = batch.documents[i] }
        }

        let notifications = try NotifyJob.jobs(for: events, profile: profile, collection: collection, now: now)
        return PreparedBatch(
            packages: packages, problems: problems, cleared: cleared, notifications: notifications, outcome: outcome, changesGraph: changesGraph)
    }

    /// Marks a document as this profile's, found by these sources, current as of `now`.
    func apply(_ item: WorkItem, to doc: inout PackageDocument, old: PackageDocument?, now: Int64) {
        if !doc.profiles.contains(profile.key) { doc.profiles = (doc.profiles + [profile.key]).sorted() }
        if let discovered = item.discovered {
            doc.discoveredBy = Array(Set(doc.discoveredBy + discovered.sources)).sorted()
            doc.isOfficial = doc.isOfficial || discovered.isOfficial
            doc.stale = false
        }
        if let old { doc.firstSeen = old.firstSeen } else if doc.firstSeen == 0 { doc.firstSeen = now }
        if old != nil || doc.lastSynced == 0 { doc.lastSynced = now }
    }

    /// Fetches every item with at most `options.concurrency` requests in flight; results in item order.
    func fetchAll(_ items: [WorkItem], existing: [String: PackageDocument]) async throws -> [IndexFetchResult] {
        var results = [IndexFetchResult?](repeating: nil, count: items.count)
        try await withThrowingTaskGroup(of: (Int, IndexFetchResult).self) { group in
            var next = 0
            func launch() {
                guard next < items.count else { return }
                let i = next
                next += 1
                let item = items[i]
                let stored = existing[PackageName.normalize(item.name)]
                if let prefetched = item.prefetched {
                    results[i] = .fetched(prefetched)
                    launch()
                    return
                }
                if stored != nil, item.discovered?.unchanged == true {
                    results[i] = .notModified  // the index serial says so: no request at all
                    launch()
                    return
                }
                let etag = stored.map(\.pypiETag)
                group.addTask { (i, await index.fetch(item.name, etag: etag)) }
            }
            for _ in 0..<options.concurrency { launch() }
            while let (i, result) = try await group.next() {
                results[i] = result
                launch()
            }
        }
        return results.map { $0 ?? .failed(kind: "internal", message: "not fetched") }
    }
}
