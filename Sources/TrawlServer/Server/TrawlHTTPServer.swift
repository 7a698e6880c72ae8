public import Hummingbird
public import Logging
public import ServiceLifecycle
public import UnixSignals
public import TrawlCore
import TrawlStore

/// `trawl serve`: the JSON API, Typesense-compatible endpoints, the web page and /metrics over
/// one store. Built as a Hummingbird application so it runs inside a ServiceGroup with graceful
/// shutdown (SIGTERM/SIGINT finish in-flight requests, then stop).
public struct TrawlHTTPServer: Sendable {
    let state: ServeState

    public init(store: any Store, options: ServerOptions) throws {
        let access = AccessControl(keys: store, configuredAdminHash: options.adminKey.map { APIKeyHash.hash($0.value) }, isPrivate: options.isPrivate)
        state = ServeState(store: store, options: options, access: access, metrics: ServerMetrics(), pages: try PageRenderer())
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: state.metrics))
        router.add(middleware: ErrorMiddleware())
        SystemRoutes(state: state).register(on: router)
        APIRoutes(state: state).register(on: router)
        TypesenseSearchRoutes(state: state).register(on: router)
        TypesenseCollectionRoutes(state: state).register(on: router)
        KeyRoutes(state: state).register(on: router)
        PageRoutes(state: state).register(on: router)
        return router
    }

    /// The application; `onRunning` receives the bound port (useful with port 0).
    public func application(logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(state.options.host, port: state.options.port), serverName: "trawl"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Runs until SIGTERM or SIGINT (then finishes in-flight requests and stops) or until the task
    /// is cancelled.
    public func run(logger: Logger, signals: [UnixSignal] = [.sigterm, .sigint], onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(logger: logger, onRunning: onRunning).runService(gracefulShutdownSignals: signals)
    }
}
