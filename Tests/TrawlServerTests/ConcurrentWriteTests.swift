import Foundation
import Synchronization
import Testing
import TrawlCore
import TrawlStore

/// A crawl writing the SQLite file (through its own connection pool, as another process would)
/// while the server answers searches: WAL lets both proceed, nobody sees "database is locked".
@Suite struct ConcurrentWriteTests {
    @Test func searchesSucceedDuringWrites() async throws {
        try await ServerHarness.with { server in
            let writer = try SQLiteStore(path: server.directory.appendingPathComponent("trawl.sqlite").path)
            let writing = Flag()
            let answered = Counter()
            let seen = try await withThrowingTaskGroup(of: [Int].self) { group in
                group.addTask {
                    // Paced by the readers: after each batch the writer waits (at most 20 s) until
                    // the readers completed three more rounds, so at least one round started after
                    // the batch was committed and before the next — however loaded the machine is.
                    for round in 0..<15 {
                        let batch = (0..<40).map { i in
                            Fixtures.doc("crawled-\(round)-\(i)", summary: "Crawled while serving, round \(round)", downloads: i)
                        }
                        try await writer.upsert(batch, collection: "django-1")
                        let before = answered.value
                        let deadline = ContinuousClock.now + .seconds(20)
                        while answered.value < before + 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
                    }
                    writing.set()
                    return []
                }
                for _ in 0..<2 {
                    group.addTask {
                        var found: [Int] = []
                        while !writing.isSet {
                            let api = try await server.get("/api/v1/django/packages?q=crawled+django&per_page=5")
                            #expect(api.status == 200, "\(api.body.prefix(200))")
                            let typesense = try await server.get("/collections/django/documents/search?q=crawled&query_by=name", key: ServerHarness.adminKey)
                            #expect(typesense.status == 200, "\(typesense.body.prefix(200))")
                            found.append(try typesense.json()["found"] as? Int ?? -1)
                            answered.increment()
                        }
                        return found
                    }
                }
                return try await group.reduce(into: [[Int]]()) { $0.append($1) }
            }
            try await writer.close()
            // Readers were answered while the writer was part-way: they saw counts between the start
            // and the end, which a reader blocked until the writes were done could not have seen.
            #expect(seen.joined().contains { $0 > 0 && $0 < 600 }, "no search saw a partial crawl: \(seen)")
            for reader in seen { #expect(reader == reader.sorted(), "a search saw fewer packages than one before it: \(reader)") }
            let count = try await server.get("/api/v1/django/packages?q=crawled").json()["found"] as? Int
            #expect(count == 600)
        }
    }
}

/// A count shared between tasks.
final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}

/// A one-way flag shared between tasks.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
