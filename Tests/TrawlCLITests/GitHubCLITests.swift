import Foundation
import TestSupport
import Testing
import TrawlCore
import TrawlStore

/// `trawl enrich github` and the Flet profile end to end, against the GitHub fake (GraphQL executed
/// by graphql-core) and the index fake.
@Suite(.serialized) struct GitHubCLITests {
    static let closed = "http://127.0.0.1:1"
    static let token = "ghp_SuperSecretTokenValue_4242"

    static func fake(_ fixture: [String: Any]) async throws -> GitHubFake? {
        guard await GitHubFake.isAvailable() else {
            if RequiredServer.inCI { Issue.record("python3 with graphql-core is required in CI (scripts/setup installs it)") }
            print("skipped: python3 with graphql-core not installed (pip install graphql-core)")
            return nil
        }
        var fixture = fixture
        fixture["token"] = token
        return try await GitHubFake.start(fixture: fixture)
    }

    static func environment(store: String, github: String, pypi: String = closed, token: String? = token) -> [String: String] {
        var env = [
            "TRAWL_STORE": "sqlite:\(store)", "TRAWL_PYPI_URL": pypi, "TRAWL_CLICKHOUSE_URL": closed, "TRAWL_PYPISTATS_URL": closed,
            "TRAWL_GITHUB_API_URL": github, "TRAWL_HTTP_BACKOFF_MS": "5", "TRAWL_HTTP_MAX_ATTEMPTS": "2",
        ]
        if let token { env["GITHUB_TOKEN"] = token }
        return env
    }

    /// A store in a fresh folder holding a plone collection whose packages point at `org/repoNNN`;
    /// returns its path.
    static func seededStore(count: Int) async throws -> String {
        let path = TrawlProcess.temporaryDirectory().appendingPathComponent("t.sqlite").path
        let store = try SQLiteStore(path: path)
        let packages = (0..<count).map { i in
            var d = PackageDocument(name: String(format: "plone.repo%03d", i))
            d.version = "1.0"
            d.projectURLs = ["Funding": "https://github.com/sponsors/org", "Source": String(format: "git+https://github.com/org/repo%03d.git", i)]
            d.profiles = ["plone"]
            return StoredPackage(document: d, releases: [Release(version: "1.0", uploadTimestamp: 1_700_000_000)])
        }
        try await store.upsert(packages, collection: "plone")
        return path
    }

    static func repos(_ count: Int) -> [[String: Any]] {
        (0..<count).map { GitHubFake.repo("org", String(format: "repo%03d", $0), stars: 10 + $0, topics: ["plone"]) }
    }

    @Test func enrichGitHubUsesTheTokenButNeverPrintsIt() async throws {
        guard let github = try await Self.fake(["repos": Self.repos(3)]) else { return }
        defer { github.stop() }
        let path = try await Self.seededStore(count: 3)
        let env = Self.environment(store: path, github: github.baseURL)
        let run = try await TrawlProcess.run(["enrich", "github", "-p", "plone", "--verbose"], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains(Self.token) && !run.stderr.contains(Self.token), "the token never appears in any output")
        #expect(!run.stderr.contains("SuperSecret"))
        #expect(run.stdout.contains("github: 0 repositories from the cache, 3 fetched"), "\(run.stdout)")
        let seen = (try await github.stats())["authorization_seen"] as? [String]
        #expect(seen?.contains("Bearer \(Self.token)") == true, "but it was sent to GitHub")
        let store = try SQLiteStore(path: path)
        let doc = try #require(try await store.document("plone.repo001", collection: "plone"))
        #expect(doc.githubStars == 11)
        #expect(doc.githubURL == "https://github.com/org/repo001", "the sponsors link is skipped, the repository found")
        #expect(doc.topics == ["plone"])
        let show = try await TrawlProcess.run(["show", "plone.repo001", "-p", "plone"], environment: env)
        #expect(show.stdout.contains("github:     https://github.com/org/repo001  (11 stars, 5 watchers, 3 forks, 2 open issues, pushed 2026-10-01)"), "\(show.stdout)")
        #expect(show.stdout.contains("topics:     plone"))

        // Within the TTL nothing is asked; --refresh-cache asks again; --name limits the run.
        let warm = try await TrawlProcess.run(["enrich", "github", "-p", "plone", "--json"], environment: env)
        #expect(warm.status == 0)
        #expect(await github.stat("graphql_queries") == 1)
        let one = try await TrawlProcess.run(["enrich", "github", "-p", "plone", "--name", "Plone.Repo002", "--refresh-cache"], environment: env)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(await github.stat("graphql_queries") == 2)
        #expect(await github.fetches(of: "org/repo002") == 2)
        #expect(await github.fetches(of: "org/repo000") == 1)
    }

