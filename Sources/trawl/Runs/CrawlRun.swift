import Foundation
import TrawlCore

/// A built crawl: enriches again what an earlier run left unfinished (an enricher's own hook, e.g.
/// GitHub work a spent budget cut short), crawls, and closes the HTTP layer whatever happens.
struct CrawlRun {
    let runtime: CrawlRuntime
    let crawler: Crawler
    let registry: PluginRegistry

    var collection: String { crawler.collection }

    func run() async throws -> CrawlSummary {
        try await runtime.closing {
            var resumedProblems = 0
            if crawler.options.enrich {
                for enricher in crawler.enrichers {
                    let names = try await enricher.unfinished(store: crawler.store, collection: collection)
                    guard !names.isEmpty else { continue }
                    crawler.logger.info("enriching again what an earlier run left", metadata: ["enricher": "\(enricher.kind)", "packages": "\(names.count)"])
                    let follow = registry.refreshesAfter(enricher.kind)
                    var resume = StoredEnrichment(
                        store: crawler.store, collection: collection,
                        enrichers: [enricher] + crawler.enrichers.filter { follow.contains($0.kind) }, logger: crawler.logger)
                    resume.publisher = crawler.publisher
                    resumedProblems += try await resume.run(names: names).problems
                }
            }
            var summary = try await crawler.run()
            summary.problems += resumedProblems
            return summary
        }
    }

    /// The enrichers' closing lines (cache use, work left for later).
    var report: RunReport { CrawlRuntime.report(crawler.enrichers) }
}

/// A built enrichment over stored documents.
struct EnrichRun {
    let runtime: CrawlRuntime
    let run: StoredEnrichment
    let names: [String]
    let limit: Int?
    /// Fetches the collection's pending packages first, when it has any.
    let pending: Crawler?

    var collection: String { run.collection }

    func execute() async throws -> StoredEnrichment.Summary {
        try await runtime.closing {
            let before = try await pending?.runPending()
            var summary = try await run.run(names: names, limit: limit, counters: runtime.http.counters)
            if let before {
                summary.problems += before.problems
                summary.pendingRetried = before.pendingRetried
                summary.pending = before.pending
                summary.pendingReasons = before.pendingReasons
            }
            return summary
        }
    }

    var report: RunReport { CrawlRuntime.report(run.enrichers) }
}
