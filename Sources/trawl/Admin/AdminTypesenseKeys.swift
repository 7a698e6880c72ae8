import ArgumentParser
import Foundation
import TrawlCore
import TrawlTypesense

/// `trawl admin keys … --typesense`-style key management on the Typesense server Trawl publishes
/// to: search-only keys scoped to collections (or aliases), for browsers and InstantSearch.
/// The lead may attach these under the local-store `keys` group; standing alone it is `keys`.
struct AdminTypesenseKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage search-only API keys on the Typesense server (TRAWL_TYPESENSE_URL).",
        subcommands: [List.self, Create.self, Delete.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List Typesense API keys (prefixes only).")
        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            let admin = try TypesenseAdmin.open(CLIEnvironment(global))
            do {
                let keys = try await admin.client.keys()
                await admin.close()
                if json {
                    print(try JSONText.encode(keys.map { KeyRow($0) }))
                } else if keys.isEmpty {
                    print("no keys in \(admin.place)")
                } else {
                    for k in keys {
                        print("\(k.id)  \(k.valuePrefix ?? "")…  \(k.actions.joined(separator: ","))  on \(k.collections.joined(separator: ","))  \(k.description ?? "")")
                    }
                }
            } catch {
                await admin.close()
                Console.error("admin keys list: \(error)")
                throw ExitCode(1)
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create a search-only key for some collections; its value is printed once.")
        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "A key that may only search (the only kind created here).") var searchOnly = false
        @Option(name: .long, help: "A collection or alias the key may search (repeatable).") var collection: [String] = []
        @Option(name: .long, help: "Use this value instead of a generated one.") var value: String?
        @Option(name: .long, help: "A note shown in `keys list`.") var description: String = "trawl search-only key"

        func validate() throws {
            guard searchOnly else { throw ValidationError("only search-only keys are created here: pass --search-only") }
            guard !collection.isEmpty else { throw ValidationError("name at least one --collection") }
        }

        func run() async throws {
            let admin = try TypesenseAdmin.open(CLIEnvironment(global))
            do {
                let key = try await admin.client.createSearchKey(collections: collection, description: description, value: value)
                await admin.close()
                print(key.value ?? "")
                if !global.quiet { Console.error("key \(key.id) may search \(collection.joined(separator: ", ")); its value is shown only now") }
            } catch {
                await admin.close()
                Console.error("admin keys create: \(error)")
                throw ExitCode(1)
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a Typesense API key by id.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key's id (from `keys list`).") var id: Int64

        func run() async throws {
            let admin = try TypesenseAdmin.open(CLIEnvironment(global))
            do {
                let deleted = try await admin.client.deleteKey(id: id)
                await admin.close()
                guard deleted else {
                    Console.error("no key with id \(id)")
                    throw ExitCode(1)
                }
                if !global.quiet { print("deleted key \(id)") }
            } catch let error as ExitCode {
                throw error
            } catch {
                await admin.close()
                Console.error("admin keys delete: \(error)")
                throw ExitCode(1)
            }
        }
    }

    /// A key without its value, for JSON listings.
    struct KeyRow: Encodable {
        var id: Int64
        var prefix: String
        var actions: [String]
        var collections: [String]
        var description: String
        init(_ key: TypesenseKey) {
            id = key.id
            prefix = key.valuePrefix ?? ""
            actions = key.actions
            collections = key.collections
            description = key.description ?? ""
        }
    }
}
