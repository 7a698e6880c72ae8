import Foundation
import PostgresNIO
public import TrawlCore

extension PostgresStore {
    /// tsvector input limits: a very long description is indexed by its first part.
    static let maxIndexedText = 200_000

    public func upsert(_ packages: [StoredPackage], collection: String) async throws {
        guard !packages.isEmpty else { return }
        let encoded = Array(zip(packages, try DocumentCoding.encode(packages.map(\.document))))
        let logger = self.logger
        try await transaction { db in
            try await Self.ensureCollection(db, collection, profile: nil, logger: logger)
            for (package, json) in encoded {
                try await Self.upsert(db, package, json: json, collection: collection, logger: logger)
            }
        }
    }

    static func upsert(_ db: PostgresConnection, _ package: StoredPackage, json: String, collection: String, logger: Logger) async throws {
        let d = package.document
        let name = d.normalizedName
        let searchName = SQLiteStore.searchableName(d.name)
        let indexedName = searchWords(searchName)
        let summary = searchWords(d.summary)
        let keywords = searchWords(d.keywords.joined(separator: " "))
        let description = searchWords(String(d.description.prefix(maxIndexedText)))
        let rows = try await db.rows(
            """
            INSERT INTO documents (collection, name, display_name, doc, search, search_name, version_sortable, upload_timestamp,
                github_stars, github_updated, download_last_day, download_last_week, download_last_month,
                download_total, health_score, first_seen, last_synced, version_major, version_minor,
                version_bugfix, is_official, is_verified, is_new, yanked, stale, has_github)
            VALUES (\(collection), \(name), \(d.name), \(json),
                setweight(to_tsvector('simple', \(indexedName)), 'A') || setweight(to_tsvector('simple', \(summary)), 'B')
                    || setweight(to_tsvector('simple', \(keywords)), 'C') || setweight(to_tsvector('simple', \(description)), 'D'),
                \(searchName), \(d.versionSortable), \(d.uploadTimestamp), \(Int64(d.githubStars)), \(d.githubUpdated),
                \(Int64(d.downloadLastDay)), \(Int64(d.downloadLastWeek)), \(Int64(d.downloadLastMonth)), \(Int64(d.downloadTotal)),
                \(Int64(d.healthScore)), \(d.firstSeen), \(d.lastSynced), \(Int64(d.versionMajor)), \(Int64(d.versionMinor)),
                \(Int64(d.versionBugfix)), \(d.isOfficial), \(d.isVerified), \(d.isNew), \(d.yanked), \(d.stale), \(!d.githubURL.isEmpty))
            ON CONFLICT (collection, name) DO UPDATE SET
                display_name = excluded.display_name, doc = excluded.doc, search = excluded.search, search_name = excluded.search_name,
                version_sortable = excluded.version_sortable, upload_timestamp = excluded.upload_timestamp,
                github_stars = excluded.github_stars, github_updated = excluded.github_updated,
                download_last_day = excluded.download_last_day, download_last_week = excluded.download_last_week,
                download_last_month = excluded.download_last_month, download_total = excluded.download_total,
                health_score = excluded.health_score, first_seen = excluded.first_seen,
                last_synced = excluded.last_synced, version_major = excluded.version_major,
                version_minor = excluded.version_minor, version_bugfix = excluded.version_bugfix,
                is_official = excluded.is_official, is_verified = excluded.is_verified,
                is_new = excluded.is_new, yanked = excluded.yanked, stale = excluded.stale,
                has_github = excluded.has_github
            RETURNING id
            """, logger: logger)
        let id = try rows[0].decode(Int64.self)
        let terms = DocumentCoding.terms(of: d)
        try await db.query("DELETE FROM document_terms WHERE doc_id = \(id)", logger: logger)
        if !terms.isEmpty {
            try await db.query(
                "INSERT INTO document_terms (doc_id, field, value) SELECT \(id), f, v FROM unnest(\(terms.map { $0.0 })::text[], \(terms.map { $0.1 })::text[]) AS t(f, v)",
                logger: logger)
        }
        try await db.query("DELETE FROM releases WHERE collection = \(collection) AND name = \(name)", logger: logger)
        if !package.releases.isEmpty {
            let r = package.releases
            try await db.query(
                """
                INSERT INTO releases (collection, name, version, upload_timestamp, yanked, requires_python)
                SELECT \(collection), \(name), v, u, y, p FROM unnest(\(r.map(\.version))::text[], \(r.map(\.uploadTimestamp))::bigint[],
                    \(r.map(\.yanked))::boolean[], \(r.map(\.requiresPython))::text[]) AS t(v, u, y, p)
                ON CONFLICT (collection, name, version) DO UPDATE SET upload_timestamp = excluded.upload_timestamp,
                    yanked = excluded.yanked, requires_python = excluded.requires_python
                """, logger: logger)
        }
    }

