import ArgumentParser
import Foundation
import TrawlCore

/// `trawl admin delete-collection NAME [--force] [--typesense]`. Deleting is not undoable, so it
/// asks on a terminal; without a terminal (a script, CI) it refuses unless `--force` says so.
struct AdminDeleteCollectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete-collection",
        abstract: "Delete a collection and its documents (asks first unless --force).",
        discussion: "Without a terminal and without --force it refuses (exit 2).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: AdminTarget
    @Argument(help: "The collection to delete.") var name: String
    @Flag(name: .long, help: "Do not ask.") var force = false

    func run() async throws {
        let env = CLIEnvironment(global)
        if !force && isatty(STDIN_FILENO) == 0 {
            Console.error("refusing to delete '\(name)' without confirmation: no terminal to ask on; pass --force to delete anyway")
            throw ExitCode(2)
        }
        let admin = try target.open(env)
        do {
            guard let info = try await admin.collections().first(where: { $0.name == name }) else {
                await admin.close()
                Console.error("no collection named '\(name)' in \(admin.place)")
                throw ExitCode(1)
            }
            if !force {
                let pointing = try await admin.aliases().filter { $0.value == name }.keys.sorted()
                let note = pointing.isEmpty ? "" : " (alias \(pointing.joined(separator: ", ")) points at it and will serve nothing)"
                FileHandle.standardError.write(Data("Delete collection '\(name)' with \(info.documents) documents from \(admin.place)\(note)? Type the name to confirm: ".utf8))
                let answer = readLine()?.trimmingCharacters(in: .whitespaces)
                guard answer == name else {
                    await admin.close()
                    Console.error("not confirmed; nothing deleted")
                    throw ExitCode(1)
                }
            }
            _ = try await admin.deleteCollection(name)
            await admin.close()
            if !global.quiet { print("deleted collection \(name) (\(info.documents) documents) from \(admin.place)") }
        } catch let error as ExitCode {
            throw error
        } catch {
            await admin.close()
            Console.error("admin delete-collection: \(error)")
            throw ExitCode(1)
        }
    }
}
