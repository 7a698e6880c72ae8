import Foundation
import Logging
public import TrawlCore
import Synchronization

/// `github`: stars, watchers, forks, open issues, last push, archived flag, topics — and the README
/// and CHANGELOG when the profile asks (`readme: true`, `changelog: true`).
///
/// Repositories come from the shared cache first (one table for every profile, TTL
/// `TRAWL_GITHUB_CACHE_TTL`); only missing or expired ones are fetched, in GraphQL batches of 100
/// with a token, else one REST call each with `If-None-Match`. When GitHub's budget runs out the
/// enricher stops asking, keeps what it fetched, and records the packages left as `github`
/// problems, so the run exits 3 and the next one resumes with just those.
public final class GitHubEnricher: Enricher {
    public static let descriptor = PluginDescriptor(kind: "github", summary: "stars, forks, issues, last push, topics from GitHub", options: [
        OptionSpec("readme", .bool, help: "also store the repository's README"),
        OptionSpec("changelog", .bool, help: "also store the repository's CHANGELOG.md"),
        OptionSpec("refresh-cache", .bool, help: "ignore the cache's TTL (set by `trawl enrich github --refresh-cache`)"),
    ])
    /// The score and the categories read stars, pushes and topics.
    public static var refreshesAfter: [String] { ["health", "categories"] }
    public static let ownedFields = [
        "github_url", "github_stars", "github_watchers", "github_forks", "github_open_issues", "github_updated",
        "github_archived", "topics", "readme", "changelog",
    ]

    public let client: GitHubClient
    public let cache: GitHubRepoCache
    public let settings: GitHubSettings
    public let readme: Bool
    public let changelog: Bool
    public let refreshCache: Bool
    let logger: Logger
    private let tally = Mutex(Tally())

    /// What the enricher did over a whole run (every batch), for the command's closing line.
    public struct Tally: Sendable, Equatable {
        public var fromCache = 0
        public var fetched = 0
        public var notModified = 0
        public var notFound = 0
        public var renamed = 0
        /// Distinct repositories left unfetched because the budget ran out.
        public var leftOver: Set<String> = []
        public var resetAt: Int64?
        var warned = false
        var warnedDown = false
    }

    public var summary: Tally { tally.withLock { $0 } }

    /// Packages a run that ran out of budget left with a `github` "rate limit" problem: a crawl does
    /// not re-enrich packages the index reports unchanged, so it enriches these from the store first
    /// (repositories fetched before the budget ran out come from the shared cache for free).
    public func unfinished(store: any Store, collection: String) async throws -> [String] {
        let pending = try await store.problems(collection: collection, package: nil)
            .filter { $0.kind == Self.descriptor.kind && $0.message.hasPrefix("rate limit") }
            .map(\.package)
        guard !pending.isEmpty else { return [] }
        return try await store.documents(pending, collection: collection).keys.sorted()
    }

    /// Cache use; and, when the budget ran out, how many repositories are left and when it resets.
    public func closingReport() -> RunReport {
        let t = summary
        var report = RunReport(lines: [
            "github: \(t.fromCache) repositories from the cache, \(t.fetched) fetched, \(t.notModified) unchanged (304), \(t.notFound) not found, \(t.renamed) renamed; \(client.rate.graphQLPointsUsed) GraphQL points",
        ])
        if !t.leftOver.isEmpty {
            let reset = GitHubBudgetExhausted(resetAt: t.resetAt).resetDescription
            report.warnings.append("GitHub budget exhausted: \(t.leftOver.count) repositories left; the budget resets at \(reset); run again after that to resume")
        }
        return report
    }

    public init(options: PluginOptions, context: PluginContext) throws {
        settings = GitHubSettings(config: context.config)
        client = GitHubClient(context: context)
        cache = GitHubRepoCache(store: context.store, ttl: settings.cacheTTL)
        readme = options.bool("readme")
        changelog = options.bool("changelog")
        refreshCache = options.bool("refresh-cache")
        logger = context.logger
    }

    var fetcher: any RepoFetcher {
        client.hasToken
            ? GraphQLRepoFetcher(client: client, concurrency: settings.concurrency, readme: readme, changelog: changelog)
            : RESTRepoFetcher(client: client, concurrency: settings.concurrency, readme: readme, changelog: changelog)
    }

    static func repository(of document: PackageDocument) -> RepoRef? {
        RepoRef.parse(document.githubURL) ?? RepoRef.detect(projectURLs: document.projectURLs, homePage: document.homePage)
    }

    /// Whether a cached answer can be used without asking GitHub.
    func usable(_ hit: GitHubRepoCache.Hit, now: Int64) -> Bool {
        guard !refreshCache, hit.isFresh(ttl: settings.cacheTTL, now: now) else { return false }
        switch hit.answer {
        case .notFound: return true
        case .found(let data, _), .moved(let data, _):
            return (!readme || data.readme != nil) && (!changelog || data.changelog != nil)
        }
    }

