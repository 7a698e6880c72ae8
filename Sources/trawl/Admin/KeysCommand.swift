import ArgumentParser

/// `trawl admin keys list | create | delete`: API keys in the local store (values are kept hashed).
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List, create and delete API keys.",
        subcommands: [KeysListCommand.self, KeysCreateCommand.self, KeysDeleteCommand.self]
    )
}
