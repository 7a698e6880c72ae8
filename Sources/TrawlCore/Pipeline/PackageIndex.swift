/// The package index as the pipeline sees it: fetch one project's metadata, list what changed
/// since a serial. TrawlPyPI implements it over the JSON API, RSS feeds and XML-RPC.
public protocol PackageIndex: Sendable {
    /// One project's metadata. `etag` is the one stored with the collection's document (a 304 means
    /// that document is current); nil fetches unconditionally.
    func fetch(_ name: String, etag: String?) async -> IndexFetchResult
    /// Everything that happened after `serial`, and the serial to continue from.
    func changes(since serial: Int64) async throws -> IndexChanges
    /// The index's current serial (where an incremental run after this full one starts).
    func currentSerial() async throws -> Int64
}

public enum IndexFetchResult: Sendable {
    case fetched(StoredPackage)
    case notModified
    case notFound
    case failed(kind: String, message: String)
}

public struct IndexChanges: Sendable {
    public struct Event: Sendable, Equatable {
        public var name: String
        public var version: String?
        /// A project that did not exist before (`create` in the changelog, or `packages.xml`).
        public var isNewProject: Bool
        /// The project (or release) was removed: check it, remove it on a confirmed 404.
        public var isRemoval: Bool

        public init(name: String, version: String?, isNewProject: Bool, isRemoval: Bool = false) {
            self.name = name
            self.version = version
            self.isNewProject = isNewProject
            self.isRemoval = isRemoval
        }
    }

    public var events: [Event]
    public var serial: Int64

    public init(events: [Event], serial: Int64) {
        self.events = events
        self.serial = serial
    }
}
