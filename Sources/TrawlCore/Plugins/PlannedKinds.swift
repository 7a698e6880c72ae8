

/// Descriptors of the plugin kinds of docs/design.md §2 whose implementations have not landed yet. Profiles
/// that use them validate today; a crawl skips such an entry with a warning. Each moves next to its
/// implementation (as the type's `descriptor`) when that lands.
public enum PlannedKinds {
    /// None left: the GitHub kinds (`github-topic`, `github-monorepo`, `github`) live in TrawlGitHub.
    public static let sources: [PluginDescriptor] = []

    public static let enrichers: [PluginDescriptor] = []
}

extension PluginRegistry {
    /// Declares every planned kind not registered yet (registered implementations win).
    public mutating func declarePlannedKinds() {
        for descriptor in PlannedKinds.sources { declare(source: descriptor) }
        for descriptor in PlannedKinds.enrichers { declare(enricher: descriptor) }
    }
}
