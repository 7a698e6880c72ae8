import ArgumentParser
import Foundation
import TrawlCore
import TrawlTypesense

/// `trawl admin recreate -p P`: rebuilds Typesense collection `KEY-(N+1)` from the local store and
/// switches alias `KEY` to it only once it is complete (see `CollectionRecreator`).
struct AdminRecreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recreate",
        abstract: "Rebuild a profile's Typesense collection from the local store without downtime.",
        discussion: """
            Builds KEY-(N+1) beside the live KEY-N, imports every document, compares counts, switches alias KEY \
            only if complete, then drops KEY-N. On any failure the new collection is dropped and the alias stays. \
            Needs TRAWL_TYPESENSE_URL; the local store is the source of truth and is not changed.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Profile key (or TRAWL_DEFAULT_PROFILE).") var profile: String?
    @Flag(name: .long, help: "Print the report as one JSON object.") var json = false

    func run() async throws {
        let env = CLIEnvironment(global)
        let profile = try env.profile(profile)
        let store = try env.openStore()
        let report = try await TypesenseRecreate.run(env: env, store: store, alias: profile.key)
        try? await store.close()
        if json {
            print(try JSONText.encode(report, pretty: false))
        } else if !global.quiet {
            print("recreated \(report.alias): \(report.previous ?? "none") → \(report.collection), \(report.documents) documents, \(String(format: "%.1f", report.seconds)) s")
        }
    }
}

/// The recreate shared by `admin recreate` and `crawl --recreate-collection`.
enum TypesenseRecreate {
    /// Exits 2 when Typesense is not configured, 1 when the recreate fails (after its rollback).
    static func run(env: CLIEnvironment, store: any Store, alias: String) async throws -> CollectionRecreator.Report {
        guard env.config.typesenseURL != nil else {
            Console.error("recreate rebuilds the Typesense collection: set TRAWL_TYPESENSE_URL (the local store needs no recreate)")
            throw ExitCode(2)
        }
        let admin = try TypesenseAdmin.open(env)
        do {
            let source = try await store.resolveCollection(alias) ?? alias
            let report = try await CollectionRecreator(client: admin.client, store: store, logger: env.logger).recreate(alias: alias, source: source)
            // Typesense now mirrors the store: a mark left by a failed publish is settled.
            try await store.deleteCheckpoint(TypesensePublisher.dirtyMark(alias))
            await admin.close()
            return report
        } catch {
            await admin.close()
            Console.error("recreate of '\(alias)' failed (alias left as it was): \(error)")
            throw ExitCode(1)
        }
    }
}
