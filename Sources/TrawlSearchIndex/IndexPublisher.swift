public import TrawlCore

/// Lets a crawl or worker running in the server's process update the index right after each
/// committed batch, the way it publishes to Typesense: the batch is already in the store, so
/// the index catches up from the store's revisions (no document is taken on trust twice).
public struct IndexPublisher: Publisher {
    let index: SearchIndex

    public init(index: SearchIndex) {
        self.index = index
    }

    public func publish(collection: String, upserted: [PackageDocument], removed: [String]) async throws {
        try await index.refresh()
    }
}
