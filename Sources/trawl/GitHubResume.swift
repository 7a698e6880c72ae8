import Logging
import TrawlCore
import TrawlGitHub

/// Resumes GitHub work a previous run left when GitHub's budget ran out: those packages carry a
/// `github` problem ("rate limit: …"), and a crawl does not re-enrich packages PyPI reports
/// unchanged, so before crawling they are enriched again from the store (the shared cache makes the
/// repositories fetched before cost nothing).
enum GitHubResume {
    static func run(_ enrichers: [any Enricher], store: any Store, collection: String, logger: Logger) async throws -> StoredEnrichment.Summary? {
        guard let github = enrichers.first(where: { $0 is GitHubEnricher }) else { return nil }
        let pending = try await store.problems(collection: collection, package: nil)
            .filter { $0.kind == GitHubEnricher.descriptor.kind && $0.message.hasPrefix("rate limit") }
            .map(\.package)
        guard !pending.isEmpty else { return nil }
        let names = try await store.documents(pending, collection: collection).keys.sorted()
        guard !names.isEmpty else { return nil }
        logger.info("resuming GitHub work left by the previous run", metadata: ["packages": "\(names.count)"])
        // Offline enrichers that read what github writes run after it, as in `trawl enrich github`.
        let follow = enrichers.filter { ["health", "categories"].contains($0.kind) }
        let run = StoredEnrichment(store: store, collection: collection, enrichers: [github] + follow, logger: logger)
        return try await run.run(names: names)
    }
}
