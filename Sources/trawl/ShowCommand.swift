import ArgumentParser
import Foundation
import TrawlCore
import TrawlStats

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one package of a collection, or the collection's problems.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Package name (any spelling).") var name: String?
    @Option(name: .shortAndLong, help: "Profile key (or TRAWL_DEFAULT_PROFILE).") var profile: String?
    @Flag(name: .long, help: "List every release, not just the latest ten.") var allVersions = false
    @Flag(name: .long, help: "List recorded problems (of NAME, or of the whole collection, with the packages pending a fetch and why).") var problems = false
    @Flag(name: .long, help: "Print JSON: the document, its releases and problems.") var json = false

    func validate() throws {
        if name == nil && !problems { throw ValidationError("give a package NAME, or --problems") }
    }

    struct Output: Encodable {
        var document: PackageDocument?
        var releases: [Release]?
        var problems: [Problem]
        /// With `--problems`: the packages waiting to be fetched again, and why.
        var pending: [PendingPackage]?
    }

    func run() async throws {
        let env = CLIEnvironment(global)
        let store = try env.openStore()
        let collection = try await collectionFor(profile, env: env, store: store)
        guard let name else {
            let list = try await store.problems(collection: collection, package: nil)
            let pending = try await PendingPackages.load(from: store, collection: collection)
            let waiting = pending.due(at: 0, all: true)
            if json { print(try JSONText.encode(Output(document: nil, releases: nil, problems: list, pending: waiting))); return }
            if list.isEmpty { print("no problems recorded in '\(collection)'") }
            for p in list { print("\(p.package)  [\(p.kind)]  \(p.message)") }
            if !pending.isEmpty {
                print("\(pending.summaryLine): fetched again first by the next run of any kind")
                for entry in waiting {
                    let retry = entry.notBefore > 0 ? Date(timeIntervalSince1970: TimeInterval(entry.notBefore)).formatted(.iso8601) : "next run"
                    print("  \(entry.name)  [\(entry.reason)]  \(entry.attempts) failed attempts, worker retries from \(retry)")
                }
            }
            return
        }
        let found = try await store.document(name, collection: collection)
        let packageProblems = try await store.problems(collection: collection, package: name)
        guard let doc = found else {
            if json { print(try JSONText.encode(Output(document: nil, releases: nil, problems: packageProblems))) }
            Console.error("'\(name)' is not in collection '\(collection)'" + (packageProblems.isEmpty ? "" : "; problems: " + packageProblems.map(\.message).joined(separator: "; ")))
            throw ExitCode(1)
        }
        let releases = try await store.releases(name, collection: collection)
        if json {
            print(try JSONText.encode(Output(document: doc, releases: allVersions ? releases : Array(releases.prefix(10)), problems: packageProblems)))
            return
        }
        print("\(doc.name) \(doc.version)\(doc.stale ? "  (stale: no longer discovered)" : "")")
        if !doc.summary.isEmpty { print("  \(doc.summary)") }
        let released = doc.uploadTimestamp > 0 ? ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(doc.uploadTimestamp))) : "unknown"
        print("  released:   \(released)")
        if !doc.license.isEmpty { print("  license:    \(doc.license)") }
        if !doc.author.isEmpty { print("  author:     \(doc.author)") }
        if !doc.homePage.isEmpty { print("  home page:  \(doc.homePage)") }
        for (label, url) in doc.projectURLs.sorted(by: { $0.key < $1.key }) { print("  \(label): \(url)") }
        if !doc.frameworkVersions.isEmpty { print("  frameworks: \(doc.frameworkVersions.joined(separator: ", "))") }
        if !doc.pythonVersions.isEmpty { print("  python:     \(doc.pythonVersions.joined(separator: ", "))") }
        if !doc.keywords.isEmpty { print("  keywords:   \(doc.keywords.joined(separator: ", "))") }
        print("  found by:   \(doc.discoveredBy.joined(separator: ", "))")
        for line in Self.githubLines(doc) + Self.statsLines(doc) { print(line) }
        print("  releases (\(releases.count)):")
        for r in allVersions ? releases : Array(releases.prefix(10)) {
            let date = r.uploadTimestamp > 0 ? String(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(r.uploadTimestamp))).prefix(10)) : "?"
            print("    \(r.version)  \(date)\(r.yanked ? "  yanked" : "")")
        }
        if !allVersions && releases.count > 10 { print("    … \(releases.count - 10) more (--all-versions)") }
        for p in packageProblems { print("  problem [\(p.kind)]: \(p.message)") }
    }
}

extension ShowCommand {
    /// Downloads with their source, flags, facets, and the health score rule by rule: the package
    /// page says why a package scores what it scores.
    static func statsLines(_ doc: PackageDocument) -> [String] {
        var lines: [String] = []
        if doc.downloadUpdated > 0 {
            let day = String(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(doc.downloadUpdated))).prefix(10))
            lines.append("  downloads:  \(doc.downloadLastMonth) last month, \(doc.downloadLastWeek) last week, \(doc.downloadLastDay) last day, "
                + "\(doc.downloadTotal) total (from \(doc.downloadSource), \(day))")
        }
        let flags = [(doc.isOfficial, "official"), (doc.isVerified, "verified"), (doc.isNew, "new")].filter(\.0).map(\.1)
        if !flags.isEmpty { lines.append("  flags:      \(flags.joined(separator: ", "))") }
        if !doc.packageType.isEmpty { lines.append("  type:       \(doc.packageType)") }
        if !doc.categories.isEmpty { lines.append("  categories: \(doc.categories.joined(separator: ", "))") }
        if !doc.healthScoreBreakdown.isEmpty {
            lines.append("  health:     \(doc.healthScore)/100")
            let width = doc.healthScoreBreakdown.keys.map(\.count).max() ?? 0
            let order = HealthRule.allCases.map(\.rawValue)
            let rules = doc.healthScoreBreakdown.sorted { a, b in
                (order.firstIndex(of: a.key) ?? order.count, a.key) < (order.firstIndex(of: b.key) ?? order.count, b.key)
            }
            for (rule, result) in rules {
                let label = rule.padding(toLength: width, withPad: " ", startingAt: 0)
                let points = result.max == 0 ? String(format: "%3d  ", result.points) : "\(String(format: "%3d", result.points))/\(result.max)"
                lines.append("    \(label)  \(points)  \(result.why)")
            }
        }
        if !doc.vulnerabilities.isEmpty {
            lines.append("  known vulnerabilities of \(doc.version) (\(doc.vulnerabilities.count)):")
            for v in doc.vulnerabilities {
                var line = "    \(v.id)"
                if !v.aliases.isEmpty { line += " (\(v.aliases.joined(separator: ", ")))" }
                if !v.summary.isEmpty { line += ": \(v.summary)" }
                if !v.fixedIn.isEmpty { line += "; fixed in \(v.fixedIn.joined(separator: ", "))" }
                if !v.link.isEmpty { line += "  \(v.link)" }
                lines.append(line)
            }
        }
        return lines
    }
}
