public import TrawlCore

extension PluginRegistry {
    /// Registers this module's sources and enrichers.
    public mutating func registerPyPI() {
        register(source: ClassifierSource.self)
        register(source: RequiresSource.self)
        register(source: NamesSource.self)
        register(enricher: PyPIEnricher.self)
        register(enricher: VersionsEnricher.self)
    }
}
