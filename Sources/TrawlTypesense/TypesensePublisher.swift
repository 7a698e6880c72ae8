public import Logging
import Synchronization
public import TrawlCore

/// Mirrors a crawl's changes into Typesense (docs/design.md §4, last stage): changed documents are upserted
/// through alias `KEY`, removed ones deleted.
///
/// The local store is the source of truth, so Typesense trouble never fails a crawl or loses data:
/// a failed publish is logged, the rest of the run stops publishing, and a mark saved in the store
/// (`typesense:dirty:KEY`) makes the next publish rebuild the collection from the store with a
/// zero-downtime recreate. The first publish to a server that has no `KEY` yet does the same, so
/// Typesense never holds only what one crawl happened to change.
public final class TypesensePublisher: Publisher {
    public let client: TypesenseClient
    let store: any DocumentStore & CheckpointStore
    let logger: Logger
    /// The Typesense alias to publish to when it differs from the local collection's name (the
    /// local store may itself serve `KEY` through an alias to another collection).
    let alias: String?
    private let state = Mutex(State())

    struct State {
        /// Aliases known to be in sync with the store (checked once per process).
        var ready: Set<String> = []
        /// Aliases whose publishing failed in this process: skipped until the next run repairs them.
        var failed: Set<String> = []
    }

    public init(client: TypesenseClient, store: any DocumentStore & CheckpointStore, logger: Logger, alias: String? = nil) {
        self.alias = alias
        self.client = client
        self.store = store
        self.logger = logger
    }

    /// The store mark that says Typesense missed changes and must be rebuilt.
    public static func dirtyMark(_ alias: String) -> String { "typesense:dirty:\(alias)" }

    public func publish(collection: String, upserted: [PackageDocument], removed: [String]) async throws {
        guard !upserted.isEmpty || !removed.isEmpty else { return }
        let target = alias ?? collection
        if state.withLock({ $0.failed.contains(target) }) { return }
        do {
            if try await rebuildIfNeeded(target, source: collection) { return }
            // Marked while in flight: a run killed between its store write and this publish (whose
            // resumed batch then looks unchanged) still gets Typesense rebuilt by the next publish.
            try await store.saveCheckpoint(Self.dirtyMark(target), value: "1")
            if !upserted.isEmpty {
                try await client.upsert(upserted, into: target)
            }
            if !removed.isEmpty {
                try await client.deleteDocuments(ids: removed.map { PackageName.normalize($0) }, from: target)
            }
            try await store.deleteCheckpoint(Self.dirtyMark(target))
            logger.debug("published to Typesense", metadata: ["collection": "\(target)", "upserted": "\(upserted.count)", "removed": "\(removed.count)"])
        } catch {
            state.withLock { _ = $0.failed.insert(target) }
            try? await store.saveCheckpoint(Self.dirtyMark(target), value: "1")
            logger.error(
                "publishing to Typesense failed; the store is unaffected and the next publish rebuilds '\(target)' from it",
                metadata: ["error": "\(error)"])
        }
    }

    /// Rebuilds `name` from the store when the server has neither alias nor collection of that
    /// name, or when an earlier publish failed; true when it did (the store's current state, this
    /// batch included, is then what Typesense serves).
    func rebuildIfNeeded(_ name: String, source: String) async throws -> Bool {
        if state.withLock({ $0.ready.contains(name) }) { return false }
        let dirty = try await store.checkpoint(Self.dirtyMark(name)) != nil
        let exists = try await client.resolve(name) != nil
        if exists && !dirty {
            state.withLock { _ = $0.ready.insert(name) }
            return false
        }
        logger.info(exists ? "Typesense missed changes to '\(name)': rebuilding it from the local store" : "Typesense has no '\(name)' yet: building it from the local store")
        _ = try await CollectionRecreator(client: client, store: store, logger: logger).recreate(alias: name, source: source)
        try await store.deleteCheckpoint(Self.dirtyMark(name))
        state.withLock { _ = $0.ready.insert(name) }
        return true
    }
}
