/// Where Trawl keeps everything: documents, releases, caches, queue state.
///
/// Split into small protocols by concern so a test or a plugin can ask for just what it uses;
/// `Store` is all of them, implemented by the SQLite store (default) and the PostgreSQL store.
public protocol Store: DocumentStore, CollectionStore, ValidatorCache, GitHubCacheStore, DedupStore,
    ProblemStore, CheckpointStore, KeyStore, JobQueue, DocumentChangeFeed
{
    /// A description for logs that never contains a password.
    var redactedDescription: String { get }
    func close() async throws
}

/// A document with the releases kept beside it.
public struct StoredPackage: Sendable, Equatable {
    public var document: PackageDocument
    public var releases: [Release]

    public init(document: PackageDocument, releases: [Release] = []) {
        self.document = document
        self.releases = releases
    }
}

public protocol DocumentStore: Sendable {
    /// Inserts or replaces packages (one transaction for the whole batch).
    func upsert(_ packages: [StoredPackage], collection: String) async throws
    /// Looks a package up by any spelling of its name.
    func document(_ name: String, collection: String) async throws -> PackageDocument?
    /// Many documents in one read, keyed by normalized name (absent names are left out).
    func documents(_ names: [String], collection: String) async throws -> [String: PackageDocument]
    func releases(_ name: String, collection: String) async throws -> [Release]
    /// The releases of many packages in one read, keyed by normalized name.
    func releases(_ names: [String], collection: String) async throws -> [String: [Release]]
    /// Rewrites stored documents whose releases did not change, touching full-text rows and list
    /// terms only where `DocumentChange` says they changed. A document no longer stored is skipped.
    func update(_ changes: [DocumentChange], collection: String) async throws
    /// Every package's requirements and stored dependents count (`DependentsKeeper`'s graph).
    func requirementRows(collection: String) async throws -> [RequirementRow]
    /// Removes packages; returns how many existed.
    @discardableResult
    func removeDocuments(_ names: [String], collection: String) async throws -> Int
    func documentCount(collection: String) async throws -> Int
    /// Every normalized name of the collection, sorted.
    func documentNames(collection: String) async throws -> [String]
    /// A page of documents in normalized-name order after `cursor`: streaming without holding all.
    func documents(collection: String, after cursor: String?, limit: Int) async throws -> [PackageDocument]
    func search(_ query: SearchQuery, collection: String) async throws -> SearchResults
}

public protocol CollectionStore: Sendable {
    func ensureCollection(_ name: String, profile: String?) async throws
    func collections() async throws -> [CollectionInfo]
    /// Deletes a collection with its documents, releases and problems; aliases to it are removed.
    func deleteCollection(_ name: String) async throws
    func setAlias(_ alias: String, target: String) async throws
    func aliases() async throws -> [String: String]
    /// The collection behind an alias, or the name itself when it is a collection; nil when neither.
    func resolveCollection(_ nameOrAlias: String) async throws -> String?
}

public struct CollectionInfo: Sendable, Equatable, Codable {
    public var name: String
    public var profile: String?
    public var documents: Int
    public var createdAt: Int64

    public init(name: String, profile: String?, documents: Int, createdAt: Int64) {
        self.name = name
        self.profile = profile
        self.documents = documents
        self.createdAt = createdAt
    }
}

/// ETag/Last-Modified per URL with the body they validate, so a 304 can reuse the stored body.
public protocol ValidatorCache: Sendable {
    func cachedResponse(for url: String) async throws -> CachedResponse?
    /// May be written later (with the next document batch); `flushValidators()` writes it now.
    func saveCachedResponse(_ response: CachedResponse) async throws
    func flushValidators() async throws
}

extension ValidatorCache {
    public func flushValidators() async throws {}
}

public struct CachedResponse: Sendable, Equatable {
    public var url: String
    public var etag: String?
    public var lastModified: String?
    public var body: [UInt8]
    public var storedAt: Int64

    public init(url: String, etag: String?, lastModified: String?, body: [UInt8], storedAt: Int64) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.body = body
        self.storedAt = storedAt
    }
}

/// One table shared by every profile, keyed by lowercase `owner/repo`: a repository used by
/// packages of two profiles is fetched once.
public protocol GitHubCacheStore: Sendable {
    func githubRepos(_ keys: [String]) async throws -> [String: GitHubCacheEntry]
    func saveGitHubRepos(_ entries: [GitHubCacheEntry]) async throws
}

public struct GitHubCacheEntry: Sendable, Equatable {
    /// Lowercase `owner/repo`.
    public var key: String
    /// The repository data as JSON (the enricher's own shape).
    public var data: [UInt8]
    public var etag: String?
    public var fetchedAt: Int64
    /// HTTP-like status of the last fetch (200, 404, 301 …).
    public var status: Int

    public init(key: String, data: [UInt8], etag: String?, fetchedAt: Int64, status: Int) {
        self.key = key.lowercased()
        self.data = data
        self.etag = etag
        self.fetchedAt = fetchedAt
        self.status = status
    }
}

/// Keys such as `new:{name}` or `update:{name}:{version}` that expire, so a feed item is handled
/// once per TTL however often it is seen.
public protocol DedupStore: Sendable {
    /// Claims `key` for `ttl` seconds; false when it is already claimed and not expired.
    func claimDedupKey(_ key: String, ttl: Int64, now: Int64) async throws -> Bool
    @discardableResult
    func purgeExpiredDedupKeys(now: Int64) async throws -> Int
}

public protocol ProblemStore: Sendable {
    /// Records problems, replacing an earlier one of the same package and kind.
    func recordProblems(_ problems: [Problem], collection: String) async throws
    func problems(collection: String, package: String?) async throws -> [Problem]
    /// Clears packages' problems (all kinds when `kind` is nil), e.g. after a clean fetch.
    func clearProblems(packages: [String], kind: String?, collection: String) async throws
}

/// Named JSON blobs that let an interrupted run resume where it stopped.
public protocol CheckpointStore: Sendable {
    func checkpoint(_ name: String) async throws -> String?
    func saveCheckpoint(_ name: String, value: String) async throws
    func deleteCheckpoint(_ name: String) async throws
}

/// API keys, stored as hashes: the value is shown once at creation and never again.
public protocol KeyStore: Sendable {
    func createAPIKey(value: String, scope: APIKeyScope, collections: [String], description: String) async throws -> APIKeyInfo
    func apiKeys() async throws -> [APIKeyInfo]
    @discardableResult
    func deleteAPIKey(id: Int64) async throws -> Bool
    /// The key whose value this is (constant-time comparison of hashes), or nil.
    func findAPIKey(value: String) async throws -> APIKeyInfo?
}

public enum APIKeyScope: String, Sendable, Codable {
    case admin
    case search
}

public struct APIKeyInfo: Sendable, Equatable, Codable {
    public var id: Int64
    /// The first characters of the value, enough to tell keys apart in a list.
    public var prefix: String
    public var scope: APIKeyScope
    public var collections: [String]
    public var description: String
    public var createdAt: Int64

    public init(id: Int64, prefix: String, scope: APIKeyScope, collections: [String], description: String, createdAt: Int64) {
        self.id = id
        self.prefix = prefix
        self.scope = scope
        self.collections = collections
        self.description = description
        self.createdAt = createdAt
    }
}
