import Foundation
import Logging
import TrawlCore
import TrawlPyPI
import TrawlTypesense

/// The live objects one run needs: the HTTP layer, the index client and the profile's plugins,
/// built from the registry by kind. Made only by `RunBuilder`.
struct CrawlRuntime {
    let env: CLIEnvironment
    let store: any Store
    let profile: Profile
    let http: HTTPFetcher
    let context: PluginContext

    init(env: CLIEnvironment, store: any Store, profile: Profile, discovery: DiscoveryStrategy, collection: String) {
        self.env = env
        self.store = store
        self.profile = profile
        http = HTTPFetcher(configuration: env.config.httpConfiguration(), cache: store, logger: env.logger)
        context = PluginContext(
            http: http, config: env.config, store: store, logger: env.logger, profileKey: profile.key,
            discovery: discovery, frameworks: env.registry.frameworks(of: profile.sources), collection: collection,
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

    /// The profile's enrichers, with `settings` (e.g. `force`) set on each whose kind declares it.
    func enrichers(_ specs: [PluginSpec]? = nil, settings: [String: OptionValue] = [:]) throws -> [any Enricher] {
        try build(specs ?? profile.enrichers, what: "enricher", available: { env.registry.isAvailable(enricher: $0) }) { spec in
            var spec = spec
            let declared = Set(env.registry.enricherDescriptor(spec.kind)?.options.map(\.name) ?? [])
            for (name, value) in settings where declared.contains(name) { spec.options.values[name] = value }
            return try env.registry.makeEnricher(spec, context: context)
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

    /// Runs `body`, then closes the HTTP layer whether it succeeded or threw.
    func closing<T>(after body: () async throws -> T) async throws -> T {
        let result: T
        do { result = try await body() } catch {
            try? await shutdown()
            throw error
        }
        try await shutdown()
        return result
    }

    /// The enrichers' closing lines (cache use, work left for later), in profile order.
    static func report(_ enrichers: [any Enricher]) -> RunReport {
        enrichers.map { $0.closingReport() }.reduce(into: RunReport()) { $0.lines += $1.lines; $0.warnings += $1.warnings }
    }
}
