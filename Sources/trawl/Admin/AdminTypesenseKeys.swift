import ArgumentParser
import Foundation
import TrawlCore
import TrawlTypesense

/// `trawl admin keys … --typesense`: search-only keys on the Typesense server Trawl publishes to
/// (for browsers and InstantSearch talking to Typesense directly). The `keys` subcommands call these
/// when `--typesense` is given; without it they manage the local store's keys.
enum TypesenseKeys {
    static func list(_ env: CLIEnvironment, json: Bool) async throws {
        let admin = try TypesenseAdmin.open(env)
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

    static func create(_ env: CLIEnvironment, collections: [String], value: String?, description: String, quiet: Bool) async throws {
        let admin = try TypesenseAdmin.open(env)
        do {
            let key = try await admin.client.createSearchKey(
                collections: collections, description: description.isEmpty ? "trawl search-only key" : description, value: value)
            await admin.close()
            print(key.value ?? "")
            if !quiet { Console.error("key \(key.id) may search \(collections.joined(separator: ", ")); its value is shown only now") }
        } catch {
            await admin.close()
            Console.error("admin keys create: \(error)")
            throw ExitCode(1)
        }
    }

    static func delete(_ env: CLIEnvironment, id: Int64, quiet: Bool) async throws {
        let admin = try TypesenseAdmin.open(env)
        let deleted: Bool
        do {
            deleted = try await admin.client.deleteKey(id: id)
            await admin.close()
        } catch {
            await admin.close()
            Console.error("admin keys delete: \(error)")
            throw ExitCode(1)
        }
        guard deleted else {
            Console.error("no key with id \(id)")
            throw ExitCode(1)
        }
        if !quiet { print("deleted key \(id)") }
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
