import Foundation
public import TrawlCore

/// `github-topic`: repositories tagged with a topic (and optionally a language), each mapped to
/// its PyPI package by candidate names and kept only if the package passes the `accept` rules.
/// Repositories with no PyPI package stay out of the collection but are listed as problems
/// (`no-pypi-package`) in `trawl show --problems`.
public struct TopicSource: Source {
    public static let descriptor = PluginDescriptor(kind: "github-topic", summary: "repositories with a GitHub topic, mapped to their PyPI packages", options: [
        OptionSpec("topic", .string, required: true),
        OptionSpec("language", .string),
        OptionSpec("accept", .stringList, allowed: AcceptRules.all, help: "rules a hit's PyPI package must pass"),
    ])

    public let topic: String
    public let language: String?
    public let rules: AcceptRules
    let context: PluginContext

    public init(options: PluginOptions, context: PluginContext) throws {
        guard let topic = options.string("topic"), !topic.isEmpty else {
            throw PluginError.badOption(kind: Self.descriptor.kind, message: "'topic' is required")
        }
        self.topic = topic
        self.language = options.string("language")
        self.rules = AcceptRules(project: topic, rules: options.strings("accept"))
        self.context = context
    }

    public func confirms(_ document: PackageDocument) -> Bool { rules.accepts(document) }

    var query: String { "topic:\(topic)" + (language.map { " language:\($0)" } ?? "") }

    enum Mapping: Sendable {
        case accepted(PyPIProjectInfo)
        case rejected(String)
        case noPackage
        case failed(String)
    }

    public func discover(_ emit: @escaping @Sendable (Candidate) async throws -> Void) async throws -> DiscoveryReport {
        let client = GitHubClient(context: context)
        client.warnIfAnonymous()
        let hits = try await TopicSearch(client: client, query: query, logger: context.logger).all()
        let lookup = PyPILookup(http: context.http, baseURL: try context.config.pypiURL())
        var report = DiscoveryReport()
        report.notes.append("\(query): \(hits.count) repositories")
        // First by the repository's name; the hits left are mapped by the name their packaging
        // files declare (read in GraphQL batches), and only then counted as having no package.
        var mapped = await mapAll(hits) { hit in await map(hit, lookup) }
        let unmapped = mapped.filter { if case .noPackage = $0.1 { return true }; return false }.map(\.0)
        if !unmapped.isEmpty {
            let refs = unmapped.compactMap { RepoRef.parse("https://github.com/\($0.fullName)") }
            let declared = await DeclaredNameFetcher(client: client).names(refs)
            let remapped = await mapAll(unmapped) { hit in
                guard let name = declared[hit.fullName.lowercased()],
                    !PyPILookup.candidates(repoName: hit.name).map(PackageName.normalize).contains(PackageName.normalize(name))
                else { return .noPackage }
                return await map(hit, lookup, names: [name])
            }
            let byRepo = Dictionary(remapped.map { ($0.0.fullName, $0.1) }, uniquingKeysWith: { a, _ in a })
            mapped = mapped.map { hit, mapping in (hit, byRepo[hit.fullName] ?? mapping) }
        }
        for (hit, mapping) in mapped {
            switch mapping {
            case .accepted(let info):
                report.candidates += 1
                try await emit(Candidate(name: info.name, source: Self.descriptor.kind, reason: "topic \(topic): \(hit.fullName)"))
            case .rejected(let name):
                report.notes.append("\(hit.fullName): PyPI package \(name) fails the accept rules \(rules.rules)")
            case .noPackage:
                report.unmatched.append(Problem(
                    package: hit.fullName, kind: "no-pypi-package",
                    message: "GitHub repository \(hit.fullName) (topic \(topic)) has no PyPI package (tried \(PyPILookup.candidates(repoName: hit.name).joined(separator: ", ")) and the name its packaging files declare)",
                    seenAt: 0))
            case .failed(let message):
                report.problems.append(Problem(package: hit.fullName, kind: "github-topic", message: message, seenAt: 0))
            }
        }
        return report
    }

    /// Maps hits with at most the index's concurrency in flight; results in hit order.
    func mapAll(_ hits: [TopicSearch.Hit], _ map: @escaping @Sendable (TopicSearch.Hit) async -> Mapping) async -> [(TopicSearch.Hit, Mapping)] {
        let width = max(1, context.http.configuration.limit(for: .pypi))
        var results = [Mapping?](repeating: nil, count: hits.count)
        await withTaskGroup(of: (Int, Mapping).self) { group in
            var next = 0
            func launch() {
                guard next < hits.count else { return }
                let i = next
                next += 1
                group.addTask { (i, await map(hits[i])) }
            }
            for _ in 0..<width { launch() }
            while let (i, mapping) = await group.next() {
                results[i] = mapping
                launch()
            }
        }
        return zip(hits, results).map { ($0, $1 ?? .noPackage) }
    }

    func map(_ hit: TopicSearch.Hit, _ lookup: PyPILookup, names: [String]? = nil) async -> Mapping {
        do {
            for name in names ?? PyPILookup.candidates(repoName: hit.name) {
                guard let info = try await lookup.project(name) else { continue }
                return rules.accepts(info) ? .accepted(info) : .rejected(info.name)
            }
            return .noPackage
        } catch {
            return .failed("PyPI lookup for \(hit.fullName) failed: \(error)")
        }
    }
}
