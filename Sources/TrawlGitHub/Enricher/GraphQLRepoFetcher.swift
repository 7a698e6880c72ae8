import Foundation
import TrawlCore

/// Fetches repositories 100 at a time, one aliased `repository(owner:name:)` per repo in a single
/// GraphQL query, with `rateLimit { cost remaining resetAt }`: 1,000 repositories cost about ten
/// points where REST would spend a thousand requests. Batches run `concurrency` wide.
struct GraphQLRepoFetcher: RepoFetcher {
    static let batchSize = 100
    let client: GitHubClient
    let concurrency: Int
    let readme: Bool
    let changelog: Bool

    static let readmePaths = ["README.md", "README.rst", "README"]
    static let changelogPaths = ["CHANGELOG.md", "CHANGES.md", "CHANGELOG.rst"]

    /// The query for one batch. Owner and name characters are restricted by `RepoRef`, so they
    /// are safe inside a GraphQL string literal.
    func query(_ refs: [RepoRef]) -> String {
        var fields = """
            nameWithOwner url stargazerCount forkCount isArchived pushedAt
            watchers { totalCount } issues(states: [OPEN]) { totalCount }
            repositoryTopics(first: 20) { nodes { topic { name } } }
            """
        func blobs(_ prefix: String, _ paths: [String]) -> String {
            paths.enumerated().map { i, path in "\(prefix)\(i): object(expression: \"HEAD:\(path)\") { ... on Blob { text } }" }.joined(separator: " ")
        }
        if readme { fields += "\n" + blobs("readme", Self.readmePaths) }
        if changelog { fields += "\n" + blobs("changelog", Self.changelogPaths) }
        let aliases = refs.enumerated().map { i, ref in
            "  r\(i): repository(owner: \"\(ref.owner)\", name: \"\(ref.name)\") { ...repo }"
        }
        return "query {\n  rateLimit { cost remaining resetAt }\n" + aliases.joined(separator: "\n") + "\n}\nfragment repo on Repository {\n\(fields)\n}\n"
    }

    func fetch(_ refs: [RepoRef], cached: [String: GitHubRepoCache.Hit]) async -> RepoFetchResult {
        let batches = stride(from: 0, to: refs.count, by: Self.batchSize).map { Array(refs[$0..<min($0 + Self.batchSize, refs.count)]) }
        var result = RepoFetchResult()
        await withTaskGroup(of: RepoFetchResult.self) { group in
            var next = 0
            func launch() {
                guard next < batches.count else { return }
                let batch = batches[next]
                next += 1
                group.addTask { await fetchBatch(batch) }
            }
            for _ in 0..<concurrency { launch() }
            while let done = await group.next() {
                result.merge(done)
                launch()
            }
        }
        return result
    }

    func fetchBatch(_ refs: [RepoRef]) async -> RepoFetchResult {
        var result = RepoFetchResult()
        let answer: GraphQLResult
        do {
            answer = try await client.graphQL(query(refs))
        } catch let error as GitHubBudgetExhausted {
            result.exhausted = error
            result.leftOver = refs.map(\.key)
            return result
        } catch is GitHubUnreachable {
            result.unreachable = refs.map(\.key)
            return result
        } catch {
            for ref in refs { result.failures[ref.key] = "\(error)" }
            return result
        }
        let errorsByAlias = Dictionary(answer.errors.compactMap { e in e.alias.map { ($0, e) } }, uniquingKeysWith: { a, _ in a })
        for (i, ref) in refs.enumerated() {
            let alias = "r\(i)"
            if let repo = answer.data[alias] as? [String: Any], let data = parse(repo) {
                let renamed = data.nameWithOwner.lowercased() != ref.key
                result.answers[ref.key] = renamed ? .moved(data, etag: nil) : .found(data, etag: nil)
                if renamed, let newKey = data.ref?.key { result.answers[newKey] = .found(data, etag: nil) }
            } else if let error = errorsByAlias[alias], error.type == "NOT_FOUND" {
                result.answers[ref.key] = .notFound
            } else {
                result.failures[ref.key] = errorsByAlias[alias].map { "\($0.type) \($0.message)" } ?? "no data for the repository"
            }
        }
        return result
    }

    func parse(_ repo: [String: Any]) -> GitHubRepoData? {
        guard let nameWithOwner = repo["nameWithOwner"] as? String else { return nil }
        var data = GitHubRepoData(nameWithOwner: nameWithOwner, url: (repo["url"] as? String) ?? "https://github.com/\(nameWithOwner)")
        data.stars = BoundedNumber.count((repo["stargazerCount"] as? Int) ?? 0)
        data.forks = BoundedNumber.count((repo["forkCount"] as? Int) ?? 0)
        data.archived = (repo["isArchived"] as? Bool) ?? false
        data.pushedAt = (repo["pushedAt"] as? String).flatMap(GitHubDate.epoch) ?? 0
        data.watchers = BoundedNumber.count(((repo["watchers"] as? [String: Any])?["totalCount"] as? Int) ?? 0)
        data.openIssues = BoundedNumber.count(((repo["issues"] as? [String: Any])?["totalCount"] as? Int) ?? 0)
        let nodes = ((repo["repositoryTopics"] as? [String: Any])?["nodes"] as? [[String: Any]]) ?? []
        data.topics = nodes.compactMap { ($0["topic"] as? [String: Any])?["name"] as? String }
        func firstBlob(_ prefix: String, _ count: Int) -> String {
            for i in 0..<count { if let text = (repo["\(prefix)\(i)"] as? [String: Any])?["text"] as? String { return text } }
            return ""
        }
        if readme { data.readme = firstBlob("readme", Self.readmePaths.count) }
        if changelog { data.changelog = firstBlob("changelog", Self.changelogPaths.count) }
        return data
    }
}
