public import TrawlCore

/// How `trawl serve` runs: where it listens, who may read, and what it knows about profiles.
public struct ServerOptions: Sendable {
    public var host: String
    /// 0 picks a free port (tests); the bound port is reported by `onRunning`.
    public var port: Int
    /// `--private`: the page and /api/v1 need a key as well.
    public var isPrivate: Bool
    /// TRAWL_ADMIN_KEY, when set.
    public var adminKey: Secret?
    /// Profiles shown by /api/v1/profiles (key and display name).
    public var profiles: [ProfileSummary]
    /// The collection the web page opens on; nil: the first profile's, else the first collection.
    public var defaultCollection: String?
    /// Search from the in-memory index (false: every search is SQL, as before the index).
    public var inMemoryIndex: Bool = true
    /// How often the index asks the store whether a collection changed (writes by other processes
    /// become searchable within this; a worker in this process publishes to the index at once).
    public var indexRefreshInterval: Duration = .seconds(1)
    /// How long a search arriving while the index loads waits for it before the store answers
    /// instead: a 13k collection loads in about 2 s and a 100k one in about 17 s on two cores, and
    /// SQL searches meanwhile were slower than the wait and slowed the load (issue 18).
    public var indexWait: Duration = .seconds(30)

    public init(
        host: String = "127.0.0.1", port: Int = 8108, isPrivate: Bool = false, adminKey: Secret? = nil,
        profiles: [ProfileSummary] = [], defaultCollection: String? = nil
    ) {
        self.host = host
        self.port = port
        self.isPrivate = isPrivate
        self.adminKey = adminKey
        self.profiles = profiles
        self.defaultCollection = defaultCollection
    }
}

/// A profile as the API lists it.
public struct ProfileSummary: Sendable, Codable, Equatable {
    public var key: String
    public var name: String

    public init(key: String, name: String) {
        self.key = key
        self.name = name
    }
}
