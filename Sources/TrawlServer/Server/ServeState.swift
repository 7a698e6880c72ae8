import Foundation
import TrawlCore
import TrawlStore

/// What every route needs: the store, access rules, metrics and the page renderer.
struct ServeState: Sendable {
    let store: any Store
    let options: ServerOptions
    let access: AccessControl
    let metrics: ServerMetrics
    let pages: PageRenderer

    /// The collection behind a name or alias; 404 in Typesense's words when neither exists.
    func resolve(_ name: String) async throws -> String {
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

    /// Searches, turning a store's field complaint into a 400.
    func search(_ query: SearchQuery, collection: String) async throws -> SearchResults {
        do {
            return try await store.search(query, collection: collection)
        } catch let error as SearchError {
            throw APIError.badRequest(error.description)
        }
    }
}
