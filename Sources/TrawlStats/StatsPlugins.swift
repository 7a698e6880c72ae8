public import TrawlCore

extension PluginRegistry {
    /// Registers this module's enrichers: `downloads` (more follow).
    public mutating func registerStats() {
        register(enricher: DownloadsEnricher.self)
    }
}
