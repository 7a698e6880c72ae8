import ArgumentParser

/// `trawl admin`: collections, aliases and API keys, on the local store or (with `--typesense`) on
/// the Typesense server Trawl publishes to. Each subcommand is its own type and file.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Administer collections, aliases and API keys (local store, or Typesense with --typesense).",
        subcommands: [
            AdminCollectionsCommand.self, AdminAliasesCommand.self, AdminAliasCommand.self, AdminMigrateCommand.self,
            AdminDeleteCollectionCommand.self, AdminRecreateCommand.self, KeysCommand.self,
        ])
}
