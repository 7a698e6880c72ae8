public import Logging

/// What every plugin gets: the shared HTTP layer, the configuration, the store and a logger.
/// Passing one value keeps plugin initializers uniform, which is what lets the registry build
/// any kind from its name.
public struct PluginContext: Sendable {
    public var http: HTTPFetcher
    public var config: TrawlConfig
    public var store: any Store
    public var logger: Logger
    /// The key of the profile being run (or the target collection in manual mode).
    public var profileKey: String
    /// The collection the run writes (the profile key unless `--target` says otherwise).
    public var collection: String
    /// `--discovery`: how index-wide sources discover.
    public var discovery: DiscoveryStrategy
    /// The framework names of the profile's classifiers (`Framework :: Django` → Django), for
    /// `framework_versions`.
    public var frameworks: [String]
    /// The profile's `categories:` rules, for the `categories` enricher.
    public var categories: [String: CategoryRule]
    /// The profile's `types:` rules (one package type per package).
    public var types: [String: CategoryRule]

    public init(
        http: HTTPFetcher, config: TrawlConfig, store: any Store, logger: Logger, profileKey: String,
        discovery: DiscoveryStrategy = .clickhouse, frameworks: [String] = [], collection: String? = nil,
        categories: [String: CategoryRule] = [:], types: [String: CategoryRule] = [:]
    ) {
        self.collection = collection ?? profileKey
        self.discovery = discovery
        self.frameworks = frameworks
        self.categories = categories
        self.types = types
        self.http = http
        self.config = config
        self.store = store
        self.logger = logger
        self.profileKey = profileKey
    }
}
