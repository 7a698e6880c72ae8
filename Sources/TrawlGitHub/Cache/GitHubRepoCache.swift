import Foundation
public import TrawlCore

/// The shared repository cache (`GitHubCacheStore`, one table for every profile) with its TTL:
/// an entry younger than the TTL is used as is; an older one is revalidated (REST with its ETag)
/// or fetched again in the next GraphQL batch.
public struct GitHubRepoCache: Sendable {
    public let store: any GitHubCacheStore
    public let ttl: Int64

    public init(store: any GitHubCacheStore, ttl: Int64) {
        self.store = store
        self.ttl = ttl
    }

    /// One cached answer about a repository.
    public enum Answer: Sendable, Equatable {
        case found(GitHubRepoData, etag: String?)
        /// Renamed: the old name answers with the new repository (recorded with status 301).
        case moved(GitHubRepoData, etag: String?)
        case notFound
    }

    public struct Hit: Sendable {
        public var answer: Answer
        public var fetchedAt: Int64
        public func isFresh(ttl: Int64, now: Int64) -> Bool { now - fetchedAt < ttl }
    }

    public func lookup(_ keys: [String]) async throws -> [String: Hit] {
        guard !keys.isEmpty else { return [:] }
        var hits: [String: Hit] = [:]
        for (key, entry) in try await store.githubRepos(keys) {
            switch entry.status {
            case 404:
                hits[key] = Hit(answer: .notFound, fetchedAt: entry.fetchedAt)
            case 200, 301:
                guard let data = try? JSONDecoder().decode(GitHubRepoData.self, from: Data(entry.data)) else { continue }
                hits[key] = Hit(answer: entry.status == 301 ? .moved(data, etag: entry.etag) : .found(data, etag: entry.etag), fetchedAt: entry.fetchedAt)
            default:
                continue
            }
        }
        return hits
    }

    public func save(_ answers: [String: Answer], now: Int64) async throws {
        var entries: [GitHubCacheEntry] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for (key, answer) in answers {
            switch answer {
            case .found(let data, let etag):
                entries.append(GitHubCacheEntry(key: key, data: Array(try encoder.encode(data)), etag: etag, fetchedAt: now, status: 200))
            case .moved(let data, let etag):
                entries.append(GitHubCacheEntry(key: key, data: Array(try encoder.encode(data)), etag: etag, fetchedAt: now, status: 301))
            case .notFound:
                entries.append(GitHubCacheEntry(key: key, data: [], etag: nil, fetchedAt: now, status: 404))
            }
        }
        try await store.saveGitHubRepos(entries)
    }

    public func monorepoPackages(_ names: [String]) async throws -> [String: MonorepoPackageData] {
        let keys = names.map(MonorepoPackageData.cacheKey)
        var result: [String: MonorepoPackageData] = [:]
        for (key, entry) in try await store.githubRepos(keys) where entry.status == 200 {
            if let data = try? JSONDecoder().decode(MonorepoPackageData.self, from: Data(entry.data)) {
                result[String(key.dropFirst("monorepo-package:".count))] = data
            }
        }
        return result
    }

    public func saveMonorepoPackages(_ packages: [String: MonorepoPackageData], now: Int64) async throws {
        let entries = try packages.map { name, data in
            GitHubCacheEntry(key: MonorepoPackageData.cacheKey(name), data: Array(try JSONEncoder().encode(data)), etag: nil, fetchedAt: now, status: 200)
        }
        try await store.saveGitHubRepos(entries)
    }
}
