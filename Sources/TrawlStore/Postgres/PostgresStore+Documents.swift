import Foundation
import PostgresNIO
public import TrawlCore

extension PostgresStore {
    /// tsvector input limits: a very long description is indexed by its first part.
    static let maxIndexedText = 200_000

    /// One round trip per table for the whole batch (arrays through `unnest`), not five per package:
    /// per-package statements made a 2,000-document upsert ten times slower than SQLite.
    public func upsert(_ packages: [StoredPackage], collection: String) async throws {
        guard !packages.isEmpty else { return }
        // The last spelling of a package in the batch wins, as with one upsert after another.
        var position: [String: Int] = [:]
        var unique: [StoredPackage] = []
        for package in packages {
            if let i = position[package.document.normalizedName] { unique[i] = package } else {
                position[package.document.normalizedName] = unique.count
                unique.append(package)
            }
        }
        let batch = try DocumentBatch(unique)
        let logger = self.logger
        try await transaction { db in
            try await Self.ensureCollection(db, collection, profile: nil, logger: logger)
            let revision = try await Self.advanceRevision(db, collection, logger: logger)
            try await Self.upsert(db, batch, collection: collection, revision: revision, logger: logger)
        }
    }

    /// A batch as column arrays.
    struct DocumentBatch: Sendable {
        var names: [String] = [], display: [String] = [], docs: [String] = []
        var indexedNames: [String] = [], summaries: [String] = [], keywords: [String] = [], descriptions: [String] = []
        var searchNames: [String] = [], versionSortable: [String] = []
        var uploaded: [Int64] = [], stars: [Int] = [], githubUpdated: [Int64] = []
        var downloadsDay: [Int] = [], downloadsWeek: [Int] = [], downloadsMonth: [Int] = [], downloadsTotal: [Int] = []
        var health: [Int] = [], firstSeen: [Int64] = [], lastSynced: [Int64] = []
        var major: [Int] = [], minor: [Int] = [], bugfix: [Int] = []
        var official: [Bool] = [], verified: [Bool] = [], isNew: [Bool] = [], yanked: [Bool] = [], stale: [Bool] = [], hasGitHub: [Bool] = []
        var termNames: [String] = [], termFields: [String] = [], termValues: [String] = []
        var releaseNames: [String] = [], releaseVersions: [String] = [], releaseUploaded: [Int64] = [], releaseYanked: [Bool] = [], releaseRequires: [String] = []

        init(_ packages: [StoredPackage]) throws {
            let json = try DocumentCoding.encode(packages.map(\.document))
            for (package, text) in zip(packages, json) {
                let d = package.document
                let searchName = SQLiteStore.searchableName(d.name)
                names.append(d.normalizedName); display.append(d.name); docs.append(text)
                indexedNames.append(PostgresStore.searchWords(searchName)); summaries.append(PostgresStore.searchWords(d.summary))
                keywords.append(PostgresStore.searchWords(d.keywords.joined(separator: " ")))
                descriptions.append(PostgresStore.searchWords(String(d.description.prefix(PostgresStore.maxIndexedText))))
                searchNames.append(searchName); versionSortable.append(d.versionSortable)
                uploaded.append(d.uploadTimestamp); stars.append(d.githubStars); githubUpdated.append(d.githubUpdated)
                downloadsDay.append(d.downloadLastDay); downloadsWeek.append(d.downloadLastWeek)
                downloadsMonth.append(d.downloadLastMonth); downloadsTotal.append(d.downloadTotal)
                health.append(d.healthScore); firstSeen.append(d.firstSeen); lastSynced.append(d.lastSynced)
                major.append(d.versionMajor); minor.append(d.versionMinor); bugfix.append(d.versionBugfix)
                official.append(d.isOfficial); verified.append(d.isVerified); isNew.append(d.isNew); yanked.append(d.yanked)
                stale.append(d.stale); hasGitHub.append(!d.githubURL.isEmpty)
                for (field, value) in DocumentCoding.terms(of: d) {
                    termNames.append(d.normalizedName); termFields.append(field); termValues.append(value)
                }
                var versions: [String: Release] = [:]
                for release in package.releases { versions[release.version] = release }  // last one wins
                for release in versions.values {
                    releaseNames.append(d.normalizedName); releaseVersions.append(release.version)
                    releaseUploaded.append(release.uploadTimestamp); releaseYanked.append(release.yanked)
                    releaseRequires.append(release.requiresPython)
                }
            }
        }
    }

