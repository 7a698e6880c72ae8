import ArgumentParser
import TrawlCore

/// The `trawl` command: crawl, enrich, show, search and serve one Python ecosystem per profile.
@main
struct Trawl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trawl",
        abstract: "Build and serve a searchable index of one Python framework ecosystem per profile.",
        discussion: """
            Profiles (YAML) name an ecosystem's discovery sources and enrichers. Built-in profiles: \
            plone, django, flask, flet; more load from ./profiles and --profiles-dir (TRAWL_PROFILES_DIR).
            Exit codes: 0 ok, 1 failure, 2 bad usage or bad profile, 3 finished with problems.
            """,
        version: TrawlVersion.current,
        subcommands: [CrawlCommand.self, EnrichCommand.self, ShowCommand.self, SearchCommand.self, CompareCommand.self, ExportCommand.self, ProfilesCommand.self, ServeCommand.self, WorkerCommand.self, QueueCommand.self, AdminCommand.self]
    )
}
