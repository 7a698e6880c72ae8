public import Logging
public import TrawlCore

/// Zero-downtime rebuild of a Typesense collection from the local store (docs/design.md §8):
/// build `KEY-(N+1)` beside the live `KEY-N`, import every document, compare counts, and only
/// then repoint alias `KEY` (an atomic switch on the server) and drop `KEY-N`. Any failure before
/// the switch drops the half-built collection and leaves the alias where it was, so searches never
/// see an empty or half-full collection.
public struct CollectionRecreator: Sendable {
    /// Points in a recreate where a test can inject a failure.
    public enum Stage: String, Sendable {
        case created, imported, counted, switched
    }

    public struct Report: Sendable, Equatable, Codable {
        public var alias: String
        public var previous: String?
        public var collection: String
        public var documents: Int
        public var seconds: Double
    }

    public let client: TypesenseClient
    public let store: any DocumentStore
    public let logger: Logger
    /// Documents read from the store and sent per import request.
    public var pageSize = 1_000
    /// How long the old collection outlives the switch, so a search already routed to it finishes.
    public var drainDelay: Duration = .milliseconds(500)
    /// Called at each stage; throwing there aborts (and, before `switched`, rolls back) the recreate.
    public var checkpoint: (@Sendable (Stage) async throws -> Void)?
    /// The schema of the new collection, by its name (`TypesensePackageSchema.schema(name:)`).
    public var schema: @Sendable (String) -> TypesenseSchema = { TypesensePackageSchema.schema(name: $0) }

    public init(client: TypesenseClient, store: any DocumentStore, logger: Logger) {
        self.client = client
        self.store = store
        self.logger = logger
    }

    /// Rebuilds alias `alias` from the store's collection `source` (the same name by default).
    public func recreate(alias: String, source: String? = nil) async throws -> Report {
        let started = ContinuousClock.now
        let source = source ?? alias
        let existing = try await client.collections().map(\.name)
        let previous: String?
        if let target = try await client.alias(alias)?.collectionName {
            previous = target
        } else {
            previous = existing.contains(alias) ? alias : nil
        }
        let name = CollectionVersions.next(alias: alias, existing: existing)
        logger.info("recreate: building", metadata: ["alias": "\(alias)", "new": "\(name)", "live": "\(previous ?? "none")"])
        try await client.createCollection(schema(name))
        let imported: Int
        do {
            try await checkpoint?(.created)
            imported = try await importAll(from: source, into: name)
            try await checkpoint?(.imported)
            let indexed = try await client.collection(name)?.numDocuments ?? -1
            let expected = try await store.documentCount(collection: source)
            guard indexed == imported, imported == expected else {
                throw RecreateError.countMismatch(collection: name, expected: expected, imported: imported, indexed: indexed)
            }
            try await checkpoint?(.counted)
            try await switchAlias(alias, to: name, previous: previous)
        } catch {
            var plainGone = false
            if previous == alias {
                do { plainGone = try await client.collection(alias) == nil } catch {}
            }
            if plainGone {
                // The plain collection is gone already: the complete new one is all there is. Keep it.
                logger.error("recreate: '\(alias)' was dropped but the alias could not be set; point it with `trawl admin alias \(alias) \(name) --typesense`")
                throw error
            }
            logger.error("recreate failed; rolled back (alias unchanged)", metadata: ["alias": "\(alias)", "error": "\(error)"])
            do { try await client.deleteCollection(name) } catch {
                logger.warning("could not drop the half-built collection", metadata: ["collection": "\(name)", "error": "\(error)"])
            }
            throw error
        }
        try await checkpoint?(.switched)
        if let previous, previous != alias {
            try await Task.sleep(for: drainDelay)
            do { try await client.deleteCollection(previous) } catch {
                // The alias already serves the complete new collection; the old one is only garbage now.
                logger.warning("switched, but could not drop the old collection", metadata: ["collection": "\(previous)", "error": "\(error)"])
            }
        }
        let elapsed = ContinuousClock.now - started
        let report = Report(
            alias: alias, previous: previous, collection: name, documents: imported,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        logger.info("recreate: switched", metadata: ["alias": "\(alias)", "collection": "\(name)", "documents": "\(imported)"])
        return report
    }

    /// Streams the store's collection page by page into `collection`; returns documents imported.
    /// The next page is read and encoded while the current one is imported, so the store and
    /// Typesense work at the same time.
    func importAll(from source: String, into collection: String) async throws -> Int {
        let store = self.store, pageSize = self.pageSize
        @Sendable func page(after cursor: String?) async throws -> (lines: [String], last: String?) {
            let documents = try await store.documents(collection: source, after: cursor, limit: pageSize)
            return (try TypesenseDocument.lines(documents), documents.last?.normalizedName)
        }
        var total = 0
        var current = try await page(after: nil)
        while let last = current.last {
            async let next = page(after: last)
            total += try await client.importLines(current.lines, into: collection)
            current = try await next
        }
        return total
    }

    /// Repoints the alias. A plain collection that has the alias's name (from before aliases) must
    /// go first: Typesense refuses an alias that shadows a collection. That one switch has a gap.
    func switchAlias(_ alias: String, to name: String, previous: String?) async throws {
        if previous == alias {
            logger.warning("replacing the plain collection '\(alias)' by an alias; searches may miss it for a moment this once")
            try await client.deleteCollection(alias)
        }
        try await client.upsertAlias(alias, collection: name)
    }
}

public enum RecreateError: Error, Sendable, CustomStringConvertible {
    case countMismatch(collection: String, expected: Int, imported: Int, indexed: Int)

    public var description: String {
        switch self {
        case .countMismatch(let c, let expected, let imported, let indexed):
            "'\(c)' is incomplete: the store has \(expected) documents, \(imported) were imported, Typesense counts \(indexed)"
        }
    }
}
