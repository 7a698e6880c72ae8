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
        var searchNames: [String] = []
        /// One array per `DocumentColumns.all` entry, in its order.
        var columns: [ColumnArray] = DocumentColumns.all.map { ColumnArray(kind: $0.kind) }
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
                searchNames.append(searchName)
                for (index, column) in DocumentColumns.all.enumerated() { columns[index].append(column.value(d)) }
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

    /// One value column of a batch as the array `unnest` takes.
    struct ColumnArray: Sendable {
        var texts: [String] = [], integers: [Int64] = [], booleans: [Bool] = []
        let kind: DocumentColumns.Kind

        init(kind: DocumentColumns.Kind) { self.kind = kind }

        mutating func append(_ value: DocumentColumns.Value) {
            switch value {
            case .text(let text): texts.append(text)
            case .integer(let number): integers.append(number)
            case .boolean(let flag): booleans.append(flag)
            }
        }

        /// Binds the array and answers its placeholder with the cast `unnest` needs.
        func bind(_ binds: inout PostgresBindings) -> String {
            switch kind {
            case .text: binds.append(texts); return "$\(binds.count)::text[]"
            case .integer: binds.append(integers); return "$\(binds.count)::bigint[]"
            case .boolean: binds.append(booleans); return "$\(binds.count)::boolean[]"
            }
        }
    }

    /// The documents upsert, its value columns generated from `DocumentColumns` (bound by position:
    /// the column count varies with the table, which a string-interpolated query cannot).
    static func upsert(_ db: PostgresConnection, _ b: DocumentBatch, collection: String, revision: Int64, logger: Logger) async throws {
        var binds = PostgresBindings()
        func bind(_ texts: [String]) -> String { binds.append(texts); return "$\(binds.count)::text[]" }
        binds.append(collection)
        let collectionPlaceholder = "$\(binds.count)"
        binds.append(revision)
        let revisionPlaceholder = "$\(binds.count)::bigint"
        let fixed = [b.names, b.display, b.docs, b.indexedNames, b.summaries, b.keywords, b.descriptions, b.searchNames].map(bind)
        let values = b.columns.map { $0.bind(&binds) }
        let valueNames = DocumentColumns.all.map(\.name)
        let sql = """
            INSERT INTO documents (collection, name, display_name, doc, search, search_name, \(valueNames.joined(separator: ", ")), revision)
            SELECT \(collectionPlaceholder), t.name, t.display, t.doc,
                setweight(to_tsvector('simple', t.iname), 'A') || setweight(to_tsvector('simple', t.summary), 'B')
                    || setweight(to_tsvector('simple', t.kw), 'C') || setweight(to_tsvector('simple', t.descr), 'D'),
                t.sname, \(valueNames.map { "t.\($0)" }.joined(separator: ", ")), \(revisionPlaceholder)
            FROM unnest(\((fixed + values).joined(separator: ", ")))
                AS t(name, display, doc, iname, summary, kw, descr, sname, \(valueNames.joined(separator: ", ")))
            ON CONFLICT (collection, name) DO UPDATE SET
                \(DocumentColumns.updateAssignments(extra: ["display_name", "doc", "search", "search_name"])), revision = excluded.revision
            """
        try await db.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
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

    /// Many packages' releases in one query (`name = ANY(…)`).
    public func releases(_ names: [String], collection: String) async throws -> [String: [Release]] {
        let normalized = Array(Set(names.map(PackageName.normalize)))
        guard !normalized.isEmpty else { return [:] }
        var out: [String: [Release]] = Dictionary(uniqueKeysWithValues: normalized.map { ($0, []) })
        for row in try await rows(
            """
            SELECT name, version, upload_timestamp, yanked, requires_python FROM releases
            WHERE collection = \(collection) AND name = ANY(\(normalized)::text[])
            ORDER BY name, upload_timestamp DESC, version DESC
            """
        ) {
            let (name, version, uploaded, yanked, requires) = try row.decode((String, String, Int64, Bool, String).self)
            out[name, default: []].append(Release(version: version, uploadTimestamp: uploaded, yanked: yanked, requiresPython: requires))
        }
        return out
    }

    /// Reads `requires_dist` out of the stored JSON inside PostgreSQL, never decoding whole documents.
    public func requirementRows(collection: String) async throws -> [RequirementRow] {
        let decoder = JSONDecoder()
        return try await rows(
            """
            SELECT name, dependents_count, COALESCE((doc::jsonb -> 'requires_dist')::text, '[]') FROM documents
            WHERE collection = \(collection) ORDER BY name
            """
        ).map { row in
            let (name, count, list) = try row.decode((String, Int64, String).self)
            let requires = (try? decoder.decode([String].self, from: Data(list.utf8))) ?? []
            return RequirementRow(name: name, requiresDist: requires, dependentsCount: Int(count))
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
