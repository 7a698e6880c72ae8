import ArgumentParser
import Foundation
import TrawlCore

/// Lists keys by id and prefix; a key's value is never shown again after creation.
struct KeysListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List API keys (ids and prefixes only).")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Print JSON.") var json = false
    @Flag(name: .long, help: "On the Typesense server at TRAWL_TYPESENSE_URL instead of the local store.") var typesense = false

    func run() async throws {
        let env = CLIEnvironment(global)
        if typesense { return try await TypesenseKeys.list(env, json: json) }
        let store = try env.openStore()
        let keys = try await store.apiKeys()
        try await store.close()
        if json {
            print(try JSONText.encode(keys.map(KeyJSON.init), pretty: false))
            return
        }
        if keys.isEmpty { print("no keys") }
        for key in keys {
            print("\(key.id)\t\(key.prefix)…\t\(key.scope.rawValue)\t\(key.collections.joined(separator: ","))\t\(key.description)")
        }
    }

    struct KeyJSON: Encodable {
        var id: Int64
        var prefix: String
        var scope: String
        var collections: [String]
        var description: String
        var created_at: Int64

        init(_ info: APIKeyInfo) {
            id = info.id
            prefix = info.prefix
            scope = info.scope.rawValue
            collections = info.collections
            description = info.description
            created_at = info.createdAt
        }
    }
}
