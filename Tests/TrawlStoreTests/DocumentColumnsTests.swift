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

    /// What each value column must hold, written out as literals (not computed by the closures the
    /// upsert itself uses, which would agree with a wrong upsert): integers pairwise distinct, so a
    /// value written into another column's position (a swapped `$n` in PostgreSQL, a reordered
    /// column list) shows. Booleans are six: each of the documents below sets exactly one.
    static let integers: [String: Int64] = [
        "upload_timestamp": 1_700_000_001, "github_stars": 101, "github_updated": 1_700_000_002, "download_last_day": 102,
        "download_last_week": 103, "download_last_month": 104, "download_total": 105, "health_score": 77, "dependents_count": 106,
        "first_seen": 1_600_000_000, "last_synced": 1_700_000_003, "version_major": 7, "version_minor": 8, "version_bugfix": 9,
    ]
    static let booleans = ["is_official", "is_verified", "is_new", "yanked", "stale", "has_github"]
    static let texts = ["version_sortable": "0007.0008.0009"]

    /// A document with the literal values above and only `flag` of the booleans set.
    static func document(_ name: String, flag: String) -> PackageDocument {
        var d = PackageDocument(name: name)
        d.versionSortable = "0007.0008.0009"
        d.uploadTimestamp = 1_700_000_001; d.githubStars = 101; d.githubUpdated = 1_700_000_002
        d.downloadLastDay = 102; d.downloadLastWeek = 103; d.downloadLastMonth = 104; d.downloadTotal = 105
        d.healthScore = 77; d.dependentsCount = 106; d.firstSeen = 1_600_000_000; d.lastSynced = 1_700_000_003
        d.versionMajor = 7; d.versionMinor = 8; d.versionBugfix = 9
        d.isOfficial = flag == "is_official"; d.isVerified = flag == "is_verified"; d.isNew = flag == "is_new"
        d.yanked = flag == "yanked"; d.stale = flag == "stale"; d.githubURL = flag == "has_github" ? "https://github.com/a/b" : ""
        return d
    }

    @Test func theLiteralTableNamesEveryColumn() {
        let named = Set(Self.integers.keys).union(Self.booleans).union(Self.texts.keys)
        #expect(named == Set(DocumentColumns.all.map(\.name)))
        #expect(Set(Self.integers.values).count == Self.integers.count, "integers pairwise distinct")
    }

    /// Every value column round-trips through the generated upsert: what a sort or filter reads
    /// from the column is the literal the document was given.
    @Test(arguments: StoreKind.allCases)
    func generatedUpsertWritesEveryColumn(kind: StoreKind) async throws {
        guard let fixture = try await StoreFixture.make(kind) else { return }
        let documents = Self.booleans.map { Self.document("column-\($0.replacingOccurrences(of: "_", with: "-"))", flag: $0) }
        try await fixture.store.upsert(documents.map { StoredPackage(document: $0) }, collection: "cols")
        // Twice: the ON CONFLICT branch writes the same values.
        try await fixture.store.upsert(documents.map { StoredPackage(document: $0) }, collection: "cols")
        for (flag, document) in zip(Self.booleans, documents) {
            for column in DocumentColumns.all {
                let stored: String
                if let sqlite = fixture.store as? SQLiteStore {
                    stored = try await sqlite.pool.read { db in
                        try String.fetchOne(db, sql: "SELECT CAST(\(column.name) AS TEXT) FROM documents WHERE name = ?", arguments: [document.normalizedName]) ?? "?"
                    }
                } else if let postgres = fixture.store as? PostgresStore {
                    stored = try await postgres.rows(PostgresQuery(unsafeSQL: "SELECT \(column.name)::text FROM documents WHERE name = '\(document.normalizedName)'"))
                        .first.map { try $0.decode(String.self) } ?? "?"
                } else { continue }
                let expected: String
                if let number = Self.integers[column.name] {
                    expected = String(number)
                } else if let text = Self.texts[column.name] {
                    expected = text
                } else {
                    let on = column.name == flag
                    expected = kind == .sqlite ? (on ? "1" : "0") : (on ? "true" : "false")
                }
                #expect(stored == expected, "\(kind) \(document.normalizedName) \(column.name): \(stored) ≠ \(expected)")
            }
        }
        try await fixture.store.close()
    }
}
