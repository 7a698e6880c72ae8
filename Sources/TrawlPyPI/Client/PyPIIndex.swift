public import TrawlCore

/// The pipeline's view of the index: project JSON with ETag revalidation, and changes since a
/// serial from the XML-RPC changelog (complete, however many events) plus the RSS feeds (which
/// only hold the last 100 events, but cost nothing and catch what the changelog lags on).
public struct PyPIIndex: PackageIndex {
    public let client: PyPIClient
    public let frameworks: [String]

    public init(client: PyPIClient, frameworks: [String]) {
        self.client = client
        self.frameworks = frameworks
    }

    public func fetch(_ name: String, etag: String?) async -> IndexFetchResult {
        switch await client.project(name, etag: etag, frameworks: frameworks) {
        case .fetched(let parsed): .fetched(StoredPackage(document: parsed.document, releases: parsed.releases))
        case .notModified: .notModified
        case .notFound: .notFound
        case .failed(let kind, let message): .failed(kind: kind, message: message)
        }
    }

    public func currentSerial() async throws -> Int64 {
        try await client.lastSerial()
    }

    /// Changelog pages until it stops advancing (the index caps one answer), then the feeds.
    public func changes(since serial: Int64) async throws -> IndexChanges {
        var events: [IndexChanges.Event] = []
        var cursor = serial
        for _ in 0..<1000 {
            let page = try await client.changelog(since: cursor)
            guard let last = page.map(\.serial).max(), last > cursor else { break }
            for entry in page {
                let action = entry.action.lowercased()
                let removal = action.hasPrefix("remove") && !action.contains("file") && !action.contains("maintainer") && !action.contains("owner")
                events.append(IndexChanges.Event(
                    name: entry.name, version: entry.version, isNewProject: action == "create", isRemoval: removal))
            }
            cursor = last
        }
        // The feeds are best effort: the changelog above is the complete record.
        if let updates = try? await client.feed(newProjects: false) {
            events += updates.map { IndexChanges.Event(name: $0.name, version: $0.version, isNewProject: false) }
        }
        if let created = try? await client.feed(newProjects: true) {
            events += created.map { IndexChanges.Event(name: $0.name, version: nil, isNewProject: true) }
        }
        return IndexChanges(events: events, serial: cursor)
    }
}
