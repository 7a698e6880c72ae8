import ArgumentParser
import Foundation
import TrawlCore

/// `trawl admin migrate FROM TO [--typesense]`: copies every document of one collection into
/// another (created when missing, with the same schema on Typesense). FROM is left as it was.
struct AdminMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy every document of collection FROM into collection TO (created when missing).",
        discussion: "Documents already in TO with the same name are replaced; FROM is not changed. Repoint an alias with `trawl admin alias`.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: AdminTarget
    @Argument(help: "Source collection.") var from: String
    @Argument(help: "Destination collection.") var to: String

    func run() async throws {
        guard from != to else {
            Console.error("admin migrate: FROM and TO are the same collection")
            throw ExitCode(2)
        }
        let env = CLIEnvironment(global)
        let admin = try target.open(env)
        do {
            let copied = try await admin.migrate(from: from, to: to)
            await admin.close()
            if !global.quiet { print("copied \(copied) documents from \(from) to \(to) in \(admin.place)") }
        } catch {
            await admin.close()
            Console.error("admin migrate: \(error)")
            throw ExitCode(1)
        }
    }
}