    public func enrich(_ batch: inout EnrichmentBatch) async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let monorepo = try await cache.monorepoPackages(batch.documents.map(\.normalizedName))
        let refs = batch.documents.map { doc in
            Self.repository(of: doc) ?? monorepo[doc.normalizedName].flatMap { RepoRef.parse("https://github.com/\($0.repo)") }
        }
        let unique = Array(Set(refs.compactMap { $0 })).sorted { $0.key < $1.key }
        var known = try await cache.lookup(unique.map(\.key))
        let stale = unique.filter { ref in known[ref.key].map { !usable($0, now: now) } ?? true }
        var result = RepoFetchResult()
        if !stale.isEmpty {
            client.warnIfAnonymous()
            do throws(GitHubBudgetExhausted) {
                try client.rate.check()
                logger.debug("fetching repositories from GitHub", metadata: ["count": "\(stale.count)", "cached": "\(unique.count - stale.count)", "via": "\(client.hasToken ? "graphql" : "rest")"])
                result = await fetcher.fetch(stale, cached: known)
            } catch {
                result.exhausted = error
                result.leftOver = stale.map(\.key)
            }
            try await cache.save(result.answers, now: now)
            for (key, answer) in result.answers { known[key] = GitHubRepoCache.Hit(answer: answer, fetchedAt: now) }
        }
        let left = Set(result.leftOver)
        let skipped = Set(result.unreachable)

        var counts = Tally()
        for i in batch.documents.indices {
            guard let ref = refs[i] else { continue }
            let name = batch.documents[i].name
            if left.contains(ref.key) {
                batch.problems.append(Problem(
                    package: name, kind: "github",
                    message: "rate limit: GitHub budget exhausted before \(ref) was fetched (resets at \(result.exhausted?.resetDescription ?? "unknown")); the next run resumes it",
                    seenAt: now))
                continue
            }
            if skipped.contains(ref.key) { continue }
            if let failure = result.failures[ref.key] {
                batch.problems.append(Problem(package: name, kind: "github", message: "\(ref): \(failure)", seenAt: now))
                continue
            }
            switch known[ref.key]?.answer {
            case .found(let data, _)?:
                data.apply(to: &batch.documents[i], readme: readme, changelog: changelog)
            case .moved(let data, _)?:
                data.apply(to: &batch.documents[i], readme: readme, changelog: changelog)
                logger.debug("repository renamed", metadata: ["package": "\(name)", "from": "\(ref)", "to": "\(data.nameWithOwner)"])
            case .notFound?:
                batch.problems.append(Problem(package: name, kind: "github", message: "404: repository \(ref) not found on GitHub", seenAt: now))
            case nil:
                break
            }
        }
        // A monorepo package's own folder README/CHANGELOG beat the repository's root ones.
        for i in batch.documents.indices {
            guard let extra = monorepo[batch.documents[i].normalizedName] else { continue }
            if !extra.readme.isEmpty { batch.documents[i].readme = extra.readme }
            if !extra.changelog.isEmpty { batch.documents[i].changelog = extra.changelog }
            if batch.documents[i].githubURL.isEmpty { batch.documents[i].githubURL = "https://github.com/\(extra.repo)" }
        }
        counts.fromCache = unique.count - stale.count
        counts.fetched = stale.filter { result.answers[$0.key] != nil && !result.notModified.contains($0.key) }.count
        counts.notModified = result.notModified.count
        counts.notFound = result.answers.values.filter { $0 == .notFound }.count
        counts.renamed = stale.filter { if case .moved? = result.answers[$0.key] { return true }; return false }.count
        counts.leftOver = left
        counts.resetAt = result.exhausted?.resetAt
        let firstStop = result.exhausted != nil && tally.withLock { t in
            defer { t.warned = true }
            return !t.warned
        }
        if !skipped.isEmpty, tally.withLock({ t in defer { t.warnedDown = true }; return !t.warnedDown }) {
            logger.warning("GitHub is unreachable; packages keep their previous GitHub fields and the next run retries", metadata: [
                "error": "\(client.unreachableReason ?? "")"])
        }
        if firstStop, let exhausted = result.exhausted {
            logger.warning("GitHub budget exhausted; stopping GitHub work for this run", metadata: [
                "repositories_left": "\(left.count)", "resets_at": "\(exhausted.resetDescription)"])
        }
        tally.withLock { t in
            t.fromCache += counts.fromCache
            t.fetched += counts.fetched
            t.notModified += counts.notModified
            t.notFound += counts.notFound
            t.renamed += counts.renamed
            t.leftOver.formUnion(counts.leftOver)
            t.resetAt = counts.resetAt ?? t.resetAt
        }
    }
}
