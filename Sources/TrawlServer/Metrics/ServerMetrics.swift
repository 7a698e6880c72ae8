import CoreMetrics
import Prometheus
import TrawlCore

/// Request counts and latencies (through swift-metrics, kept in this server's own Prometheus
/// registry so two servers in one process never share counters), plus the store's collection
/// and problem counts read at scrape time.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory

    init() {
        factory = PrometheusMetricsFactory(registry: registry)
    }

    func record(method: String, route: String, status: Int, duration: Duration) {
        let dimensions = [("method", method), ("route", route), ("status", String(status))]
        CoreMetrics.Counter(label: "trawl_http_requests_total", dimensions: dimensions, factory: factory).increment()
        CoreMetrics.Timer(label: "trawl_http_request_duration_seconds", dimensions: [("method", method), ("route", route)], factory: factory)
            .recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// The exposition text, after refreshing the per-collection gauges from the store and the
    /// search admission gauges (`searches` admitted and waiting, `ready` 1 once the index is loaded).
    func exposition(store: any Store, searches: (running: Int, waiting: Int) = (0, 0), ready: Bool = true) async throws -> String {
        registry.makeGauge(name: "trawl_searches_running").set(to: Double(searches.running))
        registry.makeGauge(name: "trawl_searches_waiting").set(to: Double(searches.waiting))
        registry.makeGauge(name: "trawl_search_index_ready").set(to: ready ? 1 : 0)
        for collection in try await store.collections() {
            let labels = [("collection", collection.name)]
            registry.makeGauge(name: "trawl_collection_documents", labels: labels).set(to: Double(collection.documents))
            let problems = try await store.problems(collection: collection.name, package: nil).count
            registry.makeGauge(name: "trawl_collection_problems", labels: labels).set(to: Double(problems))
            let pending = try await PendingPackages.load(from: store, collection: collection.name).count
            registry.makeGauge(name: "trawl_collection_pending", labels: labels).set(to: Double(pending))
        }
        return registry.emitToString()
    }

    /// A low-cardinality name for the route a path belongs to.
    static func route(_ path: String) -> String {
        let parts = path.split(separator: "/")
        guard let first = parts.first else { return "page_home" }
        switch first {
        case "api": return parts.count >= 4 ? (parts.count >= 5 ? "api_package" : "api_search") : "api_other"
        case "collections": return parts.last == "search" ? "typesense_search" : "typesense_collections"
        case "multi_search": return "typesense_multi_search"
        case "keys": return "keys"
        case "aliases": return "aliases"
        case "packages": return "page_package"
        case "healthz", "metrics", "openapi.yaml": return String(first)
        default: return "other"
        }
    }
}
