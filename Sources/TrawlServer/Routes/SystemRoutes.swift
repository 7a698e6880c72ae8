import Hummingbird

/// Liveness and readiness, Prometheus metrics (admin key under `--private`) and the OpenAPI description.
struct SystemRoutes: Sendable {
    let state: ServeState

    func register(on router: Router<BasicRequestContext>) {
        // Liveness: answers while the index loads, and says so.
        router.get("/healthz") { _, _ in try JSONOutput.response(Readiness(self.state)) }
        // Readiness (load balancers, Kubernetes probes): 503 until every collection's index is in memory.
        router.get("/readyz") { _, _ in
            let readiness = Readiness(self.state)
            return try JSONOutput.response(readiness, status: readiness.ready ? .ok : .serviceUnavailable)
        }
        router.get("/health") { _, _ in try JSONOutput.response(["ok": true]) }  // Typesense clients probe this
        router.get("/metrics") { request, _ in
            // Under --private the collections' sizes and the traffic are not public either.
            if self.state.options.isPrivate {
                try self.state.access.requireAdmin(try await self.state.access.caller(request, query: QueryItems(request: request)))
            }
            return JSONOutput.text(try await self.state.metrics.exposition(store: self.state.store, searches: self.state.admission.load, ready: self.state.isReady), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/openapi.yaml") { _, _ in
            JSONOutput.text(OpenAPIDocument.yaml, contentType: "application/yaml; charset=utf-8")
        }
    }
}

/// `/healthz` and `/readyz`: whether searches are answered from the loaded index yet.
struct Readiness: Encodable {
    var ok = true
    var ready: Bool
    /// "ready", or "loading" while searches still go to the store.
    var status: String
    /// Searches running and waiting for admission (`SearchAdmission`).
    var searchesRunning: Int
    var searchesWaiting: Int

    init(_ state: ServeState) {
        ready = state.isReady
        status = ready ? "ready" : "loading"
        (searchesRunning, searchesWaiting) = state.admission.load
    }

    enum CodingKeys: String, CodingKey {
        case ok, ready, status, searchesRunning = "searches_running", searchesWaiting = "searches_waiting"
    }
}
