import Foundation
import Logging
import TrawlCore

/// Maps job kinds to the crawl and enrich code the commands use, so a job does exactly what the
/// matching `trawl crawl`/`trawl enrich` would. Unchecked: everything in it is read-only after setup.
struct CrawlJobs: @unchecked Sendable {
    let env: CLIEnvironment
    let store: any Store
    let profiles: ProfileSet

    /// Every job kind, each doing what the matching command does; `update_github` is
    /// `trawl enrich github` (expired cache entries refetched, then health and categories), and
    /// `notify` delivers one webhook event a crawl queued.
    func handlers() -> JobHandlers {
        var handlers = JobHandlers()
        handlers.register(JobKind.pollFeeds) { job in try await crawl(job, mode: nil) }
        handlers.register(JobKind.refreshProfile) { job in try await crawl(job, mode: .refresh) }
        handlers.register(JobKind.fullFetch) { job in try await crawl(job, mode: .full) }
        handlers.register(JobKind.updateProject) { job in try await crawl(job, mode: .refresh, name: try Self.name(job)) }
        handlers.register(JobKind.inspectProject) { job in try await crawl(job, mode: .full, name: try Self.name(job)) }
        handlers.register(JobKind.enrichDownloads) { job in try await enrich(job, kind: "downloads") }
        handlers.register(JobKind.updateGitHub) { job in
            guard env.registry.isAvailable(enricher: "github") else {
                throw PermanentJobError("update_github needs the GitHub enricher, which is not in this build")
            }
            try await enrich(job, kind: "github")
        }
        // Webhook deliveries (`notify:` in a profile): the receiver and its secret are looked up in
        // the profiles and the environment this worker loaded, never stored with the job.
        let profiles = self.profiles, config = env.config
        let notify = NotifyJobRunner(profile: { profiles.profile($0) }, environment: { config.value($0) }, logger: env.logger)
        handlers.register(JobKind.notify) { job in try await notify.run(job) }
        #if TRAWL_TEST_HOOKS
        if env.config.value("TRAWL_WORKER_TEST_KINDS") == "1" { TestJobs.register(into: &handlers) }
        #endif
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

    var builder: RunBuilder { RunBuilder(env: env, store: store) }

    /// nil mode: incremental, or full while the collection has never finished a full crawl — the
    /// same choice, options, publisher and checkpoints as `trawl crawl` (both go through `RunBuilder`).
    func crawl(_ job: ClaimedJob, mode: CrawlMode?, name: String? = nil) async throws {
        let profile = try profile(job)
        let collection = try await builder.collection(for: profile)
        let chosen = try await builder.mode(mode, collection: collection)
        // A one-package job must neither resume a whole-collection run nor leave its one-name list
        // for a later run of that mode to "resume".
        let checkpoints = CrawlCheckpoints(collection: collection)
        if name != nil, try await store.checkpoint(checkpoints.list(chosen)) != nil {
            throw BusyCollection(description: "a \(chosen.rawValue) crawl of '\(collection)' is unfinished; \(job.kind) retries after it")
        }
        let run = try await builder.crawl(.init(profile: profile, mode: chosen, filterName: name, pendingDueOnly: true))
        let summary: CrawlSummary
        do {
            summary = try await run.run()
        } catch {
            if name != nil { for checkpoint in [checkpoints.progress(chosen), checkpoints.list(chosen)] { try? await store.deleteCheckpoint(checkpoint) } }
            throw error
        }
        for warning in run.report.warnings { env.logger.warning("\(warning)") }
        // Withheld removals are for a human to look at: the job is dead-lettered with the reason
        // (its other changes are stored), not retried into the same refusal.
        if let withheld = summary.withheld { throw PermanentJobError("shrink guard: \(withheld)") }
        env.logger.info("crawl job done", metadata: [
            "job": "\(job.id)", "mode": "\(summary.mode)", "indexed": "\(summary.indexed)", "problems": "\(summary.problems)",
            "pending": "\(summary.pending)",
        ])
    }

    struct BusyCollection: Error, CustomStringConvertible {
        var description: String
    }

    /// `trawl enrich KIND` for the job's profile.
    func enrich(_ job: ClaimedJob, kind: String) async throws {
        let run = try await builder.enrich(.init(profile: try profile(job), kind: kind, pendingDueOnly: true))
        let summary = try await run.execute()
        for warning in run.report.warnings { env.logger.warning("\(warning)") }
        env.logger.info("enrich job done", metadata: ["job": "\(job.id)", "documents": "\(summary.documents)", "changed": "\(summary.changed)"])
    }
}