    /// The daily `update_github` job is `trawl enrich github` run by a worker: it fills GitHub figures
    /// of packages no crawl touched, and within the cache's TTL a second run asks GitHub nothing.
    @Test func updateGitHubJobRefreshesStoredPackages() async throws {
        guard let github = try await Self.fake(["repos": Self.repos(4)]) else { return }
        defer { github.stop() }
        let path = try await Self.seededStore(count: 4)
        var env = Self.environment(store: path, github: github.baseURL)
        env["TRAWL_WORKER_POLL_MS"] = "50"
        let store = try StoreLocator.open("sqlite:\(path)")
        try await store.enqueue(NewJob(kind: JobKind.updateGitHub, profile: "plone"), now: 0)
        let first = try await TrawlProcess.run(["worker", "--once", "--no-schedule"], environment: env, directory: URL(fileURLWithPath: path).deletingLastPathComponent())
        #expect(first.status == 0, "\(first.stderr.suffix(1500))")
        #expect(!first.stdout.contains(Self.token) && !first.stderr.contains(Self.token))
        #expect(try await store.jobs(status: .done, limit: 10).map(\.kind) == [JobKind.updateGitHub])
        #expect(try await store.document("plone.repo003", collection: "plone")?.githubStars == 13)
        #expect(try await store.document("plone.repo000", collection: "plone")?.healthScoreBreakdown.isEmpty == false, "health follows github")
        #expect(await github.stat("graphql_queries") == 1, "four repositories, one query")
        try await store.enqueue(NewJob(kind: JobKind.updateGitHub, profile: "plone"), now: 0)
        let second = try await TrawlProcess.run(["worker", "--once", "--no-schedule"], environment: env, directory: URL(fileURLWithPath: path).deletingLastPathComponent())
        #expect(second.status == 0, "\(second.stderr.suffix(1500))")
        #expect(await github.stat("graphql_queries") == 1, "within the TTL the cache answers")
        try await store.close()
    }

