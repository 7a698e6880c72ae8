import Foundation
import Logging
import TrawlCore

/// The one place every crawl and enrich run is built — `trawl crawl`, `trawl enrich` and every
/// worker job kind go through it: the collection (through its alias), the mode and its checkpoint
/// names, the options read from the environment, the plugins, and the Typesense publisher. A job
/// therefore does exactly what the matching command does.
struct RunBuilder {
    let env: CLIEnvironment
    let store: any Store

    /// What to crawl, as a command's flags or a job's kind say it.
    struct CrawlRequest {
        var profile: Profile
        /// nil: full while the collection has never finished a full crawl, else incremental.
        var mode: CrawlMode?
        /// `--target`: the collection to write; nil: the profile's collection (through its alias).
        var target: String?
        var discovery: DiscoveryStrategy = .clickhouse
        var limit: Int?
        var filterName: String?
        var enrich = true
        /// Mirror each stored batch to Typesense when configured (off when a recreate follows).
        var publish = true
        /// `--force`: let the run remove or flag stale more than half of the collection.
        var force = false
        var progress: (any ProgressReporter)?
        /// A worker job: take only the pending packages whose backoff is over (a command takes all).
        var pendingDueOnly = false
    }

    /// What to enrich from the store.
    struct EnrichRequest {
        var profile: Profile
        var kind: String
        var names: [String] = []
        var limit: Int?
        /// Option values set on every enricher kind that declares them (`force`, `refresh-cache`).
        var settings: [String: OptionValue] = [:]
        /// A worker job: take only the pending packages whose backoff is over (a command takes all).
        var pendingDueOnly = false
    }

    /// The collection a profile's runs write and read: its key, or what the alias of that name points at.
    func collection(for profile: Profile, target: String? = nil) async throws -> String {
        let name = target ?? profile.key
        return try await store.resolveCollection(name) ?? name
    }

    /// The mode a crawl without an explicit one runs: full until a full crawl has finished (a serial
    /// is stored and no full crawl is half done), incremental after.
    func mode(_ requested: CrawlMode?, collection: String) async throws -> CrawlMode {
        if let requested { return requested }
        let checkpoints = CrawlCheckpoints(collection: collection)
        let count = try await store.documentCount(collection: collection)
        let serial = try await store.checkpoint(checkpoints.serial)
        let unfinished = try await store.checkpoint(checkpoints.list(.full))
        return count == 0 || serial == nil || unfinished != nil ? .full : .incremental
    }

    /// Crawl options from the request and the environment (batch size, confirmation delay, dedup TTLs).
    func options(_ request: CrawlRequest, mode: CrawlMode, concurrency: Int) -> CrawlOptions {
        var options = CrawlOptions(mode: mode, limit: request.limit, filterName: request.filterName, enrich: request.enrich, concurrency: concurrency)
        options.force = request.force
        options.pendingDueOnly = request.pendingDueOnly
        if let size = env.config.integer("TRAWL_BATCH_SIZE", in: 1...10_000) { options.batchSize = size }
        let delay = env.config.value("TRAWL_REFRESH_CONFIRM_DELAY").flatMap { BoundedNumber.decimal($0) } ?? 5
        options.confirmDelay = .milliseconds(Int64(min(max(delay, 0), 3_600) * 1000))
        options.dedupTTLNew = env.config.seconds("TRAWL_DEDUP_TTL_NEW", default: 86_400)
        options.dedupTTLUpdate = env.config.seconds("TRAWL_DEDUP_TTL_UPDATE", default: 86_400)
        return options
    }

    func crawl(_ request: CrawlRequest) async throws -> CrawlRun {
        let collection = try await collection(for: request.profile, target: request.target)
        let mode = try await mode(request.mode, collection: collection)
        let runtime = CrawlRuntime(env: env, store: store, profile: request.profile, discovery: request.discovery, collection: collection)
        do {
            var crawler = Crawler(
                profile: request.profile, collection: collection, store: store, index: try runtime.index(), sources: try runtime.sources(),
                enrichers: try runtime.enrichers(), options: options(request, mode: mode, concurrency: runtime.http.configuration.limit(for: .pypi)),
                logger: env.logger, progress: request.progress, counters: runtime.http.counters)
            if request.publish { crawler.publisher = runtime.publisher(alias: request.target ?? request.profile.key) }
            return CrawlRun(runtime: runtime, crawler: crawler, registry: env.registry)
        } catch {
            try? await runtime.shutdown()
            throw error
        }
    }

    /// Whether `collection` has packages waiting to be fetched again (`PendingPackages`).
    func hasPending(_ collection: String) async throws -> Bool {
        let checkpoints = CrawlCheckpoints(collection: collection)
        for name in [checkpoints.pending, checkpoints.legacyPending] where try await store.checkpoint(name) != nil { return true }
        return false
    }

    func enrich(_ request: EnrichRequest) async throws -> EnrichRun {
        let profile = request.profile
        let collection = try await collection(for: profile)
        let runtime = CrawlRuntime(env: env, store: store, profile: profile, discovery: .clickhouse, collection: collection)
        do {
            let kinds = [request.kind] + env.registry.refreshesAfter(request.kind).filter(profile.hasEnricher)
            let specs = kinds.map { kind in profile.enrichers.first { $0.kind == kind } ?? PluginSpec(kind: kind) }
            var run = StoredEnrichment(
                store: store, collection: collection, enrichers: try runtime.enrichers(specs, settings: request.settings), logger: env.logger)
            run.publisher = runtime.publisher(alias: profile.key)
            // What earlier runs could not fetch is fetched first, as by every crawl; the index client
            // is built only then, so an offline enrichment with nothing pending asks nobody.
            var pending: Crawler?
            if try await hasPending(collection) {
                var crawler = Crawler(
                    profile: profile, collection: collection, store: store, index: try runtime.index(), sources: try runtime.sources(),
                    enrichers: try runtime.enrichers(),
                    options: options(CrawlRequest(profile: profile, pendingDueOnly: request.pendingDueOnly), mode: .incremental,
                                     concurrency: runtime.http.configuration.limit(for: .pypi)),
                    logger: env.logger, counters: runtime.http.counters)
                crawler.publisher = run.publisher
                pending = crawler
            }
            return EnrichRun(runtime: runtime, run: run, names: request.names, limit: request.limit, pending: pending)
        } catch {
            try? await runtime.shutdown()
            throw error
        }
    }
}
