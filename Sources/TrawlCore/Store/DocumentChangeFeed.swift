/// What an in-memory search index needs to follow a store cheaply: a per-collection revision that
/// every committed write advances, and the documents written after a revision.
///
/// Why revisions and not timestamps: `last_synced` does not move when an enricher rewrites
/// downloads, and a removal changes no remaining row. A counter bumped in the same transaction
/// as the write (under the collection row's lock) commits in order, so a reader that saw
/// revision R has seen every write up to R, whichever process made it.
public protocol DocumentChangeFeed: Sendable {
    /// Every collection with its current revision: one small read, polled by the index.
    func collectionRevisions() async throws -> [CollectionRevision]
    /// Documents written at a revision above `since`, in (revision, name) order after `cursor`.
    func changedDocuments(collection: String, since: Int64, after cursor: RevisionCursor?, limit: Int) async throws -> [RevisionedDocument]
    /// A value that changes whenever anything may have been written, read without a query (a
    /// file's size and time); nil when the store has none. Lets a search catch up with a write
    /// made a moment ago by another process before answering, at the cost of one `stat`.
    func changeToken() -> Int64?
}

extension DocumentChangeFeed {
    public func changeToken() -> Int64? { nil }
}

public struct CollectionRevision: Sendable, Equatable {
    public var name: String
    public var revision: Int64
    /// Tells a collection deleted and created again under the same name from the old one.
    public var createdAt: Int64

    public init(name: String, revision: Int64, createdAt: Int64) {
        self.name = name
        self.revision = revision
        self.createdAt = createdAt
    }
}

/// Where a page of changed documents ended.
public struct RevisionCursor: Sendable, Equatable {
    public var revision: Int64
    public var name: String

    public init(revision: Int64, name: String) {
        self.revision = revision
        self.name = name
    }
}

public struct RevisionedDocument: Sendable {
    public var document: PackageDocument
    public var revision: Int64

    public init(document: PackageDocument, revision: Int64) {
        self.document = document
        self.revision = revision
    }

    public var cursor: RevisionCursor { RevisionCursor(revision: revision, name: document.normalizedName) }
}
