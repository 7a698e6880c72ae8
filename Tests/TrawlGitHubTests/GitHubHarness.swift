import Foundation
import Logging
import TestSupport
import Testing
import TrawlCore
import TrawlGitHub
import TrawlStore

/// A fresh store, a fast-retrying HTTP layer, the GitHub fake, and plugin contexts pointing at it.
struct GitHubHarness {
    let store: SQLiteStore
    let http: HTTPFetcher
    let fake: GitHubFake
    static let token = "ghp_fakeTokenForTests0123456789"

    /// The fake with `fixture`, or nil (with a message) where python3 with graphql-core is missing;
    /// in CI a missing fake fails the test.
    static func start(_ fixture: [String: Any], store: SQLiteStore? = nil) async throws -> GitHubHarness? {
        guard await GitHubFake.isAvailable() else {
            if RequiredServer.inCI { Issue.record("python3 with graphql-core is required in CI (scripts/setup installs it)") }
            print("skipped: python3 with graphql-core not installed (pip install graphql-core)")
            return nil
        }
        var fixture = fixture
        if fixture["token"] == nil { fixture["token"] = token }
        let fake = try await GitHubFake.start(fixture: fixture)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-gh-\(UUID().uuidString)/t.sqlite").path
        let http = HTTPFetcher(configuration: .init(
            retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20), maxWait: .seconds(5)),
            requestTimeout: TestTimeouts.request, connectTimeout: TestTimeouts.connect,
            // Few index lookups in flight: the index fake runs in the test process, on the pool every
            // other test shares.
            concurrency: [.pypi: 4]))
        return GitHubHarness(store: try store ?? SQLiteStore(path: path), http: http, fake: fake)
    }

    func context(profile: String = "test", token: String? = GitHubHarness.token, pypi: String = "http://127.0.0.1:1", environment: [String: String] = [:]) -> PluginContext {
        var env = ["TRAWL_GITHUB_API_URL": fake.baseURL, "TRAWL_PYPI_URL": pypi]
        if let token { env["GITHUB_TOKEN"] = token }
        env.merge(environment) { _, new in new }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return PluginContext(http: http, config: TrawlConfig(environment: env), store: store, logger: logger, profileKey: profile)
    }

    func enricher(_ context: PluginContext, _ options: [String: OptionValue] = [:]) throws -> GitHubEnricher {
        try GitHubEnricher(options: PluginOptions(options), context: context)
    }

    func shutdown() async throws {
        fake.stop()
        try await http.shutdown()
    }

    static func document(_ name: String, repo: String) -> PackageDocument {
        var d = PackageDocument(name: name)
        d.projectURLs = ["Source": "https://github.com/\(repo)"]
        return d
    }

    /// Runs the enricher over documents, as a crawl batch would.
    static func enrich(_ enricher: GitHubEnricher, _ documents: [PackageDocument]) async throws -> EnrichmentBatch {
        var batch = EnrichmentBatch(documents: documents)
        try await enricher.enrich(&batch)
        return batch
    }
}
