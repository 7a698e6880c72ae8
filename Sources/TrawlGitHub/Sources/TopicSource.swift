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
        let width = max(1, context.http.configuration.limit(for: .pypi))
        try await withThrowingTaskGroup(of: (TopicSearch.Hit, Mapping).self) { group in
            var next = 0
            func launch() {
                guard next < hits.count else { return }
                let hit = hits[next]
                next += 1
                group.addTask { (hit, await map(hit, lookup)) }
            }
            for _ in 0..<width { launch() }
            while let (hit, mapping) = try await group.next() {
                switch mapping {
                case .accepted(let info):
                    report.candidates += 1
                    try await emit(Candidate(name: info.name, source: Self.descriptor.kind, reason: "topic \(topic): \(hit.fullName)"))
                case .rejected(let name):
                    report.notes.append("\(hit.fullName): PyPI package \(name) fails the accept rules \(rules.rules)")
                case .noPackage:
                    report.unmatched.append(Problem(
                        package: hit.fullName, kind: "no-pypi-package",
                        message: "GitHub repository \(hit.fullName) (topic \(topic)) has no PyPI package under \(PyPILookup.candidates(repoName: hit.name).joined(separator: ", "))",
                        seenAt: 0))
                case .failed(let message):
                    report.problems.append(Problem(package: hit.fullName, kind: "github-topic", message: message, seenAt: 0))
                }
                launch()
            }
        }
        return report
    }

    func map(_ hit: TopicSearch.Hit, _ lookup: PyPILookup) async -> Mapping {
        do {
            for name in PyPILookup.candidates(repoName: hit.name) {
                guard let info = try await lookup.project(name) else { continue }
                return rules.accepts(info) ? .accepted(info) : .rejected(info.name)
            }
            return .noPackage
        } catch {
            return .failed("PyPI lookup for \(hit.fullName) failed: \(error)")
        }
    }
}
