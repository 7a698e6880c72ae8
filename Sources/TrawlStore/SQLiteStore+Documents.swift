import Foundation
import GRDB
public import TrawlCore

extension SQLiteStore {
    public func upsert(_ packages: [StoredPackage], collection: String) async throws {
        guard !packages.isEmpty else { return }
        // Encode outside the write transaction: the writer is shared, keep it short.
        let encoded = Array(zip(packages, try DocumentCoding.encode(packages.map(\.document))))
        let validators = takePendingValidators()
        try await pool.write { db in
            try Self.saveValidators(db, validators)
            try Self.ensureCollection(db, collection, profile: nil)
            let revision = try Self.advanceRevision(db, collection)
            for (package, json) in encoded {
                try Self.upsert(db, package, json: json, collection: collection, revision: revision)
            }
        }
    }

    /// The upsert, generated once from `DocumentColumns` (cached by GRDB per connection).
    static let upsertSQL: String = {
        let columns = ["collection", "name", "display_name", "doc"] + DocumentColumns.all.map(\.name) + ["revision"]
        return """
            INSERT INTO documents (\(columns.joined(separator: ", ")))
            VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            ON CONFLICT (collection, name) DO UPDATE SET \(DocumentColumns.updateAssignments(extra: ["display_name", "doc"])), revision = excluded.revision
            """
    }()

    /// Cached statements: a crawl runs these tens of thousands of times, and compiling SQL each
    /// time (parse + authorizer) cost more than executing it.
    static func upsert(_ db: Database, _ package: StoredPackage, json: String, collection: String, revision: Int64) throws {
        let d = package.document
        let name = d.normalizedName
        var arguments: [any DatabaseValueConvertible] = [collection, name, d.name, json]
        arguments += valueArguments(d)
        arguments.append(revision)
        try db.cachedStatement(sql: upsertSQL).execute(arguments: StatementArguments(arguments))
        let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM documents WHERE collection = ? AND name = ?"), arguments: [collection, name])!
        try writeTerms(db, id: id, d)
        try writeFullText(db, id: id, d)
        try db.cachedStatement(sql: "DELETE FROM releases WHERE collection = ? AND name = ?").execute(arguments: [collection, name])
        for release in package.releases {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO releases (collection, name, version, upload_timestamp, yanked, requires_python) VALUES (?, ?, ?, ?, ?, ?)").execute(
                arguments: [collection, name, release.version, release.uploadTimestamp, release.yanked, release.requiresPython])
        }
    }

    /// Replaces the document's list terms (`DocumentCoding.terms`).
    static func writeTerms(_ db: Database, id: Int64, _ d: PackageDocument) throws {
        try db.cachedStatement(sql: "DELETE FROM document_terms WHERE doc_id = ?").execute(arguments: [id])
        for (field, value) in DocumentCoding.terms(of: d) {
            try db.cachedStatement(sql: "INSERT INTO document_terms (doc_id, field, value) VALUES (?, ?, ?)").execute(arguments: [id, field, value])
        }
    }

    /// Replaces the document's full-text row (`PackageDocument.searchedText`, the name with its parts).
    static func writeFullText(_ db: Database, id: Int64, _ d: PackageDocument) throws {
        try db.cachedStatement(sql: "DELETE FROM documents_fts WHERE rowid = ?").execute(arguments: [id])
        try db.cachedStatement(sql: "INSERT INTO documents_fts (rowid, name, summary, keywords, description) VALUES (?, ?, ?, ?, ?)").execute(
            arguments: [id, Self.searchableName(d.name), d.summary, d.keywords.joined(separator: " "), d.description])
    }

    /// The document's value columns as statement arguments, in `DocumentColumns.all` order.
    static func valueArguments(_ d: PackageDocument) -> [any DatabaseValueConvertible] {
        DocumentColumns.all.map { column -> any DatabaseValueConvertible in
            switch column.value(d) {
            case .text(let text): text
            case .integer(let number): number
            case .boolean(let flag): flag
            }
        }
    }

    /// The name as typed plus its parts: `djangorestframework-jwt` is found by `jwt`, `django_foo` by `foo`.
    static func searchableName(_ name: String) -> String {
        let parts = name.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." }).map(String.init)
        return ([name] + (parts.count > 1 ? parts : [])).joined(separator: " ")
    }

    public func document(_ name: String, collection: String) async throws -> PackageDocument? {
        let normalized = PackageName.normalize(name)
        let json = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT doc FROM documents WHERE collection = ? AND name = ?", arguments: [collection, normalized])
        }
        return try json.map(DocumentCoding.decode)
    }

    public func documents(_ names: [String], collection: String) async throws -> [String: PackageDocument] {
        let normalized = Array(Set(names.map(PackageName.normalize)))
        guard !normalized.isEmpty else { return [:] }
        let rows = try await pool.read { db in
            var texts: [String] = []
            for start in stride(from: 0, to: normalized.count, by: 500) {
                let chunk = Array(normalized[start..<min(start + 500, normalized.count)])
                texts += try String.fetchAll(
                    db, sql: "SELECT doc FROM documents WHERE collection = ? AND name IN (\(databaseQuestionMarks(count: chunk.count)))",
                    arguments: StatementArguments([collection] + chunk))
            }
            return texts
        }
        var result: [String: PackageDocument] = [:]
        for doc in try await DocumentCoding.decode(rows) { result[doc.normalizedName] = doc }
        return result
    }

    public func releases(_ name: String, collection: String) async throws -> [Release] {
        let normalized = PackageName.normalize(name)
        return try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT version, upload_timestamp, yanked, requires_python FROM releases WHERE collection = ? AND name = ? ORDER BY upload_timestamp DESC, version DESC",
                arguments: [collection, normalized]
            ).map { Release(version: $0[0], uploadTimestamp: $0[1], yanked: $0[2], requiresPython: $0[3]) }
        }
    }

    public func removeDocuments(_ names: [String], collection: String) async throws -> Int {
        let normalized = names.map(PackageName.normalize)
        return try await pool.write { db in
            _ = try Self.advanceRevision(db, collection)
            var removed = 0
            for name in normalized {
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE collection = ? AND name = ?", arguments: [collection, name]) else { continue }
                try db.execute(sql: "DELETE FROM documents_fts WHERE rowid = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM documents WHERE id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM releases WHERE collection = ? AND name = ?", arguments: [collection, name])
                removed += 1
            }
            return removed
        }
    }

    public func documentCount(collection: String) async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents WHERE collection = ?", arguments: [collection]) ?? 0
        }
    }

    public func documentNames(collection: String) async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM documents WHERE collection = ? ORDER BY name", arguments: [collection])
        }
    }

    public func documents(collection: String, after cursor: String?, limit: Int) async throws -> [PackageDocument] {
        let rows = try await pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT doc FROM documents WHERE collection = ? AND name > ? ORDER BY name LIMIT ?",
                arguments: [collection, cursor ?? "", limit])
        }
        return try await DocumentCoding.decode(rows)
    }
}
