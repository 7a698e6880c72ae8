import Hummingbird

/// Liveness, Prometheus metrics (admin key under `--private`) and the OpenAPI description.
struct SystemRoutes: Sendable {
    let state: ServeState

    func register(on router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in try JSONOutput.response(["ok": true]) }
        router.get("/health") { _, _ in try JSONOutput.response(["ok": true]) }  // Typesense clients probe this
        router.get("/metrics") { request, _ in
            // Under --private the collections' sizes and the traffic are not public either.
            if self.state.options.isPrivate {
                try self.state.access.requireAdmin(try await self.state.access.caller(request, query: QueryItems(request: request)))
            }
            return JSONOutput.text(try await self.state.metrics.exposition(store: self.state.store), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/openapi.yaml") { _, _ in
            JSONOutput.text(OpenAPIDocument.yaml, contentType: "application/yaml; charset=utf-8")
        }
    }
}
