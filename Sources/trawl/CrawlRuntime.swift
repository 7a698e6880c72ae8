import Foundation
import Logging
import TrawlCore
import TrawlPyPI
import TrawlTypesense

/// The live objects one command needs to crawl: the HTTP layer (with the store as its validator
/// cache), the index client and the profile's plugins, built from the registry by kind.
struct CrawlRuntime {
    let env: CLIEnvironment
    let store: any Store
    let profile: Profile
    let http: HTTPFetcher
    let context: PluginContext

    init(env: CLIEnvironment, store: any Store, profile: Profile, discovery: DiscoveryStrategy, collection: String? = nil) throws {
        self.env = env
        self.store = store
        self.profile = profile
        var config = HTTPFetcher.Configuration()
        if let attempts = env.config.value("TRAWL_HTTP_MAX_ATTEMPTS").flatMap(Int.init) { config.retry.maxAttempts = max(1, attempts) }
        if let ms = env.config.value("TRAWL_HTTP_BACKOFF_MS").flatMap(Int64.init) {
            config.retry.baseDelay = .milliseconds(ms)
            config.retry.maxDelay = .milliseconds(ms * 20)
        }
        if let n = env.config.value("TRAWL_PYPI_CONCURRENCY").flatMap(Int.init) { config.concurrency[.pypi] = n }
        if let n = env.config.value("TRAWL_GITHUB_CONCURRENCY").flatMap(Int.init) { config.concurrency[.github] = max(1, n) }
        http = HTTPFetcher(configuration: config, cache: store, logger: env.logger)
        let frameworks = profile.sources.filter { $0.kind == ClassifierSource.descriptor.kind }
            .flatMap { $0.options.strings("classifiers") }
            .compactMap { c -> String? in
                let parts = c.components(separatedBy: " :: ")
                return parts.count >= 2 && parts[0] == "Framework" ? parts[1] : nil
            }
        context = PluginContext(
            http: http, config: env.config, store: store, logger: env.logger, profileKey: profile.key,
            discovery: discovery, frameworks: Array(Set(frameworks)).sorted(), collection: collection,
            categories: profile.categories, types: profile.types)
    }

    func index() throws -> PyPIIndex {
        do {
            return PyPIIndex(client: PyPIClient(http: http, baseURL: try env.config.pypiURL()), frameworks: context.frameworks)
        } catch {
            Console.error("\(error)")
            throw error
        }
    }

    func sources() throws -> [any Source] {
        try build(profile.sources, what: "source kind", available: { env.registry.isAvailable(source: $0) }) {
            try env.registry.makeSource($0, context: context)
        }
    }

    func enrichers() throws -> [any Enricher] {
        try build(profile.enrichers, what: "enricher", available: { env.registry.isAvailable(enricher: $0) }) {
            try env.registry.makeEnricher($0, context: context)
        }
    }

    /// Builds the profile's plugins by kind; a kind declared but not built yet is skipped with a warning.
    private func build<T>(
        _ specs: [PluginSpec], what: String, available: (String) -> Bool, make: (PluginSpec) throws -> T
    ) throws -> [T] {
        try specs.compactMap { spec in
            guard available(spec.kind) else {
                env.logger.warning("\(what) '\(spec.kind)' is not implemented in this build; skipped")
                return nil
            }
            return try make(spec)
        }
    }

    /// A crawler of `collection`; with TRAWL_TYPESENSE_URL set it also publishes each stored batch
    /// to Typesense alias `collection` (so every crawl, the CLI's or a worker's, keeps it in sync).
    func crawler(collection: String, options: CrawlOptions, progress: (any ProgressReporter)?) throws -> Crawler {
        var crawler = Crawler(
            profile: profile, collection: collection, store: store, index: try index(), sources: try sources(),
            enrichers: try enrichers(), options: options, logger: env.logger, progress: progress, counters: http.counters)
        crawler.publisher = publisher(alias: collection)
        return crawler
    }

    /// The Typesense publisher when TRAWL_TYPESENSE_URL is set: changes go to alias `alias`.
    func publisher(alias: String) -> (any Publisher)? {
        guard let client = TypesenseClient.from(config: env.config, http: http) else { return nil }
        return TypesensePublisher(client: client, store: store, logger: env.logger, alias: alias)
    }

    /// Writes the validators the store still holds for its next batch, then closes HTTP.
    func shutdown() async throws {
        try? await store.flushValidators()
        try await http.shutdown()
    }
}
