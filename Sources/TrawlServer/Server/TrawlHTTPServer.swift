public import Hummingbird
public import Logging
public import ServiceLifecycle
public import UnixSignals
public import TrawlCore
import TrawlSearchIndex
import TrawlStore

/// `trawl serve`: the JSON API, Typesense-compatible endpoints, the web page and /metrics over
/// one store. Built as a Hummingbird application so it runs inside a ServiceGroup with graceful
/// shutdown (SIGTERM/SIGINT finish in-flight requests, then stop).
public struct TrawlHTTPServer: Sendable {
    let state: ServeState

    public init(store: any Store, options: ServerOptions, logger: Logger = Logger(label: "trawl.serve")) throws {
        let access = AccessControl(keys: store, configuredAdminHash: options.adminKey.map { APIKeyHash.hash($0.value) }, isPrivate: options.isPrivate)
        let index = options.inMemoryIndex ? SearchIndex(source: store, logger: logger) : nil
        state = ServeState(store: store, options: options, access: access, metrics: ServerMetrics(), pages: try PageRenderer(), index: index)
    }

    /// Loads or refreshes the in-memory index now (tests and benchmarks wait for it this way).
    public func refreshIndex() async throws {
        try await state.index?.refresh()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: state.metrics))
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: RequestBoundsMiddleware())
        SystemRoutes(state: state).register(on: router)
        APIRoutes(state: state).register(on: router)
        TypesenseSearchRoutes(state: state).register(on: router)
        TypesenseCollectionRoutes(state: state).register(on: router)
        KeyRoutes(state: state).register(on: router)
        PageRoutes(state: state).register(on: router)
        CompareRoutes(state: state, pages: PageRoutes(state: state)).register(on: router)
        FeedRoutes(state: state).register(on: router)
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

    /// Runs until SIGTERM or SIGINT (then finishes in-flight requests and stops), until `shutdown`
    /// is triggered (the same graceful stop), or until the task is cancelled.
    /// The in-memory index is loaded in the background and then kept fresh by polling the store;
    /// searches use SQL until their collection is loaded.
    public func run(
        logger: Logger, signals: [UnixSignal] = [.sigterm, .sigint], shutdown: ShutdownTrigger? = nil,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let interval = state.options.indexRefreshInterval
        let services = ServiceGroup(configuration: .init(
            services: [application(logger: logger, onRunning: onRunning)], gracefulShutdownSignals: signals, logger: logger))
        await shutdown?.attach(services)
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let index = state.index { group.addTask { await index.run(every: interval) } }
            try await services.run()
            group.cancelAll()
        }
    }
}
