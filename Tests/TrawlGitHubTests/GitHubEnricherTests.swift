import Foundation
import TestSupport
import Testing
import TrawlCore
import TrawlGitHub
import TrawlStore

/// Serialized: each test starts a python fake; one at a time keeps the shared test process responsive.
@Suite(.serialized) struct GitHubEnricherTests {
    static func repos(_ count: Int, owner: String = "org") -> [[String: Any]] {
        (0..<count).map { i in GitHubFake.repo(owner, String(format: "pkg%04d", i), stars: i, topics: ["t\(i % 3)"]) }
    }

    static func documents(_ count: Int, owner: String = "org") -> [PackageDocument] {
        (0..<count).map { i in GitHubHarness.document(String(format: "pkg%04d", i), repo: String(format: "\(owner)/pkg%04d", i)) }
    }

    @Test func graphQLBatchesOfAHundredFillEveryField() async throws {
        var fixture = Self.repos(250)
        fixture[0] = GitHubFake.repo("org", "pkg0000", stars: 42, topics: ["flet", "ui"], readme: "# Hello", changelog: "## 1.0", extra: [
            "watchers": 7, "forks": 3, "open_issues": 4, "open_prs": 9, "archived": true, "pushed_at": "2026-10-01T12:00:00Z",
        ])
        guard let h = try await GitHubHarness.start(["repos": fixture]) else { return }
        defer { Task { try? await h.shutdown() } }
        var docs = Self.documents(250)
        docs.append(GitHubHarness.document("gone", repo: "nobody/missing"))
        docs.append(GitHubHarness.document("twin", repo: "ORG/Pkg0001"))  // same repository, other spelling
        let enricher = try h.enricher(h.context(), ["readme": .bool(true), "changelog": .bool(true)])
        let batch = try await GitHubHarness.enrich(enricher, docs)

        #expect(await h.fake.stat("graphql_queries") == 3, "251 distinct repositories → batches of 100, 100, 51")
        #expect(await h.fake.stat("graphql_points") == 3)
        #expect(await h.fake.stat("rest_requests") == 0)
        let first = batch.documents[0]
        #expect(first.githubURL == "https://github.com/org/pkg0000")
        #expect(first.githubStars == 42)
        #expect(first.githubWatchers == 7)
        #expect(first.githubForks == 3)
        #expect(first.githubOpenIssues == 4, "issues only: the 9 open pull requests are not counted")
        #expect(first.githubArchived)
        #expect(first.githubUpdated == 1_790_856_000)
        #expect(first.topics == ["flet", "ui"])
        #expect(first.readme == "# Hello")
        #expect(first.changelog == "## 1.0")
        #expect(batch.documents[1].readme == "", "no README: empty, not an error")
        #expect(batch.documents[251].githubStars == 1, "identity is case-insensitive")
        #expect(await h.fake.fetches(of: "org/pkg0001") == 1, "one repository, fetched once")
        let gone = try #require(batch.problems.first { $0.package == "gone" })
        #expect(gone.kind == "github" && gone.message.contains("404"), "\(gone)")
        #expect(batch.problems.count == 1)
        #expect(enricher.client.rate.graphQLPointsUsed == 3)
    }

    @Test func aMalformedQueryFailsAsOnGitHub() async throws {
        guard let h = try await GitHubHarness.start(["repos": Self.repos(1)]) else { return }
        defer { Task { try? await h.shutdown() } }
        let client = GitHubClient(context: h.context())
        await #expect(throws: GitHubError.self) { _ = try await client.graphQL("query { repository(owner: \"org\") { stars } }") }
        let good = try await client.graphQL("query { repository(owner: \"org\", name: \"pkg0000\") { nameWithOwner } }")
        #expect((good.data["repository"] as? [String: Any])?["nameWithOwner"] as? String == "org/pkg0000")
        let anonymous = GitHubClient(context: h.context(token: nil))
        await #expect(throws: GitHubError.self) { _ = try await anonymous.graphQL("query { rateLimit { cost } }") }
    }

    @Test func aRenamedRepositoryIsFollowedAndRecorded() async throws {
        let fixture = [GitHubFake.repo("newowner", "newname", stars: 9, extra: ["renamed_from": ["oldowner/oldname"]])]
        for token in [GitHubHarness.token, nil] as [String?] {
            guard let h = try await GitHubHarness.start(["repos": fixture]) else { return }
            let enricher = try h.enricher(h.context(token: token))
            let batch = try await GitHubHarness.enrich(enricher, [GitHubHarness.document("p", repo: "oldowner/oldname")])
            #expect(batch.documents[0].githubURL == "https://github.com/newowner/newname", "via \(token == nil ? "REST" : "GraphQL")")
            #expect(batch.documents[0].githubStars == 9)
            #expect(batch.problems.isEmpty)
            let cached = try await h.store.githubRepos(["oldowner/oldname", "newowner/newname"])
            #expect(cached["oldowner/oldname"]?.status == 301, "the rename is recorded")
            #expect(cached["newowner/newname"]?.status == 200)
            #expect(enricher.summary.renamed == 1)
            try await h.shutdown()
        }
    }

