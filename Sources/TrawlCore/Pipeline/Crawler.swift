import Foundation
public import Logging

/// Runs one crawl of one profile into one collection: discover → fetch → enrich → store, in
/// checkpointed batches so a killed run resumes where it stopped and ends with the same collection.
public struct Crawler: Sendable {
    public let profile: Profile
    public let collection: String
    public let store: any Store
    public let index: any PackageIndex
    public let sources: [any Source]
    public let enrichers: [any Enricher]
    public let options: CrawlOptions
    public let logger: Logger
    public let progress: (any ProgressReporter)?
    let counters: RequestCounters?
    /// Where stored changes are mirrored after each write (Typesense when configured); the store
    /// stays the source of truth. Called before a batch's checkpoint, so a resumed run republishes.
    public var publisher: (any Publisher)?
    /// Keeps `dependents_count` current around every write of this run (`DependentsKeeper`).
    public let dependents: DependentsKeeper

    public init(
        profile: Profile, collection: String, store: any Store, index: any PackageIndex, sources: [any Source],
        enrichers: [any Enricher], options: CrawlOptions, logger: Logger, progress: (any ProgressReporter)? = nil,
        counters: RequestCounters? = nil
    ) {
        self.profile = profile
        self.collection = collection
        self.store = store
        self.index = index
        self.sources = sources
        self.enrichers = enrichers
        self.options = options
        self.logger = logger
        self.progress = progress
        self.counters = counters
        self.dependents = DependentsKeeper(store: store, collection: collection, enrichers: enrichers, logger: logger)
    }

