public import TrawlCore

extension PluginRegistry {
    /// Registers this module's plugins: the `github` enricher, the `github-topic` and
    /// `github-monorepo` sources.
    public mutating func registerGitHub() {
        register(enricher: GitHubEnricher.self)
        register(source: TopicSource.self)
        register(source: MonorepoSource.self)
    }
}
