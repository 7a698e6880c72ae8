import Foundation
import GRDB
public import TrawlCore

/// The narrow reads and writes of enrichment over stored documents: a page's releases in one query,
/// the requirement graph without decoding documents, and rewrites that leave unchanged full-text rows,
/// terms and releases alone.
extension SQLiteStore {
    /// `UPDATE … SET display_name, doc, every value column, revision`, generated from `DocumentColumns`.
    static let updateSQL: String = {
        let columns = ["display_name", "doc"] + DocumentColumns.all.map(\.name) + ["revision"]
        return "UPDATE documents SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE collection = ? AND name = ? RETURNING id"
    }()

    public func update(_ changes: [DocumentChange], collection: String) async throws {
        guard !changes.isEmpty else { return }
        let encoded = Array(zip(changes, try DocumentCoding.encode(changes.map(\.document))))
        let validators = takePendingValidators()
        try await pool.write { db in
            try Self.saveValidators(db, validators)
            let revision = try Self.advanceRevision(db, collection)
            for (change, json) in encoded {
                let d = change.document
                let arguments: [any DatabaseValueConvertible] =
                    [d.name, json] + Self.valueArguments(d) + [revision, collection, d.normalizedName] as [any DatabaseValueConvertible]
                // Removed meanwhile by another writer: an enrichment does not bring it back.
                guard let id = try Int64.fetchOne(db.cachedStatement(sql: Self.updateSQL), arguments: StatementArguments(arguments)) else { continue }
                if change.listsChanged { try Self.writeTerms(db, id: id, d) }
                if change.textChanged { try Self.writeFullText(db, id: id, d) }
            }
        }
    }

    public func releases(_ names: [String], collection: String) async throws -> [String: [Release]] {
        let normalized = Array(Set(names.map(PackageName.normalize)))
        guard !normalized.isEmpty else { return [:] }
        return try await pool.read { db in
            var out: [String: [Release]] = [:]
            for start in stride(from: 0, to: normalized.count, by: 500) {
                let chunk = Array(normalized[start..<min(start + 500, normalized.count)])
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT name, version, upload_timestamp, yanked, requires_python FROM releases
                        WHERE collection = ? AND name IN (\(databaseQuestionMarks(count: chunk.count)))
                        ORDER BY name, upload_timestamp DESC, version DESC
                        """,
                    arguments: StatementArguments([collection] + chunk))
                for row in rows {
                    out[row[0], default: []].append(Release(version: row[1], uploadTimestamp: row[2], yanked: row[3], requiresPython: row[4]))
                }
            }
            for name in normalized where out[name] == nil { out[name] = [] }
            return out
        }
    }

    /// Reads `requires_dist` out of the stored JSON inside SQLite, never decoding whole documents.
    public func requirementRows(collection: String) async throws -> [RequirementRow] {
        let rows = try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT name, dependents_count, json_extract(doc, '$.requires_dist') FROM documents WHERE collection = ? ORDER BY name",
                arguments: [collection])
        }
        let decoder = JSONDecoder()
        return rows.map { row in
            let list: String? = row[2]
            let requires = list.flatMap { try? decoder.decode([String].self, from: Data($0.utf8)) } ?? []
            return RequirementRow(name: row[0], requiresDist: requires, dependentsCount: row[1])
        }
    }
}
