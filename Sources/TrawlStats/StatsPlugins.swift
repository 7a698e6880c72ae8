public import TrawlCore

extension PluginRegistry {
    /// Registers this module's enrichers: `downloads`, `health`, `flags`, `categories`.
    public mutating func registerStats() {
        register(enricher: DownloadsEnricher.self)
        register(enricher: HealthEnricher.self)
        register(enricher: FlagsEnricher.self)
        register(enricher: CategoriesEnricher.self)
    }
}
