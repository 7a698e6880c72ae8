import Hummingbird

/// Liveness, Prometheus metrics and the OpenAPI description.
struct SystemRoutes: Sendable {
    let state: ServeState

    func register(on router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in try JSONOutput.response(["ok": true]) }
        router.get("/health") { _, _ in try JSONOutput.response(["ok": true]) }  // Typesense clients probe this
        router.get("/metrics") { _, _ in
            JSONOutput.text(try await self.state.metrics.exposition(store: self.state.store), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/openapi.yaml") { _, _ in
            JSONOutput.text(OpenAPIDocument.yaml, contentType: "application/yaml; charset=utf-8")
        }
    }
}
