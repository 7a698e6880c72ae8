import Foundation
import Logging
import TestSupport
import TrawlCore
import TrawlPyPI
import TrawlStore

/// A fake index, a fresh store and the plumbing to run crawls against them.
struct CrawlHarness {
    let fake: FakePyPI
    let store: SQLiteStore
    let http: HTTPFetcher
    let config: TrawlConfig
    let registry: PluginRegistry

    static let plone = Profile(
        key: "plone", name: "Plone",
        sources: [PluginSpec(kind: "pypi-classifiers", options: PluginOptions(["classifiers": .strings(["Framework :: Plone"])]))],
        enrichers: [PluginSpec(kind: "pypi"), PluginSpec(kind: "versions")],
        origin: ProfileOrigin(path: "test", layer: .dropIn))

    static func start(_ projects: [FakePyPI.Project], clickhouseURL: String = "http://127.0.0.1:9") async throws -> CrawlHarness {
        let fake = try await FakePyPI.start(projects)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-crawl-\(UUID().uuidString)/t.sqlite").path
        let store = try SQLiteStore(path: path)
        let http = HTTPFetcher(
            configuration: .init(retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20), maxWait: .seconds(2)),
                                 requestTimeout: TestTimeouts.request, connectTimeout: TestTimeouts.connect),
            cache: store)
        var registry = PluginRegistry()
        registry.registerPyPI()
        let config = TrawlConfig(environment: ["TRAWL_PYPI_URL": fake.baseURL, "TRAWL_CLICKHOUSE_URL": clickhouseURL])
        return CrawlHarness(fake: fake, store: store, http: http, config: config, registry: registry)
    }

    func crawler(_ mode: CrawlMode, profile: Profile = CrawlHarness.plone, discovery: DiscoveryStrategy = .scan,
                 limit: Int? = nil, filter: String? = nil, enrich: Bool = true, force: Bool = false,
                 sources extra: [any Source]? = nil) throws -> Crawler {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let context = PluginContext(http: http, config: config, store: store, logger: logger, profileKey: profile.key,
                                    discovery: discovery, frameworks: ["Plone"],
                                    categories: profile.categories, types: profile.types)
        let sources = try extra ?? profile.sources.map { try registry.makeSource($0, context: context) }
        let enrichers = try profile.enrichers.map { try registry.makeEnricher($0, context: context) }
        let index = PyPIIndex(client: PyPIClient(http: http, baseURL: fake.baseURL), frameworks: ["Plone"])
        var options = CrawlOptions(mode: mode, limit: limit, filterName: filter, enrich: enrich, batchSize: 7, concurrency: 8,
                                   confirmDelay: .milliseconds(50))
        options.force = force
        return Crawler(
            profile: profile, collection: profile.key, store: store, index: index, sources: sources, enrichers: enrichers,
            options: options,
            logger: logger, counters: http.counters)
    }

    func names() async throws -> [String] { try await store.documentNames(collection: "plone") }

    func shutdown() async throws {
        try await http.shutdown()
        try await fake.shutdown()
    }

    /// A mixed little index: Plone packages by prefix and sub-classifier, one under an unrelated
    /// name, and packages of other frameworks.
    static func sampleProjects() -> [FakePyPI.Project] {
        var list: [FakePyPI.Project] = [
            .init(name: "plone.app.example", versions: ["1.0", "1.2.9", "1.2.10"], classifiers: ["Framework :: Plone", "Programming Language :: Python :: 3.12"], keywords: "plone, cms"),
            .init(name: "collective.only_sub", versions: ["2.0"], classifiers: ["Framework :: Plone :: 6.0", "Framework :: Plone :: Addon"]),
            .init(name: "unrelated-name", versions: ["0.1"], classifiers: ["Framework :: Plone :: Core"]),
            .init(name: "plonex-lookalike", versions: ["1.0"], classifiers: ["Framework :: Plonex"]),
            .init(name: "django-thing", versions: ["3.0"], classifiers: ["Framework :: Django"]),
        ]
        for i in 0..<20 {
            list.append(.init(name: "collective.addon\(i)", versions: ["1.\(i)"], classifiers: ["Framework :: Plone :: 5.2"], keywords: "addon tool"))
            list.append(.init(name: "flask-thing\(i)", versions: ["0.\(i)"], classifiers: ["Framework :: Flask"]))
        }
        return list
    }
}
