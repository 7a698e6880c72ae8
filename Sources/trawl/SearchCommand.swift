public import ArgumentParser
import Foundation
public import TrawlCore

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Search a collection.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Words to search for (names weigh most, then summary, keywords, description).") var query: [String] = []
    @Option(name: .shortAndLong, help: "Profile key (or TRAWL_DEFAULT_PROFILE).") var profile: String?
    @Option(name: .long, help: "relevance, stars, downloads, updated, health, name, newest, trending or dependents.") var sort: SearchSort = .relevance
    @Option(name: .long, help: "Results to show (max 250).") var limit: Int = 20
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct Output: Encodable {
        var found: Int
        var hits: [Hit]
        struct Hit: Encodable {
            var score: Double
            var document: PackageDocument
        }
    }

    func run() async throws {
        let env = CLIEnvironment(global)
        let store = try env.openStore()
        let collection = try await collectionFor(profile, env: env, store: store)
        let results = try await store.search(SearchQuery(text: query.joined(separator: " "), sort: sort, perPage: limit), collection: collection)
        if json {
            print(try JSONText.encode(Output(found: results.total, hits: results.hits.map { .init(score: $0.score, document: $0.document) }), pretty: false))
            return
        }
        print("\(results.total) found in '\(collection)'")
        for hit in results.hits {
            let d = hit.document
            print("\(d.name) \(d.version)  \(d.summary.prefix(80))")
        }
    }
}

extension SearchSort: ExpressibleByArgument {}
