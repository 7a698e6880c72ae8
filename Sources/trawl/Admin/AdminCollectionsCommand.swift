import ArgumentParser
import Foundation
import TrawlCore

/// `trawl admin collections [--names] [--typesense]`.
struct AdminCollectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collections", abstract: "List collections with their document counts (and the aliases pointing at them).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: AdminTarget
    @Flag(name: .long, help: "Only the names, one a line.") var names = false
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() async throws {
        let env = CLIEnvironment(global)
        let admin = try target.open(env)
        do {
            let collections = try await admin.collections()
            let aliases = try await admin.aliases()
            if names {
                for c in collections { print(c.name) }
            } else if json {
                print(try JSONText.encode(collections))
            } else if collections.isEmpty {
                print("no collections in \(admin.place)")
            } else {
                let width = max(10, collections.map(\.name.count).max() ?? 0)
                for c in collections {
                    let pointing = aliases.filter { $0.value == c.name }.keys.sorted()
                    let via = pointing.isEmpty ? "" : "  ← " + pointing.joined(separator: ", ")
                    print(c.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(c.documents).leftPadded(8) + " documents" + via)
                }
            }
            await admin.close()
        } catch let error as ExitCode {
            throw error
        } catch {
            await admin.close()
            Console.error("admin collections: \(error)")
            throw ExitCode(1)
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
