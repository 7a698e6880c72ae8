import Foundation
import TestSupport
import Testing
import TrawlCore
import TrawlStore

/// `trawl admin keys list | create | delete` against a temporary store.
@Suite struct AdminKeysCLITests {
    @Test func createListDelete() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        let env = ["TRAWL_STORE": "sqlite:\(dir.appendingPathComponent("t.sqlite").path)"]
        let created = try await TrawlProcess.run(
            ["admin", "keys", "create", "--search-only", "--collection", "flet", "--value", "flet-front-end-key", "--json"], environment: env)
        #expect(created.status == 0, "\(created.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])
        #expect(json["value"] as? String == "flet-front-end-key")
        let id = try #require(json["id"] as? Int)

        let listed = try await TrawlProcess.run(["admin", "keys", "list"], environment: env)
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("\(id)\tflet-f…\tsearch\tflet"))
        #expect(!listed.stdout.contains("flet-front-end-key"), "list shows prefixes only")

        let store = try SQLiteStore(path: dir.appendingPathComponent("t.sqlite").path)
        #expect(try await store.findAPIKey(value: "flet-front-end-key")?.collections == ["flet"])
        try await store.close()

        #expect(try await TrawlProcess.run(["admin", "keys", "create", "--search-only", "--collection", "flet", "--value", "flet-front-end-key"], environment: env).status == 1, "duplicate value")
        let noScope = try await TrawlProcess.run(["admin", "keys", "create", "--collection", "flet"], environment: env)
        #expect(noScope.status != 0 && noScope.stderr.contains("--search-only"))
        let random = try await TrawlProcess.run(["admin", "keys", "create", "--search-only", "--collection", "flask"], environment: env)
        #expect(random.status == 0 && random.stdout.contains("shown once"))

        let deleted = try await TrawlProcess.run(["admin", "keys", "delete", String(id)], environment: env)
        #expect(deleted.status == 0)
        #expect(try await TrawlProcess.run(["admin", "keys", "delete", String(id)], environment: env).status == 1)
        let after = try await TrawlProcess.run(["admin", "keys", "list", "--json"], environment: env)
        let keys = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [[String: Any]])
        #expect(keys.count == 1 && keys.first?["collections"] as? [String] == ["flask"])
    }
}
