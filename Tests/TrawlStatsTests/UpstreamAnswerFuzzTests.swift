import Foundation
import Logging
import Synchronization
import TestSupport
import Testing
import TrawlCore
@testable import TrawlGitHub
@testable import TrawlStats

/// Seeded fuzzing of the answers of GitHub (REST and GraphQL), ClickHouse and pypistats, over real
/// HTTP: a loopback server answers each request with a damaged copy of a valid answer (hostile
/// numbers spliced in, bytes flipped, cut, duplicated rows). Every call must end in a value or a
/// thrown error — never a trap — and the figures it gives are within the bounded count range.
@Suite struct UpstreamAnswerFuzzTests {
    static let casesPerUpstream = 600

    /// Serves whatever `body` holds at the moment.
    final class Answer: Sendable {
        let body = Mutex<[UInt8]>([])
        func set(_ bytes: [UInt8]) { body.withLock { $0 = bytes } }
    }

    static func hostileNumber(_ g: inout SeededGenerator) -> String {
        g.pick(["9223372036854775807", "-9223372036854775808", "1e30", "-1", "1.5", "NaN", "18446744073709551616", "0", "4611686018427387904"])
    }

    static func damaged(_ template: String, _ g: inout SeededGenerator) -> [UInt8] {
        var text = template
        // Splice hostile numbers into the numeric placeholders, then maybe damage the bytes.
        while let range = text.range(of: "#N") { text.replaceSubrange(range, with: hostileNumber(&g)) }
        let bytes = Array(text.utf8)
        return g.chance(60) ? Hostile.mutate(bytes, &g) : bytes
    }

    static func withServer(_ body: (Answer, String) async throws -> Void) async throws {
        let answer = Answer()
        let server = try await LoopbackServer.start { _ in
            .respond(status: 200, headers: [("Content-Type", "application/json")], body: answer.body.withLock { $0 })
        }
        try await body(answer, server.baseURL)
        try await server.shutdown()
    }

    static func http() -> HTTPFetcher {
        // pypistats' politeness (≤ 5/s, 30 a minute) would make 300 loopback answers take ten minutes.
        HTTPFetcher(configuration: .init(
            retry: RetryPolicy(maxAttempts: 1), requestTimeout: TestTimeouts.request, connectTimeout: TestTimeouts.connect, minimumInterval: [.pypistats: .zero],
            budget: [.pypistats: RequestBudget(count: 1_000_000, per: .seconds(1))]))
    }

    @Test("GitHub REST and GraphQL answers: damaged repositories are failures or bounded figures, never a trap")
    func githubAnswers() async throws {
        try await Self.withServer { answer, base in
            let http = Self.http()
            var logger = Logger(label: "fuzz")
            logger.logLevel = .critical
            let refs = [RepoRef(owner: "a", name: "b"), RepoRef(owner: "c", name: "d")]
            let rest = RESTRepoFetcher(client: GitHubClient(http: http, baseURL: base, token: nil, logger: logger), concurrency: 1, readme: false, changelog: false)
            let graphql = GraphQLRepoFetcher(
                client: GitHubClient(http: http, baseURL: base, token: Secret("t"), logger: logger), concurrency: 1, readme: false, changelog: false)
            let restTemplate = #"{"full_name":"a/b","html_url":"https://github.com/a/b","stargazers_count":#N,"subscribers_count":#N,"forks_count":#N,"open_issues_count":#N,"pushed_at":"2024-01-01T00:00:00Z","archived":false,"topics":["x"]}"#
            let repo = #"{"nameWithOwner":"a/b","url":"https://github.com/a/b","stargazerCount":#N,"forkCount":#N,"isArchived":false,"pushedAt":"2024-01-01T00:00:00Z","watchers":{"totalCount":#N},"issues":{"totalCount":#N},"repositoryTopics":{"nodes":[{"topic":{"name":"x"}}]}}"#
            let graphqlTemplate = #"{"data":{"rateLimit":{"cost":#N,"remaining":#N,"resetAt":"2030-01-01T00:00:00Z"},"r0":"# + repo + #","r1":"# + repo + "}}"
            var g = SeededGenerator(seed: 0x61_7468_7562)
            var answered = 0
            // Two upstreams take turns: twice the cases, so each gets `casesPerUpstream` (it once got half).
            for i in 0..<(2 * Self.casesPerUpstream) {
                answer.set(Self.damaged(i % 2 == 0 ? restTemplate : graphqlTemplate, &g))
                let result = await (i % 2 == 0 ? rest as any RepoFetcher : graphql).fetch(refs, cached: [:])
                for case .found(let data, _) in result.answers.values {
                    answered += 1
                    for figure in [data.stars, data.forks, data.watchers, data.openIssues] {
                        #expect((0...BoundedNumber.largestCount).contains(figure), "case \(i): \(figure)")
                    }
                }
            }
            #expect(answered > 0, "some damaged answers still parse: the fuzz reaches the figures")
            try await http.shutdown()
        }
    }

    @Test("ClickHouse rows and pypistats answers: damaged figures are errors or bounded counts, never a trap")
    func downloadAnswers() async throws {
        try await Self.withServer { answer, base in
            let http = Self.http()
            let clickhouse = ClickHouseDownloads(client: ClickHouseClient(http: http, baseURL: base, user: "u", password: Secret("")))
            let pypistats = PyPIStatsClient(http: http, baseURL: base)
            // Two rows of one project under two spellings: their figures are added.
            let row = #"{"project":"Pkg","last_day":#N,"last_week":#N,"last_month":#N,"total":#N}"#
            let rows = row + "\n" + row.replacingOccurrences(of: "Pkg", with: "pkg") + "\n"
            let recent = #"{"data":{"last_day":#N,"last_week":#N,"last_month":#N},"package":"pkg","type":"recent_downloads"}"#
            var g = SeededGenerator(seed: 0xC1C4_0005)
            var counted = 0
            // Two upstreams take turns: twice the cases, so each gets `casesPerUpstream` (it once got half).
            for i in 0..<(2 * Self.casesPerUpstream) {
                var counts: [DownloadCounts] = []
                if i % 2 == 0 {
                    answer.set(Self.damaged(rows, &g))
                    if let result = try? await clickhouse.counts(for: ["pkg"]) { counts = Array(result.values) }
                } else {
                    answer.set(Self.damaged(recent, &g))
                    if let result = try? await pypistats.recent("pkg") { counts = [result] }
                }
                for c in counts {
                    counted += 1
                    for figure in [c.lastDay, c.lastWeek, c.lastMonth, c.total ?? 0] {
                        #expect((0...BoundedNumber.largestCount).contains(figure), "case \(i): \(figure)")
                    }
                }
            }
            #expect(counted > 0)
            try await http.shutdown()
        }
    }
}
