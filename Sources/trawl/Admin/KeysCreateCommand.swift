import ArgumentParser
import Foundation
import TrawlCore
import TrawlStore

/// Creates a search-only key for one or more collections and prints its value once.
struct KeysCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a search-only API key and print it once.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "A key that may only search (the only kind created here).") var searchOnly = false
    @Option(name: .long, help: "Collection (or alias) the key may search; repeat for more.") var collection: [String] = []
    @Option(name: .long, help: "Use this value instead of a random one (at least 8 characters).") var value: String?
    @Option(name: .long, help: "A note shown by `keys list`.") var description = ""
    @Flag(name: .long, help: "Print JSON.") var json = false
    @Flag(name: .long, help: "On the Typesense server at TRAWL_TYPESENSE_URL instead of the local store.") var typesense = false

    func validate() throws {
        guard searchOnly else { throw ValidationError("only search-only keys can be created: pass --search-only") }
        guard !collection.isEmpty else { throw ValidationError("name the collection the key may search: --collection C") }
        if let value, value.count < 8 { throw ValidationError("--value needs at least 8 characters") }
    }

    func run() async throws {
        let env = CLIEnvironment(global)
        if typesense {
            return try await TypesenseKeys.create(env, collections: collection, value: value, description: description, quiet: global.quiet)
        }
        let store = try env.openStore()
        let value = self.value ?? APIKeyHash.generate()
        if try await store.findAPIKey(value: value) != nil {
            Console.error("a key with this value already exists")
            throw ExitCode(1)
        }
        let info = try await store.createAPIKey(value: value, scope: .search, collections: collection, description: description)
        try await store.close()
        if json {
            print(try JSONText.encode(Created(id: info.id, value: value, collections: info.collections), pretty: false))
        } else {
            print("created key \(info.id) for \(info.collections.joined(separator: ", ")) (shown once): \(value)")
        }
    }

    struct Created: Encodable {
        var id: Int64
        var value: String
        var collections: [String]
    }
}
