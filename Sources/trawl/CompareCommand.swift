import ArgumentParser
import Foundation
import TrawlCore

/// `trawl compare A B C -p P [--json]`: the table of the page's `/compare`, in a terminal.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare packages of a collection side by side (at most 10).",
        discussion: """
            Rows: latest version and its date, framework and Python versions, license, GitHub stars, last push and \
            open issues, downloads last month, health score with each rule's points, known vulnerabilities, and \
            whether a package is archived or inactive. Exit 1 when a package is not in the collection (the others \
            are still shown).
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Package names (any spelling; 1 to 10).") var names: [String] = []
    @Option(name: .shortAndLong, help: "Profile key (or TRAWL_DEFAULT_PROFILE).") var profile: String?
    @Flag(name: .long, help: "Print the table as JSON (packages, names, missing, rows).") var json = false

    func validate() throws {
        let asked = CompareTable.requested(names)
        if asked.isEmpty { throw ValidationError("name at least one package to compare") }
        if asked.count > CompareTable.maxPackages { throw ValidationError("at most \(CompareTable.maxPackages) packages") }
    }

    func run() async throws {
        let env = CLIEnvironment(global)
        let store = try env.openStore()
        let collection = try await collectionFor(profile, env: env, store: store)
        let asked = CompareTable.requested(names)
        let found = try await store.documents(asked, collection: collection)
        try await store.close()
        let table = CompareTable(asked.compactMap { found[$0] })
        let missing = asked.filter { found[$0] == nil }
        if json {
            print(try JSONText.encode(CompareTable.Answer(collection: collection, table: table, missing: missing)))
        } else if !table.packages.isEmpty {
            print(table.text)
        }
        if !missing.isEmpty {
            Console.error("not in collection '\(collection)': \(missing.joined(separator: ", "))")
            throw ExitCode(1)
        }
    }
}
