import GRDB
import PostgresNIO
import Testing
import TrawlCore
@testable import TrawlStore

/// `DocumentColumns` is the one table of document value columns: both stores' upserts are generated
/// from it, and both stores' schemas (built by their migrations) must have exactly these columns,
/// with these types, besides the store's own fixed ones — so a column added to one store only, or
/// to the table without a migration, fails here.
@Suite struct DocumentColumnsTests {
    static let fixed: Set<String> = ["id", "collection", "name", "display_name", "doc", "revision"]
    static let postgresOnly: Set<String> = ["search", "search_name"]

    @Test(arguments: StoreKind.allCases)
    func schemaHasExactlyTheTablesColumns(kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        var found: [String: String] = [:]
        if let sqlite = fixture.store as? SQLiteStore {
            let rows = try await sqlite.pool.read { db in try Row.fetchAll(db, sql: "PRAGMA table_info(documents)") }
            for row in rows { found[row["name"] as String] = (row["type"] as String).lowercased() }
        } else if let postgres = fixture.store as? PostgresStore {
            for row in try await postgres.rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'documents'") {
                let (name, type) = try row.decode((String, String).self)
                found[name] = type
            }
        }
        let extra = kind == .postgres ? Self.fixed.union(Self.postgresOnly) : Self.fixed
        #expect(Set(found.keys) == extra.union(DocumentColumns.all.map(\.name)), "\(kind): \(found.keys.sorted())")
        for column in DocumentColumns.all {
            let expected: String
            switch (kind, column.kind) {
            case (.sqlite, .text): expected = "text"
            case (.sqlite, _): expected = "integer"
            case (.postgres, .text): expected = "text"
            case (.postgres, .integer): expected = "bigint"
            case (.postgres, .boolean): expected = "boolean"
            }
            #expect(found[column.name] == expected, "\(kind) \(column.name): \(found[column.name] ?? "missing") ≠ \(expected)")
        }
        try await fixture.store.close()
    }

    /// Every value column round-trips through the generated upsert: what a sort or filter reads
    /// from the column is what the document says.
    @Test(arguments: StoreKind.allCases)
    func generatedUpsertWritesEveryColumn(kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        var d = PackageDocument(name: "Column-Check")
        d.versionSortable = "0001.0002"
        d.uploadTimestamp = 1_700_000_001; d.githubStars = 7; d.githubUpdated = 1_700_000_002
        d.downloadLastDay = 11; d.downloadLastWeek = 12; d.downloadLastMonth = 13; d.downloadTotal = 14
        d.healthScore = 77; d.firstSeen = 1_600_000_000; d.lastSynced = 1_700_000_003
        d.versionMajor = 1; d.versionMinor = 2; d.versionBugfix = 3
        d.isOfficial = true; d.isVerified = true; d.isNew = true; d.yanked = true; d.stale = true; d.githubURL = "https://github.com/a/b"
        try await fixture.store.upsert([StoredPackage(document: d)], collection: "cols")
        // Twice: the ON CONFLICT branch writes the same values.
        try await fixture.store.upsert([StoredPackage(document: d)], collection: "cols")
        for column in DocumentColumns.all {
            let stored: String
            if let sqlite = fixture.store as? SQLiteStore {
                stored = try await sqlite.pool.read { db in
                    try String.fetchOne(db, sql: "SELECT CAST(\(column.name) AS TEXT) FROM documents WHERE name = 'column-check'") ?? "?"
                }
            } else if let postgres = fixture.store as? PostgresStore {
                stored = try await postgres.rows(PostgresQuery(unsafeSQL: "SELECT \(column.name)::text FROM documents WHERE name = 'column-check'"))
                    .first.map { try $0.decode(String.self) } ?? "?"
            } else { continue }
            let expected: String
            switch column.value(d) {
            case .text(let text): expected = text
            case .integer(let number): expected = String(number)
            case .boolean(let flag): expected = kind == .sqlite ? (flag ? "1" : "0") : (flag ? "true" : "false")
            }
            #expect(stored == expected, "\(kind) \(column.name): \(stored) ≠ \(expected)")
        }
        try await fixture.store.close()
    }
}
