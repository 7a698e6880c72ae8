import ArgumentParser
import Foundation
import Logging
import TrawlCore

/// `trawl enrich KIND -p P`: runs one enricher over the documents already stored, without
/// crawling. `downloads` makes one ClickHouse query per 1,000 packages; `github` reads the shared
/// repository cache and fetches only what is missing or expired (GraphQL, 100 repositories a
/// query); `health`, `flags` and `categories` read only the stored documents and make no network
/// request at all.
struct EnrichCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrich",
        abstract: "Run one enricher over a collection's stored documents.",
        discussion: """
            Kinds: downloads (ClickHouse, pypistats fallback; refreshed at most once per TRAWL_DOWNLOADS_TTL \
            seconds unless --force; also refreshes flags when the profile lists them, since is_verified reads \
            downloads), github (GraphQL batches with GITHUB_TOKEN, REST + ETag without; the shared cache is used within \
            TRAWL_GITHUB_CACHE_TTL seconds unless --refresh-cache; also refreshes health and categories when the profile \
            lists them), health (offline), flags (offline), categories (offline).
            Exit 3 when some packages had problems (see `trawl show --problems`).
            """)

    /// Kinds that run from stored data (the offline enrichers that read what one writes run after it,
    /// as each enricher declares: `Enricher.refreshesAfter`).
    static let kinds = ["categories", "downloads", "flags", "github", "health"]

    @OptionGroup var global: GlobalOptions
    @Argument(help: "downloads | github | health | flags | categories") var kind: String
    @Option(name: .shortAndLong, help: "Profile key (or TRAWL_DEFAULT_PROFILE).") var profile: String?
    @Option(name: .long, help: "Only this package (repeatable; any spelling).") var name: [String] = []
    @Option(name: [.short, .long], help: "At most N packages.") var limit: Int?
    @Flag(name: .long, help: "Refresh download figures even if younger than TRAWL_DOWNLOADS_TTL.") var force = false
    @Flag(name: .long, help: "github: fetch every repository again, ignoring TRAWL_GITHUB_CACHE_TTL.") var refreshCache = false
    @Flag(name: .long, help: "Print the run summary as one JSON object.") var json = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        if !Self.kinds.contains(kind) {
            Console.error("unknown enricher '\(kind)'; available: \(Self.kinds.joined(separator: ", "))")
            throw ExitCode(2)
        }
        let env = CLIEnvironment(global)
        let profile = try env.profile(profile)
        let store = try env.openStore()
        var settings: [String: OptionValue] = [:]
        if force { settings["force"] = .bool(true) }
        if refreshCache { settings["refresh-cache"] = .bool(true) }
        try await Console.exitCodes("enrich \(kind)") {
            let enrich = try await RunBuilder(env: env, store: store).enrich(.init(
                profile: profile, kind: kind, names: name, limit: limit, settings: settings))
            let summary = try await enrich.execute()
            if json {
                print(try JSONText.encode(summary, pretty: false))
            } else if !global.quiet {
                print("""
                    \(summary.enrichers.joined(separator: " + ")) on '\(enrich.collection)': \(summary.documents) documents, \
                    \(summary.changed) changed, \(summary.problems) problems\(summary.pending > 0 ? ", \(summary.pending) pending" : "") — \(summary.requests.clickhouse) ClickHouse / \
                    \(summary.requests.pypistats) pypistats / \(summary.requests.github) GitHub requests, \(String(format: "%.1f", summary.seconds)) s
                    """)
            }
            Console.report(enrich.report, quiet: global.quiet || json)
            if summary.problems > 0 { throw ExitCode(3) }
        }
    }
}
