import Foundation
import TestSupport
import Testing
import TrawlCore
import TrawlStore

/// `TRAWL_STORE=postgres://…` switches every command: crawl, show, search and export run on PostgreSQL
/// exactly as on SQLite, and the password never shows.
@Suite struct PostgresCLITests {
    @Test func crawlShowSearchExportOnPostgreSQL() async throws {
        guard let url = try await WorkerCLITests.postgres() else { return }
        let fake = try await FakePyPI.start(CrawlCLITests.projects(25))
        let dir = TrawlProcess.temporaryDirectory()
        var env = CrawlCLITests().environment(fake, store: "unused")
        env["TRAWL_STORE"] = url
        let crawl = try await TrawlProcess.run(["crawl", "-p", "plone", "--discovery", "scan", "--json", "--verbose"], environment: env, directory: dir)
        #expect(crawl.status == 0, "\(crawl.stderr.suffix(2000))")
        let summary = try JSONSerialization.jsonObject(with: Data(crawl.stdout.utf8)) as? [String: Any]
        #expect(summary?["indexed"] as? Int == 25)
        #expect(!crawl.stderr.contains("secret-pw"), "the password is never logged")

        let show = try await TrawlProcess.run(["show", "Collective.Addon0003", "-p", "plone"], environment: env, directory: dir)
        #expect(show.status == 0)
        #expect(show.stdout.contains("collective.addon0003 1.3"), "\(show.stdout)")
        let search = try await TrawlProcess.run(["search", "addon", "number", "7", "-p", "plone", "--json"], environment: env, directory: dir)
        let hits = (try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any])?["hits"] as? [[String: Any]]
        #expect(hits?.isEmpty == false, "\(search.stdout) \(search.stderr)")
        let export = try await TrawlProcess.run(["export", "-p", "plone", "--format", "jsonl"], environment: env, directory: dir)
        #expect(export.stdout.split(separator: "\n").count == 25)

        let store = try StoreLocator.open(url)
        #expect(try await store.documentCount(collection: "plone") == 25)
        try await store.close()

        var bad = env
        bad["TRAWL_STORE"] = "postgres://trawl:hunter2@127.0.0.1:1/nowhere"
        let refused = try await TrawlProcess.run(["show", "x", "-p", "plone"], environment: bad, directory: dir)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("127.0.0.1:1"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("hunter2"))
        try await fake.shutdown()
    }
}