    static func upsert(_ db: PostgresConnection, _ b: DocumentBatch, collection: String, revision: Int64, logger: Logger) async throws {
        try await db.query(
            """
            INSERT INTO documents (collection, name, display_name, doc, search, search_name, version_sortable, upload_timestamp,
                github_stars, github_updated, download_last_day, download_last_week, download_last_month,
                download_total, health_score, first_seen, last_synced, version_major, version_minor,
                version_bugfix, is_official, is_verified, is_new, yanked, stale, has_github, revision)
            SELECT \(collection), t.name, t.display, t.doc,
                setweight(to_tsvector('simple', t.iname), 'A') || setweight(to_tsvector('simple', t.summary), 'B')
                    || setweight(to_tsvector('simple', t.kw), 'C') || setweight(to_tsvector('simple', t.descr), 'D'),
                t.sname, t.vs, t.up, t.stars, t.gu, t.dd, t.dw, t.dm, t.dt, t.hs, t.fs, t.ls, t.vma, t.vmi, t.vbu,
                t.off, t.ver, t.isnew, t.yanked, t.stale, t.hasgh, \(revision)::bigint
            FROM unnest(\(b.names)::text[], \(b.display)::text[], \(b.docs)::text[], \(b.indexedNames)::text[], \(b.summaries)::text[],
                \(b.keywords)::text[], \(b.descriptions)::text[], \(b.searchNames)::text[], \(b.versionSortable)::text[],
                \(b.uploaded)::bigint[], \(b.stars)::bigint[], \(b.githubUpdated)::bigint[], \(b.downloadsDay)::bigint[],
                \(b.downloadsWeek)::bigint[], \(b.downloadsMonth)::bigint[], \(b.downloadsTotal)::bigint[], \(b.health)::bigint[],
                \(b.firstSeen)::bigint[], \(b.lastSynced)::bigint[], \(b.major)::bigint[], \(b.minor)::bigint[], \(b.bugfix)::bigint[],
                \(b.official)::boolean[], \(b.verified)::boolean[], \(b.isNew)::boolean[], \(b.yanked)::boolean[], \(b.stale)::boolean[],
                \(b.hasGitHub)::boolean[])
                AS t(name, display, doc, iname, summary, kw, descr, sname, vs, up, stars, gu, dd, dw, dm, dt, hs, fs, ls, vma, vmi, vbu,
                     off, ver, isnew, yanked, stale, hasgh)
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
                has_github = excluded.has_github, revision = excluded.revision
            """, logger: logger)
        try await db.query(
            """
            DELETE FROM document_terms WHERE doc_id IN (SELECT id FROM documents WHERE collection = \(collection) AND name = ANY(\(b.names)::text[]))
            """, logger: logger)
        if !b.termNames.isEmpty {
            try await db.query(
                """
                INSERT INTO document_terms (doc_id, field, value)
                SELECT d.id, t.f, t.v FROM unnest(\(b.termNames)::text[], \(b.termFields)::text[], \(b.termValues)::text[]) AS t(n, f, v)
                JOIN documents d ON d.collection = \(collection) AND d.name = t.n
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        try await db.query("DELETE FROM releases WHERE collection = \(collection) AND name = ANY(\(b.names)::text[])", logger: logger)
        if !b.releaseNames.isEmpty {
            try await db.query(
                """
                INSERT INTO releases (collection, name, version, upload_timestamp, yanked, requires_python)
                SELECT \(collection), n, v, u, y, p FROM unnest(\(b.releaseNames)::text[], \(b.releaseVersions)::text[],
                    \(b.releaseUploaded)::bigint[], \(b.releaseYanked)::boolean[], \(b.releaseRequires)::text[]) AS t(n, v, u, y, p)
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
            _ = try await Self.advanceRevision(db, collection, logger: logger)
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
