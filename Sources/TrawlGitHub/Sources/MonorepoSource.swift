import Foundation
public import TrawlCore

/// `github-monorepo`: the package folders of one repository (`contents/{path}`, e.g. `flet-dev/flet`
/// `sdk/python/packages`), minus `exclude`, marked `is_official` when the profile says so. Each
/// folder's README and CHANGELOG are cached for the `github` enricher. The listing is saved in the
/// store, so when GitHub cannot be reached the last known official set is used, never a
/// hard-coded list.
public struct MonorepoSource: Source {
    public static let descriptor = PluginDescriptor(kind: "github-monorepo", summary: "package folders of one repository", options: [
        OptionSpec("repo", .string, required: true, help: "owner/name", check: { $0.split(separator: "/").count == 2 ? nil : "'\($0)' is not owner/name" }),
        OptionSpec("path", .string, required: true),
        OptionSpec("exclude", .stringList),
        OptionSpec("official", .bool),
    ])

    public let repo: RepoRef
    public let path: String
    public let exclude: Set<String>
    public let official: Bool
    let context: PluginContext

    public init(options: PluginOptions, context: PluginContext) throws {
        guard let spec = options.string("repo"), let repo = RepoRef.parse("https://github.com/\(spec)") else {
            throw PluginError.badOption(kind: Self.descriptor.kind, message: "'repo' must be owner/name")
        }
        self.repo = repo
        self.path = (options.string("path") ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.exclude = Set(options.strings("exclude").map(PackageName.normalize))
        self.official = options.bool("official")
        self.context = context
    }

    var checkpointName: String { "github-monorepo:\(repo.key):\(path)" }

    struct Entry: Decodable {
        var name: String
        var type: String
    }

    public func discover(_ emit: @escaping @Sendable (Candidate) async throws -> Void) async throws -> DiscoveryReport {
        var report = DiscoveryReport()
        var names: [String] = []
        var reason = "folder of \(repo)/\(path)"
        do {
            names = try await list()
            try await context.store.saveCheckpoint(checkpointName, value: String(decoding: try JSONEncoder().encode(names), as: UTF8.self))
        } catch let error as CancellationError {
            throw error
        } catch {
            names = try await lastKnown()
            reason = "last known folder of \(repo)/\(path) (GitHub unreachable)"
            context.logger.warning("cannot list the monorepo; using the last known set from the store", metadata: [
                "repo": "\(repo)", "path": "\(path)", "packages": "\(names.count)", "error": "\(error)"])
            report.notes.append("\(repo)/\(path) unreachable (\(error)); \(names.count) packages from the last listing")
        }
        for name in names {
            report.candidates += 1
            try await emit(Candidate(name: name, source: Self.descriptor.kind, reason: reason, isOfficial: official))
        }
        return report
    }

    /// Lists the folders and caches each one's README/CHANGELOG (ETag-revalidated: an unchanged
    /// file costs a 304, which GitHub does not count).
    func list() async throws -> [String] {
        let client = GitHubClient(context: context)
        client.warnIfAnonymous()
        let base = "/repos/\(repo.owner)/\(repo.name)/contents"
        let response = try await client.get("\(base)/\(path)", validators: .reuseBody)
        guard response.isSuccess else { throw GitHubError.status(path: "\(base)/\(path)", status: response.status, message: "") }
        guard let entries = try? JSONDecoder().decode([Entry].self, from: Data(response.body)) else { throw GitHubError.badBody(path: "\(base)/\(path)") }
        let folders = entries.filter { $0.type == "dir" && !exclude.contains(PackageName.normalize($0.name)) }.map(\.name)
        var texts: [String: MonorepoPackageData] = [:]
        try await withThrowingTaskGroup(of: (String, MonorepoPackageData).self) { group in
            for folder in folders {
                group.addTask {
                    func text(_ file: String) async throws -> String {
                        let r = try await client.get("\(base)/\(path)/\(folder)/\(file)", accept: "application/vnd.github.raw", validators: .reuseBody)
                        return r.isSuccess ? r.bodyString : ""
                    }
                    let data = MonorepoPackageData(repo: repo.description, path: "\(path)/\(folder)", readme: try await text("README.md"), changelog: try await text("CHANGELOG.md"))
                    return (folder, data)
                }
            }
            for try await (folder, data) in group { texts[folder] = data }
        }
        let cache = GitHubRepoCache(store: context.store, ttl: GitHubSettings(config: context.config).cacheTTL)
        try await cache.saveMonorepoPackages(texts, now: Int64(Date().timeIntervalSince1970))
        return folders.sorted()
    }

    /// The last listing saved in the store; without one, the collection's official documents.
    func lastKnown() async throws -> [String] {
        if let saved = try await context.store.checkpoint(checkpointName),
            let names = try? JSONDecoder().decode([String].self, from: Data(saved.utf8)) {
            return names
        }
        var names: [String] = []
        var cursor: String?
        while true {
            let page = try await context.store.documents(collection: context.collection, after: cursor, limit: 1_000)
            guard let last = page.last else { break }
            cursor = last.normalizedName
            names += page.filter { $0.isOfficial && $0.discoveredBy.contains(Self.descriptor.kind) }.map(\.name)
        }
        return names
    }
}
