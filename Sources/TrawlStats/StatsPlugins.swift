public import TrawlCore

extension PluginRegistry {
    /// Registers this module's enrichers: `downloads`, `health` (more follow).
    public mutating func registerStats() {
        register(enricher: DownloadsEnricher.self)
        register(enricher: HealthEnricher.self)
    }
}
