/// Pushes a collection's changes to an external search engine (Typesense) after a crawl.
/// The local store is always the source of truth; a publisher only mirrors it.
public protocol Publisher: Sendable {
    func publish(collection: String, upserted: [PackageDocument], removed: [String]) async throws
}
