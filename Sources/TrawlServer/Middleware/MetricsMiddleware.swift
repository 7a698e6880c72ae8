import Hummingbird

/// Counts every request and its latency by method, route and status.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        metrics.record(
            method: request.method.rawValue, route: ServerMetrics.route(request.uri.path), status: response.status.code,
            duration: ContinuousClock.now - start)
        return response
    }
}
