

/// Descriptors of the plugin kinds of DESIGN §2 whose implementations have not landed yet. Profiles
/// that use them validate today; a crawl skips such an entry with a warning. Each moves next to its
/// implementation (as the type's `descriptor`) when that lands.
public enum PlannedKinds {
    public static let sources: [PluginDescriptor] = [
        PluginDescriptor(kind: "github-topic", summary: "repositories with a GitHub topic, mapped to their PyPI packages", options: [
            OptionSpec("topic", .string, required: true),
            OptionSpec("language", .string),
            OptionSpec("accept", .stringList, allowed: ["name-prefix", "requires", "mentions"], help: "rules a hit's PyPI package must pass"),
        ]),
        PluginDescriptor(kind: "github-monorepo", summary: "package folders of one repository", options: [
            OptionSpec("repo", .string, required: true, help: "owner/name", check: { $0.split(separator: "/").count == 2 ? nil : "'\($0)' is not owner/name" }),
            OptionSpec("path", .string, required: true),
            OptionSpec("exclude", .stringList),
            OptionSpec("official", .bool),
        ]),
    ]

    public static let enrichers: [PluginDescriptor] = [
        PluginDescriptor(kind: "github", summary: "stars, forks, issues, last push, topics from GitHub", options: [
            OptionSpec("readme", .bool), OptionSpec("changelog", .bool),
        ]),
    ]
}

extension PluginRegistry {
    /// Declares every planned kind not registered yet (registered implementations win).
    public mutating func declarePlannedKinds() {
        for descriptor in PlannedKinds.sources { declare(source: descriptor) }
        for descriptor in PlannedKinds.enrichers { declare(enricher: descriptor) }
    }
}
