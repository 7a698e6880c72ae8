import ArgumentParser
import Foundation
import TrawlCore

/// `trawl admin aliases [--typesense]`: every alias and its collection.
struct AdminAliasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "aliases", abstract: "List aliases (NAME → COLLECTION).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: AdminTarget
    @Flag(name: .long, help: "Print JSON (an object of alias → collection).") var json = false

    func run() async throws {
        let env = CLIEnvironment(global)
        let admin = try target.open(env)
        do {
            let aliases = try await admin.aliases()
            await admin.close()
            if json {
                print(try JSONText.encode(aliases))
            } else if aliases.isEmpty {
                print("no aliases in \(admin.place)")
            } else {
                for name in aliases.keys.sorted() { print("\(name) → \(aliases[name] ?? "")") }
            }
        } catch {
            await admin.close()
            Console.error("admin aliases: \(error)")
            throw ExitCode(1)
        }
    }
}

/// `trawl admin alias NAME TARGET [--typesense]`: creates or repoints an alias (atomically).
struct AdminAliasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias", abstract: "Point alias NAME at collection TARGET (created, or switched atomically).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: AdminTarget
    @Argument(help: "The alias name (usually a profile key).") var name: String
    @Argument(help: "The collection it should point at.") var collection: String

    func run() async throws {
        let env = CLIEnvironment(global)
        let admin = try target.open(env)
        do {
            try await admin.setAlias(name, target: collection)
            await admin.close()
            if !global.quiet { print("alias \(name) → \(collection) in \(admin.place)") }
        } catch {
            await admin.close()
            Console.error("admin alias: \(error)")
            throw ExitCode(1)
        }
    }
}
