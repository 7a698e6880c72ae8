import Foundation
import TrawlCore
import TrawlSearchIndex
import TrawlStore

/// What every route needs: the store, access rules, metrics and the page renderer.
struct ServeState: Sendable {
    let store: any Store
    let options: ServerOptions
    let access: AccessControl
    let metrics: ServerMetrics
    let pages: PageRenderer
    /// The in-memory search index (nil when turned off): searches, aliases and counts are answered
    /// from it once a collection is loaded, and from the store before that.
    let index: SearchIndex?
    /// Searches run in arrival order, one per core (one while the index loads).
    let admission = SearchAdmission()
    let searchConcurrency = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Ready to answer from memory: every collection's index loaded (always, without an index).
    var isReady: Bool { index?.isReady ?? true }

    /// Runs a search request's whole work (search and answer) once admitted (`SearchAdmission`).
    /// While the index loads, a request first waits for it (up to `indexWait`, without holding a slot).
    func admitted<T>(_ body: () async throws -> T) async throws -> T {
        if let index, !index.isReady { await index.waitUntilReady(upTo: options.indexWait) }
        return try await admission.run(limit: isReady ? searchConcurrency : 1, body)
    }

    /// The collection behind a name or alias; 404 in Typesense's words when neither exists.
    func resolve(_ name: String) async throws -> String {
        await index?.catchUpIfChanged()
        if let known = index?.resolve(name) { return known }
        guard let collection = try await store.resolveCollection(name) else {
            throw APIError.notFound("Collection `\(name)` not found.")
        }
        return collection
    }

    /// The collection the page shows when none is asked for.
    func defaultCollection() async throws -> String? {
        if let name = options.defaultCollection ?? options.profiles.first?.key, let resolved = try await store.resolveCollection(name) {
            return resolved
        }
        for profile in options.profiles {
            if let resolved = try await store.resolveCollection(profile.key) { return resolved }
        }
        return try await store.collections().first?.name
    }

    /// How many documents a collection holds.
    func documentCount(_ collection: String) async throws -> Int {
        if let loaded = index?.collection(collection) { return loaded.count }
        return try await store.documentCount(collection: collection)
    }

    /// Who requires whom in the collection: the loaded index's graph (built once per revision), or,
    /// before the index is loaded, one built from the store's documents for this request.
    func dependencyGraph(_ collection: String) async throws -> DependencyGraph {
        await index?.catchUpIfChanged()
        if let loaded = index?.collection(collection) { return loaded.dependencyGraph }
        var documents: [PackageDocument] = []
        var cursor: String?
        while true {
            let page = try await store.documents(collection: collection, after: cursor, limit: 1_000)
            documents += page
            guard page.count == 1_000, let last = page.last else { break }
            cursor = last.normalizedName
        }
        return DependencyGraph(documents)
    }

    /// Searches (in memory when the collection is loaded), turning a field complaint into a 400.
    func search(_ query: SearchQuery, collection: String) async throws -> SearchResults {
        do {
            await index?.catchUpIfChanged()
            if let loaded = index?.collection(collection) { return try loaded.search(query, collection: collection) }
            return try await store.search(query, collection: collection)
        } catch let error as SearchError {
            throw APIError.badRequest(error.description)
        }
    }
}
