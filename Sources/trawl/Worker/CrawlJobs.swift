import Foundation
import Logging
import TrawlCore
import TrawlStats

/// Maps job kinds to the crawl and enrich code the commands use, so a job does exactly what the
/// matching `trawl crawl`/`trawl enrich` would. Unchecked: everything in it is read-only after setup.
struct CrawlJobs: @unchecked Sendable {
    let env: CLIEnvironment
    let store: any Store
    let profiles: ProfileSet

    /// Every job kind, each doing what the matching command does; `update_github` is
    /// `trawl enrich github` (expired cache entries refetched, then health and categories).
    func handlers() -> JobHandlers {
        var handlers = JobHandlers()
        handlers.register(JobKind.pollFeeds) { job in try await crawl(job, mode: nil) }
        handlers.register(JobKind.refreshProfile) { job in try await crawl(job, mode: .refresh) }
        handlers.register(JobKind.fullFetch) { job in try await crawl(job, mode: .full) }
        handlers.register(JobKind.updateProject) { job in try await crawl(job, mode: .refresh, name: try Self.name(job)) }
        handlers.register(JobKind.inspectProject) { job in try await crawl(job, mode: .full, name: try Self.name(job)) }
        handlers.register(JobKind.enrichDownloads) { job in try await enrich(job, kind: DownloadsEnricher.descriptor.kind) }
        handlers.register(JobKind.updateGitHub) { job in
            guard env.registry.isAvailable(enricher: "github") else {
                throw PermanentJobError("update_github needs the GitHub enricher, which is not in this build")
            }
            try await enrich(job, kind: "github")
        }
        if env.config.value("TRAWL_WORKER_TEST_KINDS") == "1" { TestJobs.register(into: &handlers) }
        return handlers
    }

    func profile(_ job: ClaimedJob) throws -> Profile {
        guard let key = job.profile, let profile = profiles.profile(key) else {
            throw PermanentJobError("job \(job.id) names profile '\(job.profile ?? "")', which is not loaded (known: \(profiles.keys.joined(separator: ", ")))")
        }
        return profile
    }

    static func arguments(_ job: ClaimedJob) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(job.arguments.utf8))) as? [String: Any] ?? [:]
    }

    static func name(_ job: ClaimedJob) throws -> String {
        guard let name = arguments(job)["name"] as? String, !name.isEmpty else {
            throw PermanentJobError("\(job.kind) needs {\"name\": PACKAGE} in its arguments")
        }
        return PackageName.normalize(name)
    }

    /// nil mode: incremental, or full while the collection has never finished a full crawl.
    func crawl(_ job: ClaimedJob, mode: CrawlMode?, name: String? = nil) async throws {
        let profile = try profile(job)
        let collection = try await store.resolveCollection(profile.key) ?? profile.key
        let runtime = try CrawlRuntime(env: env, store: store, profile: profile, discovery: .clickhouse, collection: collection)
        do {
            var chosen = mode ?? .incremental
            if mode == nil {
                let count = try await store.documentCount(collection: collection)
                let serial = try await store.checkpoint("serial:\(collection)")
                let unfinished = try await store.checkpoint("crawl:\(collection):full:list")
                if count == 0 || serial == nil || unfinished != nil { chosen = .full }
            }
            // A one-package job shares the crawl checkpoints of its mode: it must neither resume a
            // whole-collection run nor leave its one-name list for a later full run to "resume".
            let checkpoints = ["crawl:\(collection):\(chosen.rawValue)", "crawl:\(collection):\(chosen.rawValue):list"]
            if name != nil, try await store.checkpoint(checkpoints[1]) != nil {
                throw BusyCollection(description: "a \(chosen.rawValue) crawl of '\(collection)' is unfinished; \(job.kind) retries after it")
            }
            var options = CrawlOptions(mode: chosen, filterName: name, enrich: true, concurrency: runtime.http.configuration.limit(for: .pypi))
            if let size = env.config.value("TRAWL_BATCH_SIZE").flatMap(Int.init) { options.batchSize = max(1, size) }
            options.dedupTTLNew = env.config.seconds("TRAWL_DEDUP_TTL_NEW", default: 86_400)
            options.dedupTTLUpdate = env.config.seconds("TRAWL_DEDUP_TTL_UPDATE", default: 86_400)
            let summary: CrawlSummary
            do {
                summary = try await runtime.crawler(collection: collection, options: options, progress: nil).run()
            } catch {
                if name != nil { for checkpoint in checkpoints { try? await store.deleteCheckpoint(checkpoint) } }
                throw error
            }
            try await runtime.shutdown()
            env.logger.info("crawl job done", metadata: [
                "job": "\(job.id)", "mode": "\(summary.mode)", "indexed": "\(summary.indexed)", "problems": "\(summary.problems)",
            ])
        } catch {
            try? await runtime.shutdown()
            throw error
        }
    }

    struct BusyCollection: Error, CustomStringConvertible {
        var description: String
    }

    func enrich(_ job: ClaimedJob, kind: String) async throws {
        let profile = try profile(job)
        let collection = try await store.resolveCollection(profile.key) ?? profile.key
        let runtime = try CrawlRuntime(env: env, store: store, profile: profile, discovery: .clickhouse, collection: collection)
        do {
            let kinds = [kind] + (EnrichCommand.kinds[kind] ?? []).filter(profile.hasEnricher)
            let enrichers = try kinds.map { kind in
                try env.registry.makeEnricher(profile.enrichers.first { $0.kind == kind } ?? PluginSpec(kind: kind), context: runtime.context)
            }
            let run = StoredEnrichment(store: store, collection: collection, enrichers: enrichers, logger: env.logger)
            let summary = try await run.run(names: [], limit: nil, counters: runtime.http.counters)
            try await runtime.shutdown()
            env.logger.info("enrich job done", metadata: ["job": "\(job.id)", "documents": "\(summary.documents)", "changed": "\(summary.changed)"])
        } catch {
            try? await runtime.shutdown()
            throw error
        }
    }
}
