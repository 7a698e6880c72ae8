public import TrawlCore

/// What Trawl keeps of one repository in the shared cache (`GitHubCacheEntry.data`, as JSON).
/// `readme`/`changelog` are nil when they were not asked for, "" when the repository has none.
public struct GitHubRepoData: Codable, Sendable, Equatable {
    /// `owner/repo` as GitHub spells it now (differs from the key after a rename).
    public var nameWithOwner: String
    public var url: String
    public var stars: Int = 0
    public var watchers: Int = 0
    public var forks: Int = 0
    /// Open issues, pull requests excluded where the API can tell (GraphQL can; REST counts both).
    public var openIssues: Int = 0
    /// Last push, epoch seconds.
    public var pushedAt: Int64 = 0
    public var archived: Bool = false
    public var topics: [String] = []
    public var readme: String?
    public var changelog: String?

    public init(nameWithOwner: String, url: String) {
        self.nameWithOwner = nameWithOwner
        self.url = url
    }

    public var ref: RepoRef? { RepoRef.parse(url) ?? RepoRef.parse("https://github.com/\(nameWithOwner)") }

    /// Writes the repository's fields into a package document.
    public func apply(to document: inout PackageDocument, readme wantsReadme: Bool, changelog wantsChangelog: Bool) {
        document.githubURL = url
        document.githubStars = stars
        document.githubWatchers = watchers
        document.githubForks = forks
        document.githubOpenIssues = openIssues
        document.githubUpdated = pushedAt
        document.githubArchived = archived
        document.topics = topics
        if wantsReadme, let readme { document.readme = readme }
        if wantsChangelog, let changelog { document.changelog = changelog }
    }
}

/// README and CHANGELOG of one package folder of a monorepo, cached under
/// `monorepo-package:{normalized name}` by the `github-monorepo` source for the `github` enricher.
public struct MonorepoPackageData: Codable, Sendable, Equatable {
    public var repo: String
    public var path: String
    public var readme: String
    public var changelog: String

    public static func cacheKey(_ package: String) -> String { "monorepo-package:\(PackageName.normalize(package))" }
}
