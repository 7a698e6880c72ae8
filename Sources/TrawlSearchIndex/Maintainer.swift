import Logging
import TrawlCore

#if os(Linux)
/// glibc's `malloc_trim` (not in the Glibc module map).
@_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
#endif

/// Reads the store and builds new `CollectionIndex`es, one refresh at a time, so two refreshes
/// never build from the same base. Callers that arrive while one runs share the next one instead
/// of queueing one each: a burst of searches after a write costs one catch-up, not one per search.
actor Maintainer {
    let source: any SearchIndex.Source
    nonisolated let logger: Logger
    let pageSize: Int
    private var started = 0
    private var finished = 0
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(source: any SearchIndex.Source, logger: Logger, pageSize: Int) {
        self.source = source
        self.logger = logger
        self.pageSize = pageSize
    }

    /// Returns once a refresh that started after this call has finished: everything committed
    /// before the call is then in the index.
    func refresh(into index: SearchIndex) async throws {
        let needed = started + 1
        while finished < needed {
            guard !busy else {
                await withCheckedContinuation { waiters.append($0) }
                continue
            }
            busy = true
            started += 1
            let number = started
            defer {
                busy = false
                finished = number
                let resumed = waiters
                waiters = []
                for waiter in resumed { waiter.resume() }
            }
            try await refreshOnce(into: index)
        }
    }

    private func refreshOnce(into index: SearchIndex) async throws {
        let revisions = try await source.collectionRevisions()
        let aliases = try await source.aliases()
        var indexes: [String: CollectionIndex] = [:]
        for revision in revisions {
            try Task.checkCancellation()
            let current = index.collection(revision.name)
            let updated: CollectionIndex
            if let current, current.createdAt == revision.createdAt, current.revision == revision.revision {
                updated = current
            } else if let current, current.createdAt == revision.createdAt, current.revision < revision.revision {
                updated = try await catchUp(current, to: revision)
            } else {
                updated = try await load(revision)
            }
            indexes[revision.name] = updated
            // Visible at once: a large first load of one collection need not wait for the others.
            if updated !== current { index.publish(updated, for: revision.name) }
        }
        index.publish(indexes: indexes, aliases: aliases)
    }

    /// The whole collection, page by page in name order, indexed once.
    private func load(_ revision: CollectionRevision) async throws -> CollectionIndex {
        let started = ContinuousClock.now
        // Room for all at once: growing by doubling would copy every document, twice the memory.
        var builder = CollectionIndex.Builder(capacity: try await source.documentCount(collection: revision.name) + pageSize)
        // Store pages come in name order, so each page is analyzed and its texts deflated before
        // the next is read; a page out of order (a store not keeping its contract) falls back to
        // collecting everything and sorting it.
        var unordered: [PackageDocument]?
        var cursor: String?
        // Equal values of different documents share one storage (see `DocumentInterner`); done
        // page by page, so each page's own copies are freed before the next is read.
        var interner = DocumentInterner()
        while true {
            let page = try await source.documents(collection: revision.name, after: cursor, limit: pageSize)
            for document in page {
                let document = interner.intern(document)
                if unordered == nil, builder.accepts(document.normalizedName) {
                    builder.add(document)
                } else {
                    unordered = unordered ?? []
                    unordered?.append(document)
                }
            }
            guard page.count == pageSize, let last = page.last else { break }
            cursor = last.normalizedName
        }
        let index: CollectionIndex
        if let unordered {
            logger.warning("store pages were not in name order; indexing them sorted", metadata: ["collection": "\(revision.name)"])
            let built = builder.finish(revision: revision.revision, createdAt: revision.createdAt)
            index = built.applying(upserted: unordered, removed: [], revision: revision.revision)
        } else {
            index = builder.finish(revision: revision.revision, createdAt: revision.createdAt)
        }
        #if os(Linux)
        // The pages decoded on the way are free now; hand whole free pages back to the system
        // rather than keep them resident until the allocator happens to reuse them.
        _ = mallocTrim(0)
        #endif
        logger.info("search index loaded", metadata: [
            "collection": "\(revision.name)", "documents": "\(index.count)", "seconds": "\(ContinuousClock.now - started)",
        ])
        return index
    }

    /// The documents written since the index's revision, and removals found by the count.
    private func catchUp(_ current: CollectionIndex, to revision: CollectionRevision) async throws -> CollectionIndex {
        var changed: [PackageDocument] = []
        var cursor: RevisionCursor?
        while true {
            let page = try await source.changedDocuments(collection: revision.name, since: current.revision, after: cursor, limit: pageSize)
            changed += page.map(\.document)
            guard page.count == pageSize, let last = page.last else { break }
            cursor = last.cursor
        }
        var updated = current.applying(upserted: changed, removed: [], revision: revision.revision)
        // Every write up to `revision` is in; more documents here than in the store means removals.
        if updated.count > (try await source.documentCount(collection: revision.name)) {
            let names = Set(try await source.documentNames(collection: revision.name))
            let gone = Set(updated.names.filter { !names.contains($0) })
            updated = updated.applying(upserted: [], removed: gone, revision: revision.revision)
        }
        return updated
    }
}
