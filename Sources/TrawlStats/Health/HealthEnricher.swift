public import TrawlCore

/// `health`: the explainable 0–100 score (`health_score`, sortable and filterable) with its
/// per-rule breakdown (`health_score_breakdown`). Reads only the document, so
/// `trawl enrich health` recomputes a whole collection offline. Run it after the enrichers whose
/// fields it reads (pypi, github).
public struct HealthEnricher: Enricher {
    public static let descriptor = PluginDescriptor(kind: "health", summary: "an explainable 0-100 health score (docs/health-score.md)")
    public static let ownedFields = ["health_score", "health_score_breakdown"]
    /// The dependents rule reads `dependents_count`.
    public static var readsDependents: Bool { true }

    public init(options: PluginOptions, context: PluginContext) throws {}

    public func enrich(_ batch: inout EnrichmentBatch) async throws {
        let now = Days.now()
        for i in batch.documents.indices { batch.documents[i].applyHealth(now: now) }
    }
}