    /// Text as FTS5's unicode61 tokenizer sees it: lowercase words of letters and digits, diacritics
    /// folded. PostgreSQL's parser would otherwise read `pkg-00` as `pkg` and `-00`, or `6.1` as one
    /// version token, and the two stores would match different things.
    static func searchWords(_ text: String) -> String {
        text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) }).joined(separator: " ")
    }

    public func document(_ name: String, collection: String) async throws -> PackageDocument? {
        let normalized = PackageName.normalize(name)
        return try await rows("SELECT doc FROM documents WHERE collection = \(collection) AND name = \(normalized)")
            .first.map { try DocumentCoding.decode(try $0.decode(String.self)) }
    }

    public func documents(_ names: [String], collection: String) async throws -> [String: PackageDocument] {
        let normalized = Array(Set(names.map(PackageName.normalize)))
        guard !normalized.isEmpty else { return [:] }
        var result: [String: PackageDocument] = [:]
        for row in try await rows("SELECT doc FROM documents WHERE collection = \(collection) AND name = ANY(\(normalized)::text[])") {
            let doc = try DocumentCoding.decode(try row.decode(String.self))
            result[doc.normalizedName] = doc
        }
        return result
    }

    public func releases(_ name: String, collection: String) async throws -> [Release] {
        let normalized = PackageName.normalize(name)
        return try await rows(
            """
            SELECT version, upload_timestamp, yanked, requires_python FROM releases WHERE collection = \(collection) AND name = \(normalized)
            ORDER BY upload_timestamp DESC, version DESC
            """
        ).map {
            let (version, uploaded, yanked, requires) = try $0.decode((String, Int64, Bool, String).self)
            return Release(version: version, uploadTimestamp: uploaded, yanked: yanked, requiresPython: requires)
        }
    }

    public func removeDocuments(_ names: [String], collection: String) async throws -> Int {
        let normalized = Array(Set(names.map(PackageName.normalize)))
        guard !normalized.isEmpty else { return 0 }
        let logger = self.logger
        return try await transaction { db in
            let removed = try await db.rows(
                "DELETE FROM documents WHERE collection = \(collection) AND name = ANY(\(normalized)::text[]) RETURNING name", logger: logger)
            try await db.query("DELETE FROM releases WHERE collection = \(collection) AND name = ANY(\(normalized)::text[])", logger: logger)
            return removed.count
        }
    }

    public func documentCount(collection: String) async throws -> Int {
        try await rows("SELECT count(*) FROM documents WHERE collection = \(collection)").first.map { try $0.decode(Int.self) } ?? 0
    }

    public func documentNames(collection: String) async throws -> [String] {
        try await rows("SELECT name FROM documents WHERE collection = \(collection) ORDER BY name").map { try $0.decode(String.self) }
    }

    public func documents(collection: String, after cursor: String?, limit: Int) async throws -> [PackageDocument] {
        try await rows(
            "SELECT doc FROM documents WHERE collection = \(collection) AND name > \(cursor ?? "") ORDER BY name LIMIT \(limit)"
        ).map { try DocumentCoding.decode(try $0.decode(String.self)) }
    }
}
