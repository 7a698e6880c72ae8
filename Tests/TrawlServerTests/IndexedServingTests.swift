import Foundation
import Testing
import TrawlCore
import TrawlStore

/// `trawl serve` answers from its in-memory index what it answered from SQL: the same found
/// counts, facets and ordered hits through the Typesense endpoint, `/api/v1` and the page, and a
/// write by another connection is in the next answer.
@Suite struct IndexedServingTests {
    static let admin = ServerHarness.adminKey

    /// The same store served twice: from the index, and from SQL only.
    static func withBoth(_ body: (_ indexed: ServerHarness, _ sql: ServerHarness) async throws -> Void) async throws {
        try await ServerHarness.with { indexed in
            let second = try SQLiteStore(path: indexed.store.path)
            let sql = try await ServerHarness.start(inMemoryIndex: false, store: second)
            do {
                try await body(indexed, sql)
            } catch {
                await sql.stop()
                throw error
            }
            await sql.stop()
        }
    }

    /// The answer without what may differ between the two: timings; hits as their names (in order
    /// when `ordered`: relevance is the shared `RelevanceRanking` in both, so it is compared too).
    static func comparable(_ reply: ServerHarness.Reply, ordered: Bool) throws -> [String: String] {
        var object = try reply.json()
        object.removeValue(forKey: "search_time_ms")
        var out: [String: String] = [:]
        for (key, value) in object {
            if key == "hits" || key == "packages", let list = value as? [[String: Any]] {
                let names = list.compactMap { (($0["document"] as? [String: Any]) ?? $0)["name"] as? String }
                out[key] = ordered ? names.joined(separator: ",") : names.sorted().joined(separator: ",")
                out[key + ".count"] = "\(list.count)"
            } else {
                let data = try JSONSerialization.data(withJSONObject: ["v": value], options: [.sortedKeys])
                out[key] = String(decoding: data, as: UTF8.self)
            }
        }
        return out
    }

    @Test func indexAnswersAsSQLDoes() async throws {
        try await Self.withBoth { indexed, sql in
            let typesense = [
                ("q=*&query_by=name&facet_by=framework_versions,python_versions&sort_by=github_stars:desc&per_page=20", true),
                ("q=django&query_by=name,summary,keywords,description&facet_by=framework_versions&per_page=20", true),
                ("q=djnago&query_by=name,summary&per_page=5", true),
                ("q=addon&query_by=name&filter_by=framework_versions:=[`5.0`]&facet_by=framework_versions,python_versions&sort_by=download_last_month:desc", true),
                ("q=*&filter_by=health_score:[0..39]&sort_by=health_score:asc,name:desc&per_page=7&page=2", true),
                ("q=*&filter_by=framework_versions:!=5.0&facet_by=framework_versions&sort_by=name:asc", true),
                ("q=nothing%20matches%20this&query_by=name", true),
            ]
            for (query, ordered) in typesense {
                let path = "/collections/django/documents/search?\(query)"
                let fast = try await indexed.get(path, key: Self.admin), slow = try await sql.get(path, key: Self.admin)
                #expect(fast.status == 200 && slow.status == 200, "\(query): \(fast.body.prefix(200)) / \(slow.body.prefix(200))")
                #expect(try Self.comparable(fast, ordered: ordered) == Self.comparable(slow, ordered: ordered), "\(query)")
            }
            for (query, ordered) in [("q=addon&sort=stars&framework_version=5.0", true), ("sort=name&page=2&per_page=5", true), ("q=django", true),
                                   ("q=django&explain=true&per_page=7", true)] {
                let path = "/api/v1/django/packages?\(query)"
                let fast = try await indexed.get(path), slow = try await sql.get(path)
                #expect(try Self.comparable(fast, ordered: ordered) == Self.comparable(slow, ordered: ordered), "\(query)")
            }
            let page = "/?collection=django&sort=stars&framework_version=5.0"
            let fastPage = try await indexed.get(page), slowPage = try await sql.get(page)
            #expect(fastPage.status == 200)
            #expect(fastPage.body == slowPage.body, "the page renders the same")
        }
    }

    @Test func aWriteByAnotherConnectionIsInTheNextAnswer() async throws {
        try await ServerHarness.with { server in
            let writer = try SQLiteStore(path: server.store.path)
            var late = PackageDocument(name: "django-zeppelin-late")
            late.summary = "Written after the server started"
            try await writer.upsert([StoredPackage(document: late)], collection: "django-1")
            let found = try await server.get("/collections/django/documents/search?q=zeppelin&query_by=name", key: Self.admin).json()
            #expect(found["found"] as? Int == 1)
            _ = try await writer.removeDocuments(["django-zeppelin-late"], collection: "django-1")
            let gone = try await server.get("/api/v1/django/packages?q=zeppelin").json()
            #expect(gone["found"] as? Int == 0)
            try await writer.close()
        }
    }
}
