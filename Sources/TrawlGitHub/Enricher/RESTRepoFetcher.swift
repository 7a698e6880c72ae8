import Foundation
import TrawlCore

/// Without a token GraphQL is closed, so each repository is one `GET /repos/{o}/{r}` sent with
/// `If-None-Match` from the cache: an unchanged repository answers 304, which costs no budget.
/// Renames arrive as a 301 the HTTP client follows; the new `full_name` records them.
struct RESTRepoFetcher: RepoFetcher {
    let client: GitHubClient
    let concurrency: Int
    let readme: Bool
    let changelog: Bool

    func fetch(_ refs: [RepoRef], cached: [String: GitHubRepoCache.Hit]) async -> RepoFetchResult {
        var result = RepoFetchResult()
        await withTaskGroup(of: RepoFetchResult.self) { group in
            var next = 0
            func launch() {
                guard next < refs.count else { return }
                let ref = refs[next]
                next += 1
                group.addTask { await fetchOne(ref, cached: cached[ref.key]) }
            }
            for _ in 0..<concurrency { launch() }
            while let done = await group.next() {
                result.merge(done)
                launch()
            }
        }
        return result
    }

    func fetchOne(_ ref: RepoRef, cached: GitHubRepoCache.Hit?) async -> RepoFetchResult {
        var result = RepoFetchResult()
        do {
            var etag: String?
            var previous: GitHubRepoData?
            if case .found(let data, let tag)? = cached?.answer { etag = tag; previous = data }
            if case .moved(let data, let tag)? = cached?.answer { etag = tag; previous = data }
            let conditional = etag.map { [(name: "If-None-Match", value: $0)] } ?? []
            let response = try await client.get("/repos/\(ref.owner)/\(ref.name)", extraHeaders: conditional)
            switch response.status {
            case 304 where previous != nil:
                var data = previous!
                try await addTexts(&data)
                result.notModified.insert(ref.key)
                let renamed = data.nameWithOwner.lowercased() != ref.key
                result.answers[ref.key] = renamed ? .moved(data, etag: etag) : .found(data, etag: etag)
            case 200:
                guard var data = parse(response.body) else {
                    result.failures[ref.key] = "unreadable repository JSON"
                    return result
                }
                try await addTexts(&data)
                let tag = response.header("ETag")
                let renamed = data.nameWithOwner.lowercased() != ref.key
                result.answers[ref.key] = renamed ? .moved(data, etag: tag) : .found(data, etag: tag)
                if renamed, let newKey = data.ref?.key { result.answers[newKey] = .found(data, etag: tag) }
            case 404, 410, 451:
                result.answers[ref.key] = .notFound
            default:
                result.failures[ref.key] = "HTTP \(response.status)"
            }
        } catch let error as GitHubBudgetExhausted {
            result.exhausted = error
            result.leftOver = [ref.key]
        } catch is GitHubUnreachable {
            result.unreachable = [ref.key]
        } catch {
            result.failures[ref.key] = "\(error)"
        }
        return result
    }

    /// README and CHANGELOG as raw text (each revalidated with its own ETag).
    func addTexts(_ data: inout GitHubRepoData) async throws {
        let path = "/repos/\(data.nameWithOwner)"
        if readme && data.readme == nil {
            let r = try await client.get(path + "/readme", accept: "application/vnd.github.raw", validators: .reuseBody)
            data.readme = r.isSuccess ? r.bodyString : ""
        }
        if changelog && data.changelog == nil {
            data.changelog = ""
            for file in GraphQLRepoFetcher.changelogPaths {
                let r = try await client.get(path + "/contents/\(file)", accept: "application/vnd.github.raw", validators: .reuseBody)
                if r.isSuccess { data.changelog = r.bodyString; break }
            }
        }
    }

    struct RepoJSON: Decodable {
        var full_name: String
        var html_url: String?
        var stargazers_count: Int?
        var subscribers_count: Int?
        var forks_count: Int?
        var open_issues_count: Int?
        var pushed_at: String?
        var archived: Bool?
        var topics: [String]?
    }

    func parse(_ body: [UInt8]) -> GitHubRepoData? {
        guard let json = try? JSONDecoder().decode(RepoJSON.self, from: Data(body)) else { return nil }
        var data = GitHubRepoData(nameWithOwner: json.full_name, url: json.html_url ?? "https://github.com/\(json.full_name)")
        data.stars = BoundedNumber.count(json.stargazers_count ?? 0)
        data.watchers = BoundedNumber.count(json.subscribers_count ?? 0)
        data.forks = BoundedNumber.count(json.forks_count ?? 0)
        data.openIssues = BoundedNumber.count(json.open_issues_count ?? 0)
        data.pushedAt = json.pushed_at.flatMap(GitHubDate.epoch) ?? 0
        data.archived = json.archived ?? false
        data.topics = json.topics ?? []
        return data
    }
}