    @Test func withoutATokenItWarnsOnceAndUsesRESTWithETags() async throws {
        guard let github = try await Self.fake(["repos": Self.repos(4)]) else { return }
        defer { github.stop() }
        let path = try await Self.seededStore(count: 4)
        var env = Self.environment(store: path, github: github.baseURL, token: nil)
        env["TRAWL_GITHUB_CACHE_TTL"] = "0"
        let run = try await TrawlProcess.run(["enrich", "github", "-p", "plone"], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.components(separatedBy: "GITHUB_TOKEN is not set").count == 2, "warned exactly once: \(run.stderr)")
        #expect(await github.stat("rest_requests") == 4)
        #expect(await github.stat("graphql_queries") == 0)
        let again = try await TrawlProcess.run(["enrich", "github", "-p", "plone"], environment: env)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("4 unchanged (304)"), "\(again.stdout)")
        #expect(await github.stat("rest_requests") == 4, "304s cost nothing")
    }

    @Test func budgetExhaustionExitsThreeAndTheNextRunResumes() async throws {
        guard let github = try await Self.fake(["repos": Self.repos(150), "graphql_points": 1]) else { return }
        defer { github.stop() }
        let path = try await Self.seededStore(count: 150)
        var env = Self.environment(store: path, github: github.baseURL)
        env["TRAWL_GITHUB_CONCURRENCY"] = "1"
        let first = try await TrawlProcess.run(["enrich", "github", "-p", "plone"], environment: env)
        #expect(first.status == 3, "\(first.stderr)")
        #expect(first.stderr.contains("GitHub budget exhausted: 50 repositories left; the budget resets at"), "\(first.stderr)")
        let problems = try await TrawlProcess.run(["show", "--problems", "-p", "plone"], environment: env)
        #expect(problems.stdout.contains("rate limit"), "\(problems.stdout)")
        let store = try SQLiteStore(path: path)
        #expect(try await store.document("plone.repo000", collection: "plone")?.githubStars == 10, "what was fetched is stored")

        try await github.configure(["graphql_points": 5000])
        let resumed = try await TrawlProcess.run(["enrich", "github", "-p", "plone"], environment: env)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("100 repositories from the cache, 50 fetched"), "\(resumed.stdout)")
        #expect(await github.stat("graphql_queries") == 2, "the second run fetched only the 50 left")
        #expect(try await store.document("plone.repo149", collection: "plone")?.githubStars == 159)
        #expect(try await store.problems(collection: "plone", package: nil).isEmpty)
    }

    @Test func aCrawlThatRanOutOfBudgetResumesOnTheNextCrawl() async throws {
        guard let github = try await Self.fake(["repos": Self.repos(150), "graphql_points": 1]) else { return }
        defer { github.stop() }
        let pypi = try await FakePyPI.start((0..<150).map { i in
            var p = FakePyPI.Project(name: String(format: "plone.repo%03d", i), classifiers: ["Framework :: Plone :: 6.0"])
            p.projectURLs = ["Source": String(format: "https://github.com/org/repo%03d", i)]
            return p
        })
        defer { Task { try? await pypi.shutdown() } }
        let dir = TrawlProcess.temporaryDirectory()
        let path = dir.appendingPathComponent("t.sqlite").path
        var env = Self.environment(store: path, github: github.baseURL, pypi: pypi.baseURL)
        env["TRAWL_GITHUB_CONCURRENCY"] = "1"
        let first = try await TrawlProcess.run(["crawl", "-p", "plone", "--discovery", "scan"], environment: env)
        #expect(first.status == 3, "\(first.stderr)")
        #expect(first.stderr.contains("GitHub budget exhausted: 50 repositories left"), "\(first.stderr)")
        let store = try SQLiteStore(path: path)
        #expect(try await store.documentCount(collection: "plone") == 150, "every package is stored")
        #expect(try await store.document("plone.repo149", collection: "plone")?.githubStars == 0)

        try await github.configure(["graphql_points": 5000])
        let second = try await TrawlProcess.run(["crawl", "-p", "plone", "--json"], environment: env)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(await github.stat("graphql_queries") == 2, "only the 50 left were fetched")
        #expect(try await store.document("plone.repo149", collection: "plone")?.githubStars == 159)
        #expect(try await store.problems(collection: "plone", package: nil).isEmpty)
    }

    @Test func aRepositoryOfADjangoAndAFlaskPackageIsFetchedOnceAcrossBothCrawls() async throws {
        guard let github = try await Self.fake(["repos": [
            GitHubFake.repo("pallets", "shared", stars: 77), GitHubFake.repo("dj", "only"), GitHubFake.repo("fl", "only"),
        ]]) else { return }
        defer { github.stop() }
        func project(_ name: String, _ framework: String, _ repo: String) -> FakePyPI.Project {
            var p = FakePyPI.Project(name: name, classifiers: ["Framework :: \(framework)"])
            p.projectURLs = ["Source": "https://github.com/\(repo)"]
            return p
        }
        let pypi = try await FakePyPI.start([
            project("django-shared", "Django", "pallets/shared"), project("django-only", "Django", "dj/only"),
            project("flask-shared", "Flask", "Pallets/Shared"), project("flask-only", "Flask", "fl/only"),
        ])
        defer { Task { try? await pypi.shutdown() } }
        let dir = TrawlProcess.temporaryDirectory()
        let path = dir.appendingPathComponent("t.sqlite").path
        let env = Self.environment(store: path, github: github.baseURL, pypi: pypi.baseURL)
        for profile in ["django", "flask"] {
            let crawl = try await TrawlProcess.run(["crawl", "-p", profile, "--discovery", "scan", "--quiet"], environment: env)
            #expect(crawl.status == 0, "\(crawl.stderr)")
        }
        #expect(await github.fetches(of: "pallets/shared") == 1, "one cache table for every profile")
        let store = try SQLiteStore(path: path)
        #expect(try await store.document("django-shared", collection: "django")?.githubStars == 77)
        #expect(try await store.document("flask-shared", collection: "flask")?.githubStars == 77)
        #expect(try await store.documentNames(collection: "flask") == ["flask-only", "flask-shared"])
    }

    @Test func theFletProfileEndToEnd() async throws {
        let files: [String: String] = [
            "sdk/python/packages/flet/README.md": "core",
            "sdk/python/packages/flet-cli/README.md": "cli",
            "sdk/python/packages/flet-audio/README.md": "# Flet Audio",
            "sdk/python/packages/flet-audio/CHANGELOG.md": "## 0.2.0",
            "sdk/python/packages/flet-map/README.md": "# Flet Map",
        ]
        let monorepo = "https://github.com/flet-dev/flet"
        guard let github = try await Self.fake(["repos": [
            GitHubFake.repo("flet-dev", "flet", stars: 12_000, topics: ["flet", "flutter"], extra: ["files": files]),
            GitHubFake.repo("alice", "flet-charts", stars: 40, topics: ["flet"]),
            GitHubFake.repo("bob", "python-sparkle", stars: 7, topics: ["flet", "ui"]),
            GitHubFake.repo("carol", "my-flet-app", stars: 3, topics: ["flet"]),
            GitHubFake.repo("dave", "unrelated", stars: 1, topics: ["flet"]),
            GitHubFake.repo("erin", "flet-toast", stars: 5),
        ]]) else { return }
        defer { github.stop() }
        func project(_ name: String, repo: String, requires: [String] = []) -> FakePyPI.Project {
            var p = FakePyPI.Project(name: name, requiresDist: requires)
            p.projectURLs = ["Repository": repo]
            return p
        }
        let pypi = try await FakePyPI.start([
            project("flet", repo: monorepo),
            project("flet-audio", repo: monorepo + "/tree/main/sdk/python/packages/flet-audio", requires: ["flet"]),
            project("flet-map", repo: monorepo, requires: ["flet>=0.25"]),
            project("flet-charts", repo: "https://github.com/alice/flet-charts", requires: ["flet"]),
            project("sparkle", repo: "https://github.com/bob/python-sparkle", requires: ["flet[all]"]),
            project("unrelated", repo: "https://github.com/dave/unrelated"),
            project("flet-toast", repo: "https://github.com/erin/flet-toast", requires: ["flet"]),  // found through requires only
        ])
        defer { Task { try? await pypi.shutdown() } }
        let dir = TrawlProcess.temporaryDirectory()
        let path = dir.appendingPathComponent("t.sqlite").path
        let env = Self.environment(store: path, github: github.baseURL, pypi: pypi.baseURL)
        let crawl = try await TrawlProcess.run(["crawl", "-p", "flet", "--json"], environment: env)
        #expect(crawl.status == 0, "\(crawl.stderr)")
        let summary = (try? JSONSerialization.jsonObject(with: Data(crawl.stdout.utf8)) as? [String: Any]) ?? [:]
        #expect(summary["indexed"] as? Int == 5, "\(crawl.stdout)")
        #expect(((summary["requests"] as? [String: Any])?["github"] as? Int ?? 0) > 0)

        let store = try SQLiteStore(path: path)
        #expect(try await store.documentNames(collection: "flet") == ["flet-audio", "flet-charts", "flet-map", "flet-toast", "sparkle"])
        let audio = try #require(try await store.document("flet-audio", collection: "flet"))
        #expect(audio.isOfficial)
        #expect(audio.readme == "# Flet Audio", "the folder's README, not the monorepo's")
        #expect(audio.changelog == "## 0.2.0")
        #expect(audio.githubStars == 12_000)
        #expect(audio.discoveredBy == ["github-monorepo", "pypi-requires"])
        let sparkle = try #require(try await store.document("sparkle", collection: "flet"))
        #expect(!sparkle.isOfficial)
        #expect(sparkle.githubStars == 7 && sparkle.topics == ["flet", "ui"])
        #expect(sparkle.discoveredBy.contains("github-topic"))
        #expect(try await store.document("flet-toast", collection: "flet")?.discoveredBy == ["pypi-requires"])

        let problems = try await TrawlProcess.run(["show", "--problems", "-p", "flet"], environment: env)
        #expect(problems.stdout.contains("carol/my-flet-app"), "a topic repository without a PyPI package is listed: \(problems.stdout)")
        #expect(!problems.stdout.contains("unrelated"))
        #expect(await github.fetches(of: "flet-dev/flet") >= 1)
        #expect(await github.stat("graphql_queries") == 2, "one for the packaging files of the unmapped topic hit, one for every repository of the crawl")
    }
}
