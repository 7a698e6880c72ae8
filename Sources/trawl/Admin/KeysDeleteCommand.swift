import ArgumentParser
import TrawlCore

/// Deletes a key by id (exit 1 when there is none).
struct KeysDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete an API key by id.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The key's id (see `keys list`).") var id: Int64
    @Flag(name: .long, help: "On the Typesense server at TRAWL_TYPESENSE_URL instead of the local store.") var typesense = false

    func run() async throws {
        let env = CLIEnvironment(global)
        if typesense { return try await TypesenseKeys.delete(env, id: id, quiet: global.quiet) }
        let store = try env.openStore()
        let deleted = try await store.deleteAPIKey(id: id)
        try await store.close()
        guard deleted else {
            Console.error("no key with id \(id)")
            throw ExitCode(1)
        }
        print("deleted key \(id)")
    }
}
