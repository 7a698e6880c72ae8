import Foundation
import Testing
import TrawlCore
import TrawlStore

/// A crawl writing the SQLite file (through its own connection pool, as another process would)
/// while the server answers searches: WAL lets both proceed, nobody sees "database is locked".
@Suite struct ConcurrentWriteTests {
    @Test func searchesSucceedDuringWrites() async throws {
        try await ServerHarness.with { server in
            let writer = try SQLiteStore(path: server.directory.appendingPathComponent("trawl.sqlite").path)
            try await withThrowingTaskGroup(of: [Int].self) { group in
                group.addTask {
                    for round in 0..<15 {
                        let batch = (0..<40).map { i in
                            Fixtures.doc("crawled-\(round)-\(i)", summary: "Crawled while serving, round \(round)", downloads: i)
                        }
                        try await writer.upsert(batch, collection: "django-1")
                    }
                    return []
                }
                for _ in 0..<2 {
                    group.addTask {
                        var statuses: [Int] = []
                        for i in 0..<20 {
                            statuses.append(try await server.get("/api/v1/django/packages?q=crawled+django&per_page=5&page=\(i % 3 + 1)").status)
                            statuses.append(try await server.get("/collections/django/documents/search?q=round&query_by=summary", key: ServerHarness.adminKey).status)
                        }
                        return statuses
                    }
                }
                for try await statuses in group {
                    #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
                }
            }
            try await writer.close()
            let count = try await server.get("/api/v1/django/packages?q=crawled").json()["found"] as? Int
            #expect(count == 600)
        }
    }
}
