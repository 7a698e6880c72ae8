import ArgumentParser

/// `trawl admin`: collections, aliases and API keys. Each subcommand is its own type and file;
/// add new ones to `subcommands`.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Administer collections, aliases and API keys.",
        subcommands: [KeysCommand.self]
    )
}
