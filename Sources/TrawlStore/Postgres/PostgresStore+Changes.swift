import Logging
import PostgresNIO
public import TrawlCore

extension PostgresStore {
    /// Advances the collection's revision inside the caller's transaction. The UPDATE takes the
    /// collection row's lock until commit, so two writers of one collection get their revisions in
    /// commit order: an index that has read revision R never misses a write numbered below R.
    /// The shared sequence keeps a collection created again under an old name from repeating revisions.
    static func advanceRevision(_ db: PostgresConnection, _ collection: String, logger: Logger) async throws -> Int64 {
        try await db.rows(
            "UPDATE collections SET revision = nextval('document_revisions') WHERE name = \(collection) RETURNING revision", logger: logger
        ).first.map { try $0.decode(Int64.self) } ?? 0
    }

    public func collectionRevisions() async throws -> [CollectionRevision] {
        try await rows("SELECT name, revision, created_at FROM collections ORDER BY name COLLATE \"C\"").map {
            let (name, revision, created) = try $0.decode((String, Int64, Int64).self)
            return CollectionRevision(name: name, revision: revision, createdAt: created)
        }
    }

    public func changedDocuments(collection: String, since: Int64, after cursor: RevisionCursor?, limit: Int) async throws -> [RevisionedDocument] {
        let found: [PostgresRow]
        if let cursor {
            found = try await rows("""
                SELECT doc, revision FROM documents WHERE collection = \(collection) AND revision > \(since)
                AND (revision, name) > (\(cursor.revision), \(cursor.name)) ORDER BY revision, name LIMIT \(limit)
                """)
        } else {
            found = try await rows(
                "SELECT doc, revision FROM documents WHERE collection = \(collection) AND revision > \(since) ORDER BY revision, name LIMIT \(limit)")
        }
        return try found.map {
            let (doc, revision) = try $0.decode((String, Int64).self)
            return RevisionedDocument(document: try DocumentCoding.decode(doc), revision: revision)
        }
    }
}
