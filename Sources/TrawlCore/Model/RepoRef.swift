/// A GitHub repository identity, `owner/repo`, compared case-insensitively (GitHub's own rule).
/// Detected from the many spellings package metadata uses for "my source code is here".
public struct RepoRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public let owner: String
    public let name: String

    public init(owner: String, name: String) {
        self.owner = owner
        self.name = name
    }

    /// Lowercase `owner/repo`: the key of the shared GitHub cache.
    public var key: String { "\(owner)/\(name)".lowercased() }
    public var description: String { "\(owner)/\(name)" }
    public var url: String { "https://github.com/\(owner)/\(name)" }

    public static func == (a: RepoRef, b: RepoRef) -> Bool { a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    /// First path segments that are GitHub pages, not repository owners.
    static let reservedOwners: Set<String> = [
        "sponsors", "orgs", "topics", "marketplace", "settings", "about", "apps", "collections", "features",
        "explore", "login", "join", "pricing", "search", "site", "security", "notifications", "issues",
        "pulls", "trending", "enterprise", "customer-stories", "readme", "events", "codespaces", "new",
        "organizations", "users", "contact", "team", "github", "resources", "solutions", "account",
    ]

    /// Parses `https://github.com/o/r`, `www.`, `http://`, trailing `/`, `.git`, `/tree/…`, `/blob/…`,
    /// `#…`, `?…`, `git+https://`, `git://`, `git@github.com:o/r.git`, `ssh://git@github.com/o/r`.
    /// Nil for anything that is not a repository (a sponsors page, an org, another host).
    public static func parse(_ text: String) -> RepoRef? {
        var s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let cut = s.firstIndex(where: { $0 == "#" || $0 == "?" }) { s = String(s[..<cut]) }
        let lower = s.lowercased()
        var rest: Substring
        if lower.hasPrefix("git@github.com:") {
            rest = s.dropFirst("git@github.com:".count)
        } else {
            var t = Substring(s)
            for prefix in ["git+", "ssh://", "https://", "http://", "git://"] where t.lowercased().hasPrefix(prefix) {
                t = t.dropFirst(prefix.count)
            }
            if t.lowercased().hasPrefix("git@") { t = t.dropFirst(4) }
            let host = t.prefix { $0 != "/" && $0 != ":" }.lowercased()
            guard host == "github.com" || host == "www.github.com" else { return nil }
            rest = t.dropFirst(host.count)
            // `ssh://git@github.com:22/o/r`: a port is not an owner.
            if rest.first == ":", let slash = rest.firstIndex(of: "/"), rest[rest.index(after: rest.startIndex)..<slash].allSatisfy(\.isNumber) {
                rest = rest[slash...]
            }
            rest = rest.drop { $0 == "/" || $0 == ":" }
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return nil }
        let owner = String(parts[0])
        var repo = String(parts[1])
        if repo.lowercased().hasSuffix(".git") { repo = String(repo.dropLast(4)) }
        guard !owner.isEmpty, !repo.isEmpty, !reservedOwners.contains(owner.lowercased()),
            owner.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }),
            repo.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
        else { return nil }
        return RepoRef(owner: owner, name: repo)
    }

    /// Labels of `project_urls` in the order they are trusted to point at the source.
    static let labelPriority = ["source", "source code", "repository", "code", "github", "git", "homepage", "home", "tracker", "issues", "bug tracker", "changelog", "documentation"]

    /// The repository of a package: `project_urls` by label priority, then `home_page`, then
    /// `download_url`; a URL that is not a repository (a sponsors link first, say) is skipped and
    /// the next one tried.
    public static func detect(projectURLs: [String: String], homePage: String, downloadURL: String = "") -> RepoRef? {
        func rank(_ label: String) -> Int {
            let l = label.lowercased()
            return labelPriority.firstIndex(of: l) ?? labelPriority.firstIndex { l.contains($0) } ?? labelPriority.count
        }
        let ordered = projectURLs.sorted { (rank($0.key), $0.key) < (rank($1.key), $1.key) }.map(\.value)
        for candidate in ordered + [homePage, downloadURL] where !candidate.isEmpty {
            if let repo = parse(candidate) { return repo }
        }
        return nil
    }
}