    var checkpoints: CrawlCheckpoints { CrawlCheckpoints(collection: collection) }
    var checkpointName: String { checkpoints.progress(options.mode) }
    var serialName: String { checkpoints.serial }
    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    public func run() async throws -> CrawlSummary {
        let clock = ContinuousClock.now
        var summary = CrawlSummary(profile: profile.key, collection: collection, mode: options.mode.rawValue)
        try await store.ensureCollection(collection, profile: profile.key)
        try await retryPending(&summary)
        switch options.mode {
        case .full: try await runFull(&summary)
        case .incremental: try await runIncremental(&summary)
        case .refresh: try await runRefresh(&summary)
        }
        progress?.finish()
        try await closeSummary(&summary)
        summary.seconds = Self.seconds(since: clock)
        return summary
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    // MARK: - Full

    /// The discovered list is written once (`…:list`); each batch then saves only its progress,
    /// so checkpointing stays O(batch), not O(collection), per batch.
    struct FullCheckpoint: Codable {
        var packages: [DiscoveredPackage]
        var next: Int
        var serialAtStart: Int64?
        /// Sources' checkpoints to save once everything is stored.
        var onSuccess: [String: String]?
        /// The collection was empty when this crawl started: it is an import, and announces no
        /// `new` events to webhook receivers (kept in the checkpoint, so a resumed import stays one).
        var importing: Bool?
    }

    struct Progress: Codable {
        var next: Int
    }

    var listCheckpointName: String { checkpoints.list(options.mode) }

    func loadFullCheckpoint() async throws -> FullCheckpoint? {
        guard let saved = try await store.checkpoint(listCheckpointName),
            var cp = try? JSONDecoder().decode(FullCheckpoint.self, from: Data(saved.utf8))
        else { return nil }
        if let progress = try await store.checkpoint(checkpointName),
            let p = try? JSONDecoder().decode(Progress.self, from: Data(progress.utf8)) {
            cp.next = p.next
        }
        return cp
    }

    func runFull(_ summary: inout CrawlSummary) async throws {
        var state: FullCheckpoint
        var prefetched: [String: StoredPackage] = [:]
        if let cp = try await loadFullCheckpoint() {
            state = cp
            summary.resumed = true
            logger.info("resuming full crawl", metadata: ["collection": "\(collection)", "done": "\(cp.next)", "total": "\(cp.packages.count)"])
        } else {
            let serial: Int64?
            do { serial = try await index.currentSerial() } catch {
                logger.warning("cannot read the index serial; the next incremental run will start from the highest project serial", metadata: ["error": "\(error)"])
                serial = nil
            }
            var onSuccess: [String: String] = [:]
            let started = ContinuousClock.now
            var found = try await discover(&summary, checkpoints: &onSuccess)
            summary.discoverySeconds = Self.seconds(since: started)
            found = found.filter { options.filterName == nil || $0.normalizedName.contains(options.filterName!) }
            // Keys computed once: normalizing inside the comparator cost ~1 s per 20k packages.
            found = found.map { (key: $0.normalizedName, package: $0) }.sorted { $0.key < $1.key }.map(\.package)
            if let limit = options.limit { found = Array(found.prefix(limit)) }
            for p in found where p.prefetched != nil { prefetched[p.normalizedName] = p.prefetched }
            let importing = try await store.documentCount(collection: collection) == 0
            state = FullCheckpoint(
                packages: found, next: 0, serialAtStart: serial, onSuccess: options.isPartial ? nil : onSuccess, importing: importing)
            let list = try JSONEncoder().encode(state)
            try await store.saveCheckpoint(listCheckpointName, value: String(decoding: list, as: UTF8.self))
            try await saveCheckpoint(Progress(next: 0))
        }
        summary.discovered = state.packages.count
        let bySource = Dictionary(grouping: sources, by: { $0.kind })
        var maxSerial: Int64 = 0
        let remaining = Array(state.packages[state.next...])
        let batches = stride(from: 0, to: remaining.count, by: options.batchSize).map { start in
            remaining[start..<min(start + options.batchSize, remaining.count)].map { p in
                WorkItem(name: p.name, discovered: p, prefetched: prefetched[p.normalizedName], requireConfirm: true,
                         announce: !(state.importing ?? false))
            }
        }
        let total = state.packages.count
        var next = state.next
        var running = summary
        var pending = try await loadPending()
        try await pipeline(batches, bySource: bySource) { n, outcome in
            outcome.add(to: &running)
            maxSerial = max(maxSerial, outcome.maxSerial)
            next += batches[n].count
            try await note(batches[n], outcome, in: &pending)
            try await saveCheckpoint(Progress(next: next))
            progress?.update(phase: "fetch", done: next, total: total)
        }
        summary = running
        state.next = next
        if !options.isPartial {
            summary.stale = try await markStale(keeping: Set(state.packages.map(\.normalizedName)), summary: &summary)
        }
        if let serial = state.serialAtStart ?? (maxSerial > 0 ? maxSerial : nil) {
            try await store.saveCheckpoint(serialName, value: String(serial))
        }
        for (name, value) in state.onSuccess ?? [:] { try await store.saveCheckpoint(name, value: value) }
        try await store.deleteCheckpoint(checkpointName)
        try await store.deleteCheckpoint(listCheckpointName)
    }

    func saveCheckpoint<T: Encodable>(_ value: T) async throws {
        let data = try JSONEncoder().encode(value)
        try await store.saveCheckpoint(checkpointName, value: String(decoding: data, as: UTF8.self))
    }

    func discover(_ summary: inout CrawlSummary, checkpoints: inout [String: String]) async throws -> [DiscoveredPackage] {
        let collector = CandidateCollector()
        var failures: [String] = []
        for source in sources {
            progress?.update(phase: "discover \(source.kind)", done: 0, total: nil)
            let report = try await source.discover { candidate in await collector.add(candidate) }
            logger.info("discovered", metadata: ["source": "\(source.kind)", "candidates": "\(report.candidates)"])
            for note in report.notes { logger.debug("\(note)") }
            checkpoints.merge(report.checkpointsOnSuccess) { _, new in new }
            if !report.unmatched.isEmpty {
                try await store.recordProblems(report.unmatched.map { var p = $0; p.seenAt = Self.now; return p }, collection: collection)
            }
            if !report.problems.isEmpty {
                try await store.recordProblems(report.problems.map { var p = $0; p.seenAt = Self.now; return p }, collection: collection)
                summary.problems += report.problems.count
                failures.append("\(source.kind): \(report.problems[0].message)")
            }
            if !report.undecided.isEmpty {
                // Not fetched, so neither a member nor not: pending, confirmed by this source when fetched.
                var pending = try await loadPending()
                let kinds = Dictionary(report.problems.map { ($0.package, $0.kind) }, uniquingKeysWith: { first, _ in first })
                for name in report.undecided where options.filterName.map({ PackageName.normalize(name).contains($0) }) ?? true {
                    let reason = kinds[name] ?? "pypi-unreachable"
                    pending.failed(name, reason: reason, now: Self.now, retryAt: retryAt(reason), sources: [source.kind])
                }
                try await savePending(pending)
            }
        }
        let found = Array(await collector.byName.values)
        if found.isEmpty, !sources.isEmpty, failures.count == sources.count { throw CrawlError.discoveryFailed(failures) }
        return found
    }

    /// Flags documents no longer discovered (kept, never silently dropped); un-flags returning ones.
    func markStale(keeping discovered: Set<String>, summary: inout CrawlSummary) async throws -> Int {
        var stale = 0
        var updates: [StoredPackage] = []
        let vanished = try await store.documentNames(collection: collection).filter { !discovered.contains($0) }
        guard try await shrinkAllowed(vanished.count, action: "flag stale", summary: &summary) else { return 0 }
        for name in vanished {
            guard var doc = try await store.document(name, collection: collection), !doc.stale else { continue }
            doc.stale = true
            stale += 1
            updates.append(StoredPackage(document: doc, releases: try await store.releases(name, collection: collection)))
        }
        try await store.upsert(updates, collection: collection)
        try await publisher?.publish(collection: collection, upserted: updates.map(\.document), removed: [])
        if stale > 0 { logger.info("flagged stale (no longer discovered, kept)", metadata: ["count": "\(stale)"]) }
        return stale
    }

    // MARK: - Incremental

    /// Feed events since the collection's serial (what earlier runs left pending was taken first,
    /// by `retryPending`). Event dedup keys are this collection's own; the names taken on join the
    /// pending list before any fetch and leave it only once stored, so a failed fetch or a killed run
    /// loses no release.
    func runIncremental(_ summary: inout CrawlSummary) async throws {
        guard let saved = try await store.checkpoint(serialName), let serial = Int64(saved) else {
            throw CrawlError.noSerial(collection)
        }
        let changes = try await index.changes(since: serial)
        let now = Self.now
        var work: [String: WorkItem] = [:]
        var removals: Set<String> = []
        let existing = Set(try await store.documentNames(collection: collection))
        for event in changes.events {
            let name = PackageName.normalize(event.name)
            if let filter = options.filterName, !name.contains(filter) { continue }
            if event.isRemoval {
                if existing.contains(name) { removals.insert(name) }
                continue
            }
            let key = checkpoints.dedupKey(name: name, version: event.version, isNew: event.isNewProject)
            let ttl = event.isNewProject ? options.dedupTTLNew : options.dedupTTLUpdate
            guard work[name] == nil, try await store.claimDedupKey(key, ttl: ttl, now: now) else { continue }
            // Known packages are re-fetched; unknown ones must be claimed by one of the profile's sources.
            work[name] = WorkItem(name: event.name, discovered: nil, prefetched: nil, requireConfirm: false, requireClaim: !existing.contains(name))
        }
        var items = work.values.sorted { $0.name < $1.name }
        if let limit = options.limit { items = Array(items.prefix(limit)) }
        // Every name taken on waits in the pending list until stored: what `--limit` leaves, a
        // failed fetch and a killed run are all fetched by the next run.
        var pending = try await loadPending()
        var full = 0
        for name in work.keys.sorted() where !pending.takeOn(name, now: now) { full += 1 }
        if full > 0 { logger.warning("the pending list is full; these packages need a refresh", metadata: ["dropped": "\(full)"]) }
        try await savePending(pending)
        summary.discovered = items.count
        let bySource = Dictionary(grouping: sources, by: { $0.kind })
        let batches = stride(from: 0, to: items.count, by: options.batchSize).map { Array(items[$0..<min($0 + options.batchSize, items.count)]) }
        var running = summary
        var done = 0
        try await pipeline(batches, bySource: bySource) { n, outcome in
            outcome.add(to: &running)
            try await note(batches[n], outcome, in: &pending)
            done += batches[n].count
            progress?.update(phase: "update", done: done, total: items.count)
        }
        summary = running
        summary.removed += try await removeConfirmed(Array(removals), summary: &summary, alreadySeenMissing: false)
        try await store.saveCheckpoint(serialName, value: String(max(serial, changes.serial)))
        _ = try await store.purgeExpiredDedupKeys(now: now)
    }

    // MARK: - Refresh

    /// The names to refresh are saved once (`…:list`); batches save only progress and the 404s seen.
    struct RefreshCheckpoint: Codable {
        var names: [String]
        var next: Int
        var missing: [String]
    }

    struct RefreshProgress: Codable {
        var next: Int
        var missing: [String]
    }

    func runRefresh(_ summary: inout CrawlSummary) async throws {
        var state: RefreshCheckpoint
        if let saved = try await store.checkpoint(listCheckpointName),
            let names = try? JSONDecoder().decode([String].self, from: Data(saved.utf8)) {
            let progress = try await store.checkpoint(checkpointName).flatMap { try? JSONDecoder().decode(RefreshProgress.self, from: Data($0.utf8)) }
            state = RefreshCheckpoint(names: names, next: progress?.next ?? 0, missing: progress?.missing ?? [])
            summary.resumed = true
        } else {
            var names = try await store.documentNames(collection: collection)
            if let filter = options.filterName { names = names.filter { $0.contains(filter) } }
            if let limit = options.limit { names = Array(names.prefix(limit)) }
            state = RefreshCheckpoint(names: names, next: 0, missing: [])
            try await store.saveCheckpoint(listCheckpointName, value: String(decoding: try JSONEncoder().encode(names), as: UTF8.self))
        }
        summary.discovered = state.names.count
        let bySource = Dictionary(grouping: sources, by: { $0.kind })
        let remaining = Array(state.names[state.next...])
        let batches = stride(from: 0, to: remaining.count, by: options.batchSize).map { start in
            remaining[start..<min(start + options.batchSize, remaining.count)].map { WorkItem(name: $0, discovered: nil, prefetched: nil, requireConfirm: false) }
        }
        var running = summary
        var checkpoint = state
        var pending = try await loadPending()
        try await pipeline(batches, bySource: bySource) { n, outcome in
            outcome.add(to: &running)
            try await note(batches[n], outcome, in: &pending)
            checkpoint.missing += outcome.notFound
            checkpoint.next += batches[n].count
            try await saveCheckpoint(RefreshProgress(next: checkpoint.next, missing: checkpoint.missing))
            progress?.update(phase: "refresh", done: checkpoint.next, total: checkpoint.names.count)
        }
        summary = running
        state = checkpoint
        summary.removed += try await removeConfirmed(state.missing, summary: &summary, alreadySeenMissing: true)
        try await store.deleteCheckpoint(checkpointName)
        try await store.deleteCheckpoint(listCheckpointName)
    }

    /// Removes packages only on a confirmed 404: seen missing, then missing again after a pause.
    /// A 5xx, timeout or bad body never removes anything.
    func removeConfirmed(_ names: [String], summary: inout CrawlSummary, alreadySeenMissing: Bool) async throws -> Int {
        guard !names.isEmpty else { return 0 }
        var suspects = names
        if !alreadySeenMissing {
            var stillMissing: [String] = []
            for name in suspects { if case .notFound = await index.fetch(name, etag: nil) { stillMissing.append(name) } }
            suspects = stillMissing
            guard !suspects.isEmpty else { return 0 }
        }
        try await Task.sleep(for: options.confirmDelay)
        var confirmed: [String] = []
        for name in suspects {
            if case .notFound = await index.fetch(name, etag: nil) { confirmed.append(name) }
        }
        guard try await shrinkAllowed(confirmed.count, action: "remove", summary: &summary) else { return 0 }
        let removed = try await store.removeDocuments(confirmed, collection: collection)
        try await store.clearProblems(packages: confirmed, kind: nil, collection: collection)
        try await publisher?.publish(collection: collection, upserted: [], removed: confirmed)
        // What a removed package required loses a dependent: settle writes exactly those.
        let recounted = try await dependents.settle([], changesGraph: true, removed: confirmed.map(PackageName.normalize))
        if !recounted.isEmpty {
            try await store.upsert(recounted, collection: collection)
            try await publisher?.publish(collection: collection, upserted: recounted.map(\.document), removed: [])
        }
        if removed > 0 { logger.info("removed after a confirmed 404", metadata: ["packages": "\(LogText.names(confirmed))"]) }
        return removed
    }
}

public enum CrawlError: Error, CustomStringConvertible {
    case noSerial(String)
    /// Every source failed and none found anything: an empty world is an outage, not a result.
    case discoveryFailed([String])

    public var description: String {
        switch self {
        case .noSerial(let c): "collection '\(c)' has no stored serial: run a full crawl first (trawl crawl --full)"
        case .discoveryFailed(let reasons): "discovery failed on every path, nothing was found: \(reasons.joined(separator: "; "))"
        }
    }
}
