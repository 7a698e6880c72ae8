public import Logging
import Synchronization
public import TrawlCore

/// The in-memory search indexes of every collection of a store, with the store's aliases, kept
/// fresh from the store's revisions. Searches read the current `CollectionIndex` of a collection
/// without touching SQL or waiting for a lock held longer than a pointer copy; updates are built
/// aside and swapped in.
///
/// Freshness: `refresh()` reads every collection's revision (one small query) and, for a
/// collection that moved, only the documents written since, plus the name list when the count
/// says something was removed. `run(every:)` polls it, and `catchUpIfChanged()` (called before
/// every search) catches up at once when the store's change token moved: a write by a crawl or
/// worker in this process or another is in the next search's answer.
public final class SearchIndex: Sendable {
    public typealias Source = DocumentStore & CollectionStore & DocumentChangeFeed

    struct Shelf: Sendable {
        var indexes: [String: CollectionIndex] = [:]
        var aliases: [String: String] = [:]
        var ready = false
    }

    let shelf = Mutex(Shelf())
    let maintainer: Maintainer
    let source: any Source
    /// The store's change token when the index last caught up.
    let seenToken = Mutex<Int64?>(nil)

    public init(source: any Source, logger: Logger, pageSize: Int = 1_000) {
        self.source = source
        maintainer = Maintainer(source: source, logger: logger, pageSize: pageSize)
    }

    /// Before answering a search: when the store's change token moved (SQLite: its log file
    /// changed), catch up first, so a write that finished before the search is in its answer.
    /// One `stat`, no query, when nothing was written; stores without a token rely on `run(every:)`.
    public func catchUpIfChanged() async {
        guard isReady, let token = source.changeToken(), token != seenToken.withLock({ $0 }) else { return }
        do {
            try await refresh()
            seenToken.withLock { $0 = token }
        } catch {
            maintainer.logger.warning("search index refresh failed: \(error)")
        }
    }

    /// True once every collection was loaded; until then callers search the store.
    public var isReady: Bool { shelf.withLock { $0.ready } }

    /// Returns once every collection is loaded, or after `limit` (or when the task is cancelled).
    /// Polls: it runs only during the first load, and only for requests that arrive then.
    public func waitUntilReady(upTo limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while !isReady, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The index of a collection (by its own name), nil before it was loaded.
    public func collection(_ name: String) -> CollectionIndex? {
        shelf.withLock { $0.indexes[name] }
    }

    /// The collection behind an alias, or the name itself when it is a collection (as
    /// `CollectionStore.resolveCollection`); nil when neither is known yet.
    public func resolve(_ nameOrAlias: String) -> String? {
        shelf.withLock { shelf in
            if let target = shelf.aliases[nameOrAlias] { return target }
            return shelf.indexes[nameOrAlias] != nil ? nameOrAlias : nil
        }
    }

    /// Brings every collection up to the store's current revision; returns when done. Concurrent
    /// calls run one after another, so a caller always sees the writes committed before its call.
    public func refresh() async throws {
        try await maintainer.refresh(into: self)
    }

    /// Refreshes now and then every `interval` until the task is cancelled; failures are logged
    /// and retried at the next tick (searches fall back to the store meanwhile only before the
    /// first load).
    public func run(every interval: Duration) async {
        while !Task.isCancelled {
            do {
                try await refresh()
            } catch is CancellationError {
                return
            } catch {
                maintainer.logger.warning("search index refresh failed: \(error)")
            }
            try? await Task.sleep(for: interval)
        }
    }

    func publish(indexes: [String: CollectionIndex], aliases: [String: String]) {
        shelf.withLock { shelf in
            shelf.indexes = indexes
            shelf.aliases = aliases
            shelf.ready = true
        }
    }

    func publish(_ index: CollectionIndex, for name: String) {
        shelf.withLock { $0.indexes[name] = index }
    }
}
