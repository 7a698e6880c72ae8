import ArgumentParser
import Foundation
import TrawlCore

struct ProfilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List, show and validate ecosystem profiles.",
        subcommands: [List.self, Show.self, Validate.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the profiles in force, with their sources and enrichers.")

        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "Print JSON instead of a table.")
        var json = false

        func run() async throws {
            let env = CLIEnvironment(global)
            let set = try env.loadProfiles()
            if json {
                print(try JSONText.encode(set.profiles.map(ProfileSummary.init)))
                return
            }
            for profile in set.profiles {
                print("\(profile.key)  \(profile.name)  [\(profile.origin)]")
                for source in profile.sources {
                    print("    source    \(ProfileSummary.describe(source))")
                }
                print("    enrichers \(profile.enrichers.map(\.kind).joined(separator: ", "))")
            }
            for r in set.replaced where !global.quiet {
                print("note: \(r.by.path) replaces \(r.replaced.path) (key '\(r.key)')")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one profile in full.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The profile key.") var key: String
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            let env = CLIEnvironment(global)
            let profile = try env.profile(key)
            let summary = ProfileSummary(profile)
            if json {
                print(try JSONText.encode(summary))
                return
            }
            print("key:         \(profile.key)")
            print("name:        \(profile.name)")
            if !profile.description.isEmpty { print("description: \(profile.description)") }
            print("origin:      \(profile.origin)")
            print("sources:")
            for source in profile.sources {
                let available = env.registry.isAvailable(source: source.kind) ? "" : "  (not implemented in this build)"
                print("  - \(ProfileSummary.describe(source))\(available)")
            }
            print("enrichers:   \(profile.enrichers.map(\.kind).joined(separator: ", "))")
            for (title, rules) in [("types", profile.types), ("categories", profile.categories)] where !rules.isEmpty {
                print("\(title):")
                for (name, rule) in rules.sorted(by: { $0.key < $1.key }) {
                    print("  \(name): topics \(rule.topics), keywords \(rule.keywords)")
                }
            }
            print("schedule (UTC):")
            for (field, spec) in summary.schedule.sorted(by: { $0.key < $1.key }) {
                print("  \(field): \(spec.isEmpty ? "disabled" : spec)")
            }
            if !summary.notify.isEmpty {
                print("notify:")
                for target in summary.notify {
                    print("  - \(target.url)  events \(target.events.joined(separator: ", "))  secret from $\(target.secretEnv)")
                }
            }
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate profile files; exit 2 with file:line and the allowed values on any error.",
            discussion: "Without FILEs, validates every profile in force (built-in, ./profiles, drop-in folder).")

        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "Validate only the FILEs given, without layering them over the built-in profiles.")
        var noBuiltins = false
        @Argument(help: "Profile files to validate.") var files: [String] = []

        func run() async throws {
            let env = CLIEnvironment(global)
            var input: [ProfileFile]
            do {
                if files.isEmpty {
                    input = try env.profileFiles()
                } else {
                    input = noBuiltins ? [] : try env.profileFiles(includeFolders: false)
                    input += try files.map { try ProfileLoader.file(at: $0, layer: .dropIn) }
                }
                let set = try ProfileLoader(registry: env.registry).load(input)
                if !global.quiet {
                    let checked = files.isEmpty ? input.map(\.path) : files
                    print("ok: \(checked.count) file(s) valid; profiles: \(set.keys.joined(separator: ", "))")
                }
            } catch let error as ProfileLoadError {
                Console.error(error.description)
                throw ExitCode(2)
            }
        }
    }
}

/// The JSON shape of a profile in `profiles list --json` and `profiles show --json`.
struct ProfileSummary: Encodable {
    var key: String
    var name: String
    var description: String
    var origin: String
    var layer: String
    var sources: [[String: String]]
    var enrichers: [String]
    var schedule: [String: String]
    /// Webhook receivers, by URL without credentials and the *name* of their secret's variable.
    var notify: [Notify]

    struct Notify: Encodable {
        var url: String
        var events: [String]
        var secretEnv: String

        enum CodingKeys: String, CodingKey {
            case url, events
            case secretEnv = "secret_env"
        }
    }

    init(_ p: Profile) {
        key = p.key
        name = p.name
        description = p.description
        origin = p.origin.path
        layer = p.origin.layer.description
        sources = p.sources.map { spec in
            var entry = ["kind": spec.kind]
            for (k, v) in spec.options.values { entry[k] = Self.text(v) }
            return entry
        }
        enrichers = p.enrichers.map(\.kind)
        schedule = Dictionary(uniqueKeysWithValues: ProfileSchedule.fieldNames.map { ($0, p.schedule[field: $0]?.description ?? "") })
        notify = p.notify.map { Notify(url: $0.receiver, events: $0.events.map(\.rawValue), secretEnv: $0.secretEnv) }
    }

    static func text(_ value: OptionValue) -> String {
        switch value {
        case .string(let s): s
        case .bool(let b): String(b)
        case .int(let i): String(i)
        case .strings(let list): list.joined(separator: ", ")
        }
    }

    static func describe(_ spec: PluginSpec) -> String {
        let options = spec.options.values.sorted(by: { $0.key < $1.key }).map { "\($0.key): \(text($0.value))" }
        return options.isEmpty ? spec.kind : "\(spec.kind) (\(options.joined(separator: "; ")))"
    }
}

/// JSON for standard output: sorted keys, unescaped slashes, so output is stable and diffable.
enum JSONText {
    static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
