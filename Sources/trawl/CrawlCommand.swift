public import ArgumentParser
import Foundation
import Logging
public import TrawlCore
import TrawlStore

struct CrawlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crawl",
        abstract: "Discover, fetch, enrich and store a profile's packages.",
        discussion: """
            With no mode flag: a full crawl when the collection is empty, incremental otherwise.
            Without -p, --classifier C... --target COLL crawls packages with those classifiers (manual mode).
            Every run first fetches the collection's pending packages: those an earlier run could not fetch.
            Exit 3 when some packages could not be fetched: they stay pending for the next run of any kind
            (see `trawl show --problems`). An index asking to be called again later than TRAWL_MAX_RETRY_WAIT
            seconds (default 120) gets no more requests in this run.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Profile key (or TRAWL_DEFAULT_PROFILE).") var profile: String?
    @Flag(name: .long, help: "Discover from scratch; packages no longer found are kept but flagged stale.") var full = false
    @Flag(name: .long, help: "Only what changed since the last run (changelog + RSS feeds).") var incremental = false
    @Flag(name: .long, help: "Re-fetch every package of the collection; only a confirmed 404 removes one.") var refresh = false
    @Option(name: .long, help: "How index-wide sources discover: clickhouse (default, falls back to scan) or scan.") var discovery: DiscoveryStrategy = .clickhouse
    @Option(name: [.short, .long], help: "At most N packages.") var limit: Int?
    @Option(name: .long, help: "Only packages whose name contains S.") var filterName: String?
    @Option(name: .long, help: "Manual mode: a trove classifier (repeatable), prefix-matched.") var classifier: [String] = []
    @Option(name: .long, help: "Collection to write (default: the profile key).") var target: String?
    @Flag(name: .long, help: "Store PyPI metadata only; skip enrichers.") var noEnrich = false
    @Flag(name: .long, help: "Then rebuild the Typesense collection from the store without downtime (needs TRAWL_TYPESENSE_URL).")
    var recreateCollection = false
    @Flag(name: .long, help: "Print the run summary as one JSON object.") var json = false
    @Flag(name: .long, help: "Remove (or flag stale) packages even when that is more than half of the collection; without it such a run removes nothing and exits 3.")
    var force = false

    func validate() throws {
        if [full, incremental, refresh].filter({ $0 }).count > 1 {
            throw ValidationError("choose one of --full, --incremental, --refresh")
        }
        if !classifier.isEmpty && target == nil && profile == nil {
            throw ValidationError("manual mode needs --target COLL (the collection to write)")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let env = CLIEnvironment(global)
        let profile = try resolveProfile(env)
        if recreateCollection && env.config.typesenseURL == nil {
            Console.error("--recreate-collection rebuilds the Typesense collection: set TRAWL_TYPESENSE_URL")
            throw ExitCode(2)
        }
        let store = try env.openStore()
        let mode: CrawlMode? = full ? .full : incremental ? .incremental : refresh ? .refresh : nil
        try await Console.exitCodes("crawl") {
            // With TRAWL_TYPESENSE_URL each stored batch is mirrored to Typesense; a recreate afterwards
            // imports everything anyway, so it skips the per-batch publishing.
            let crawl = try await RunBuilder(env: env, store: store).crawl(.init(
                profile: profile, mode: mode, target: target, discovery: discovery, limit: limit, filterName: filterName,
                enrich: !noEnrich, publish: !recreateCollection, force: force, progress: json || global.quiet ? nil : Progress.make(logger: env.logger)))
            let summary = try await crawl.run()
            if recreateCollection {
                let report = try await TypesenseRecreate.run(env: env, store: store, alias: target ?? profile.key)
                if !json && !global.quiet {
                    print("recreated \(report.alias): \(report.previous ?? "none") → \(report.collection), \(report.documents) documents")
                }
            }
            if json {
                print(try JSONText.encode(summary, pretty: false))
            } else if !global.quiet {
                print("""
                    \(summary.mode) crawl of '\(summary.collection)': discovered \(summary.discovered), fetched \(summary.fetched), \
                    unchanged \(summary.unchanged), indexed \(summary.indexed), removed \(summary.removed), stale \(summary.stale), \
                    problems \(summary.problems)\(summary.pendingPhrase) — \(summary.requests.pypi) PyPI / \(summary.requests.clickhouse) ClickHouse requests, \
                    \(String(format: "%.1f", summary.seconds)) s
                    """)
            }
            Console.report(crawl.report, quiet: true)
            if let withheld = summary.withheld {
                Console.error("shrink guard: \(withheld)")
                throw ExitCode(3)
            }
            if summary.problems > 0 { throw ExitCode(3) }
        }
    }

    func resolveProfile(_ env: CLIEnvironment) throws -> Profile {
        if !classifier.isEmpty {
            for c in classifier {
                if let problem = Classifier.problem(c) {
                    Console.error("--classifier: \(problem)")
                    throw ExitCode(2)
                }
            }
            let key = target ?? "manual"
            return Profile(
                key: key, name: "Manual (\(classifier.joined(separator: ", ")))",
                sources: [PluginSpec(kind: "pypi-classifiers", options: PluginOptions(["classifiers": .strings(classifier)]))],
                enrichers: PluginRegistry.defaultEnrichers.map { PluginSpec(kind: $0) },
                origin: ProfileOrigin(path: "command line", layer: .dropIn))
        }
        return try env.profile(profile)
    }
}

extension DiscoveryStrategy: ExpressibleByArgument {}