    @Test func aSharedRepositoryIsFetchedOnceAcrossTwoProfiles() async throws {
        let fixture = [GitHubFake.repo("pallets", "shared", stars: 100), GitHubFake.repo("django", "only-django"), GitHubFake.repo("pallets", "only-flask")]
        guard let h = try await GitHubHarness.start(["repos": fixture]) else { return }
        defer { Task { try? await h.shutdown() } }
        let djangoDocs = [GitHubHarness.document("django-shared", repo: "pallets/shared"), GitHubHarness.document("d2", repo: "django/only-django")]
        let flaskDocs = [{ var d = PackageDocument(name: "flask-shared"); d.homePage = "https://www.github.com/Pallets/shared.git"; return d }(), GitHubHarness.document("f2", repo: "pallets/only-flask")]
        let django = try await GitHubHarness.enrich(try h.enricher(h.context(profile: "django")), djangoDocs)
        try await h.store.upsert(django.documents.map { StoredPackage(document: $0) }, collection: "django")
        let flask = try await GitHubHarness.enrich(try h.enricher(h.context(profile: "flask")), flaskDocs)
        try await h.store.upsert(flask.documents.map { StoredPackage(document: $0) }, collection: "flask")
        #expect(await h.fake.fetches(of: "pallets/shared") == 1, "one cache table for every profile")
        #expect(await h.fake.stat("graphql_queries") == 2)
        #expect(try await h.store.document("flask-shared", collection: "flask")?.githubStars == 100)
        #expect(try await h.store.document("django-shared", collection: "django")?.githubStars == 100)
    }

    @Test func withoutATokenRESTRevalidatesWithETagsAndRidesOutASecondaryLimit() async throws {
        guard let h = try await GitHubHarness.start(["repos": Self.repos(5), "secondary_limit": 1]) else { return }
        defer { Task { try? await h.shutdown() } }
        let docs = Self.documents(5)
        let first = try await GitHubHarness.enrich(try h.enricher(h.context(token: nil)), docs)
        #expect(first.problems.isEmpty, "the secondary-limit 403 is waited out (retry-after), not fatal: \(first.problems)")
        #expect(first.documents.allSatisfy { $0.githubURL.hasPrefix("https://github.com/org/") })
        #expect(await h.fake.stat("secondary_limited") == 1)
        #expect(await h.fake.stat("graphql_queries") == 0)
        #expect(await h.fake.stat("rest_requests") == 5)
        let warm = try await GitHubHarness.enrich(try h.enricher(h.context(token: nil)), docs)
        #expect(warm.documents == first.documents)
        #expect(await h.fake.stat("rest_requests") == 5, "within the TTL: no request at all")
        // Past the TTL: each repository is revalidated with its ETag; the 304s cost no budget.
        let expired = try h.enricher(h.context(token: nil, environment: ["TRAWL_GITHUB_CACHE_TTL": "0"]))
        let again = try await GitHubHarness.enrich(expired, docs)
        #expect(again.documents == first.documents)
        #expect(await h.fake.stat("rest_not_modified") == 5)
        #expect(await h.fake.stat("rest_requests") == 5)
        #expect(expired.summary.notModified == 5)
    }

    @Test func anExhaustedBudgetStopsCleanlyAndTheNextRunResumes() async throws {
        guard let h = try await GitHubHarness.start(["repos": Self.repos(300), "graphql_points": 2]) else { return }
        defer { Task { try? await h.shutdown() } }
        let docs = Self.documents(300)
        let enricher = try h.enricher(h.context(environment: ["TRAWL_GITHUB_CONCURRENCY": "1"]))
        let first = try await GitHubHarness.enrich(enricher, docs)
        #expect(first.documents.filter { !$0.topics.isEmpty }.count == 200, "what was fetched is kept")
        #expect(first.problems.count == 100)
        #expect(first.problems.allSatisfy { $0.kind == "github" && $0.message.contains("rate limit") })
        #expect(enricher.summary.leftOver.count == 100)
        #expect(enricher.summary.resetAt != nil)
        // Later batches of the same run ask GitHub nothing more.
        let queries = await h.fake.stat("requests")
        _ = try await GitHubHarness.enrich(enricher, Array(docs.suffix(10)))
        #expect(await h.fake.stat("requests") == queries)
        // The budget is back: the next run fetches only what is left.
        try await h.fake.configure(["graphql_points": 5000])
        let resumed = try await GitHubHarness.enrich(try h.enricher(h.context()), docs)
        #expect(resumed.problems.isEmpty)
        #expect(await h.fake.stat("graphql_queries") == 3)
        #expect(resumed.documents.allSatisfy { !$0.topics.isEmpty })
        #expect(await h.fake.fetches(of: "org/pkg0000") == 1)
    }

    @Test func restWithoutATokenStopsWhenItsSixtyRequestsAreSpent() async throws {
        guard let h = try await GitHubHarness.start(["repos": Self.repos(70), "rest_limit": 60]) else { return }
        defer { Task { try? await h.shutdown() } }
        let enricher = try h.enricher(h.context(token: nil, environment: ["TRAWL_GITHUB_CONCURRENCY": "1"]))
        let batch = try await GitHubHarness.enrich(enricher, Self.documents(70))
        #expect(await h.fake.stat("rest_requests") == 60)
        #expect(await h.fake.stat("rate_limited") == 0, "the budget headers stop it before GitHub has to refuse")
        #expect(batch.problems.count == 10)
        #expect(enricher.summary.leftOver.count == 10)
    }
}
