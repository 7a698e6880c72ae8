import Foundation

/// Starts `Tests/Fakes/github_fake.py`: GitHub's REST API (ETags, 304s that cost nothing, rate-limit
/// headers, secondary limits, 301 renames, search with its 1,000-result cap) and GraphQL executed
/// by `graphql-core` over a subset of GitHub's schema, so a malformed query fails as on GitHub.
/// Started by the shared `PythonFake` launcher.
public final class GitHubFake: Sendable {
    let fake: PythonFake
    public var baseURL: String { fake.baseURL }

    public typealias Unavailable = PythonFake.Unavailable

    init(_ fake: PythonFake) { self.fake = fake }

    /// Whether the test Python has graphql-core (awaited, never blocking a thread). In CI a missing
    /// fake is a failure, not a skip.
    public static func isAvailable() async -> Bool { await Python.has("graphql") }

    /// `fixture` as the script documents: `repos`, `token`, `graphql_points`, `rest_limit`, …
    public static func start(fixture: [String: Any]) async throws -> GitHubFake {
        GitHubFake(try await PythonFake.start(script: "github_fake.py", fixture: fixture))
    }

    /// The fake's counters: requests, graphql_queries, graphql_points, rest_requests,
    /// rest_not_modified, search_requests, repo_fetches {key: n}, authorization_seen, …
    public func stats() async throws -> [String: Any] { try await fake.json("/_fake/stats") }

    public func stat(_ name: String) async -> Int { ((try? await stats())?[name] as? Int) ?? -1 }

    /// Fetches of one repository (`owner/repo`, lowercase) answered with data, REST or GraphQL.
    public func fetches(of key: String) async -> Int {
        (((try? await stats())?["repo_fetches"] as? [String: Int])?[key]) ?? 0
    }

    /// Changes settings while running (e.g. `["graphql_points": 5000]` refills the budget).
    public func configure(_ settings: [String: Any]) async throws { try await fake.post("/_fake/config", settings) }

    public func stop() { fake.stop() }

    /// A repository of the fixture.
    public static func repo(
        _ owner: String, _ name: String, stars: Int = 1, topics: [String] = [], created: String = "2022-01-01T00:00:00Z",
        readme: String? = nil, changelog: String? = nil, extra: [String: Any] = [:]
    ) -> [String: Any] {
        var r: [String: Any] = [
            "owner": owner, "name": name, "stars": stars, "watchers": stars / 2, "forks": stars / 3, "open_issues": 2,
            "open_prs": 5, "topics": topics, "created_at": created, "pushed_at": "2026-10-01T12:00:00Z",
        ]
        if let readme { r["readme"] = readme }
        if let changelog { r["changelog"] = changelog }
        r.merge(extra) { _, new in new }
        return r
    }
}
