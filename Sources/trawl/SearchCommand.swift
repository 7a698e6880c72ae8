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
    @Flag(name: .long, help: "Say for each hit why it ranks where it does (match tier and field, typo or prefix, popularity).") var explain = false

    struct Output: Encodable {
        var found: Int
        var hits: [Hit]
        struct Hit: Encodable {
            var score: Double
            var explain: RelevanceExplanation?
            var document: PackageDocument
        }
    }

    func run() async throws {
        let env = CLIEnvironment(global)
        let store = try env.openStore()
        let collection = try await collectionFor(profile, env: env, store: store)
        let results = try await store.search(SearchQuery(text: query.joined(separator: " "), sort: sort, perPage: limit), collection: collection)
        if json {
            print(try JSONText.encode(Output(found: results.total, hits: results.hits.map { .init(score: $0.score, explain: explain ? $0.explanation : nil, document: $0.document) }), pretty: false))
            return
        }
        print("\(results.total) found in '\(collection)'")
        for hit in results.hits {
            let d = hit.document
            print("\(d.name) \(d.version)  \(d.summary.prefix(80))")
            if explain, let why = hit.explanation { print("    " + Self.describe(why)) }
        }
    }
}

extension SearchSort: ExpressibleByArgument {}

extension SearchCommand {
    /// One line of reasons under a hit: `tier exact_name (level 12) in name; popularity 6.12 from 1300000 downloads/month, 4 dependents, 980 stars`.
    static func describe(_ why: RelevanceExplanation) -> String {
        var match = "tier \(why.tier.label) (level \(why.level)) in \(why.field)"
        if why.typo { match += ", typo corrected" }
        if why.prefix { match += ", prefix match" }
        let figures = "\(why.downloads) downloads/month, \(why.dependents) dependents, \(why.stars) stars"
        return "\(match); popularity \(String(format: "%.2f", why.popularity)) from \(figures); name closeness \(why.closeness)"
    }
}
