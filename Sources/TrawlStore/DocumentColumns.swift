import TrawlCore

/// The document's value columns — what sorts, filters and facets read without decoding `doc` — in
/// one table. Both stores generate their upsert (column list, values, `ON CONFLICT … SET`) from it,
/// and `DocumentColumnsTests` checks that both stores' schemas have exactly these columns with
/// these types, so a new column is one row here plus one migration per store.
///
/// Why migrations are not generated from it too: a migration is history. The table describes the
/// current schema; a shipped migration must keep creating the schema of its day, and a new column
/// arrives by a new `ALTER TABLE` migration, which the schema test then checks against this table.
enum DocumentColumns {
    enum Kind: Sendable {
        /// SQLite `TEXT`, PostgreSQL `text`.
        case text
        /// SQLite `INTEGER`, PostgreSQL `bigint`.
        case integer
        /// SQLite `INTEGER` 0/1, PostgreSQL `boolean`.
        case boolean
    }

    enum Value: Sendable {
        case text(String), integer(Int64), boolean(Bool)
    }

    struct Column: Sendable {
        let name: String
        let kind: Kind
        let value: @Sendable (PackageDocument) -> Value
    }

    static func text(_ name: String, _ value: @escaping @Sendable (PackageDocument) -> String) -> Column {
        Column(name: name, kind: .text) { .text(value($0)) }
    }
    static func integer(_ name: String, _ value: @escaping @Sendable (PackageDocument) -> Int64) -> Column {
        Column(name: name, kind: .integer) { .integer(value($0)) }
    }
    static func boolean(_ name: String, _ value: @escaping @Sendable (PackageDocument) -> Bool) -> Column {
        Column(name: name, kind: .boolean) { .boolean(value($0)) }
    }

    /// Besides these, each store writes `collection`, `name` (PEP 503), `display_name`, `doc` (the
    /// JSON) and `revision`, and PostgreSQL its full-text columns `search` and `search_name`.
    static let all: [Column] = [
        text("version_sortable") { $0.versionSortable },
        integer("upload_timestamp") { $0.uploadTimestamp },
        integer("github_stars") { Int64($0.githubStars) },
        integer("github_updated") { $0.githubUpdated },
        integer("download_last_day") { Int64($0.downloadLastDay) },
        integer("download_last_week") { Int64($0.downloadLastWeek) },
        integer("download_last_month") { Int64($0.downloadLastMonth) },
        integer("download_total") { Int64($0.downloadTotal) },
        integer("health_score") { Int64($0.healthScore) },
        integer("dependents_count") { Int64($0.dependentsCount) },
        integer("first_seen") { $0.firstSeen },
        integer("last_synced") { $0.lastSynced },
        integer("version_major") { Int64($0.versionMajor) },
        integer("version_minor") { Int64($0.versionMinor) },
        integer("version_bugfix") { Int64($0.versionBugfix) },
        boolean("is_official") { $0.isOfficial },
        boolean("is_verified") { $0.isVerified },
        boolean("is_new") { $0.isNew },
        boolean("yanked") { $0.yanked },
        boolean("stale") { $0.stale },
        boolean("has_github") { !$0.githubURL.isEmpty },
    ]

    /// `a = excluded.a, b = excluded.b, …` for `extra` columns and every value column.
    static func updateAssignments(extra: [String]) -> String {
        (extra + all.map(\.name)).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
    }
}
