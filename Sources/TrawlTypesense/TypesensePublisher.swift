public import Logging
import Synchronization
public import TrawlCore

/// Mirrors a crawl's changes into Typesense (DESIGN §4, last stage): changed documents are upserted
/// through alias `KEY`, removed ones deleted. The first publish to a server that has no `KEY` yet
/// builds `KEY-1` from the whole local collection (a recreate), so Typesense starts complete
/// rather than holding only what one crawl happened to change.
public final class TypesensePublisher: Publisher {
    public let client: TypesenseClient
    let store: any DocumentStore
    let logger: Logger
    /// The Typesense alias to publish to when it differs from the local collection's name (the
    /// local store may itself serve `KEY` through an alias to another collection).
    let alias: String?
    /// Aliases known to exist on the server (checked once per process).
    private let ready = Mutex<Set<String>>([])

    public init(client: TypesenseClient, store: any DocumentStore, logger: Logger, alias: String? = nil) {
        self.alias = alias
        self.client = client
        self.store = store
        self.logger = logger
    }

    public func publish(collection: String, upserted: [PackageDocument], removed: [String]) async throws {
        guard !upserted.isEmpty || !removed.isEmpty else { return }
        let target = alias ?? collection
        if try await bootstrapIfMissing(target, source: collection) { return }
        if !upserted.isEmpty {
            try await client.upsert(upserted, into: target)
        }
        if !removed.isEmpty {
            let ids = removed.map { PackageName.normalize($0) }
            try await client.deleteDocuments(ids: ids, from: target)
        }
        logger.debug("published to Typesense", metadata: ["collection": "\(target)", "upserted": "\(upserted.count)", "removed": "\(removed.count)"])
    }

    /// Builds the collection from the store when the server has neither alias nor collection
    /// `name`; true when it did (then the store's current state, this batch included, is published).
    func bootstrapIfMissing(_ name: String, source: String) async throws -> Bool {
        if ready.withLock({ $0.contains(name) }) { return false }
        if try await client.resolve(name) != nil {
            ready.withLock { _ = $0.insert(name) }
            return false
        }
        logger.info("Typesense has no '\(name)' yet: building it from the local store")
        _ = try await CollectionRecreator(client: client, store: store, logger: logger).recreate(alias: name, source: source)
        ready.withLock { _ = $0.insert(name) }
        return true
    }
}
