public import Foundation
import Synchronization

/// Settings from the environment and a `.env` file (real variables win), docs/design.md §3.
/// Defaults point at the public services; tests point every base URL at loopback fakes.
public struct TrawlConfig: Sendable {
    public static let defaultStore = "sqlite:.trawl/trawl.sqlite"
    public static let defaultGitHubAPI = "https://api.github.com"
    public static let defaultClickHouse = "https://sql-clickhouse.clickhouse.com"
    public static let defaultPyPIStats = "https://pypistats.org"

    /// The merged variables (`.env` first, then the process environment on top).
    public let environment: [String: String]
    private let pypiResolution: PyPIResolution

    public init(environment: [String: String]) {
        self.environment = environment
        self.pypiResolution = PyPIResolution()
    }

    /// Reads `.env` from `directory` (the working directory by default) under the process environment.
    public static func load(processEnvironment: [String: String] = ProcessInfo.processInfo.environment, directory: String? = nil) -> TrawlConfig {
        let dir = directory ?? FileManager.default.currentDirectoryPath
        var merged = DotEnv.load(path: (dir as NSString).appendingPathComponent(".env"))
        merged.merge(processEnvironment) { _, real in real }
        return TrawlConfig(environment: merged)
    }

    public func value(_ name: String) -> String? {
        guard let v = environment[name], !v.isEmpty else { return nil }
        return v
    }

    public var storeURL: String { value("TRAWL_STORE") ?? Self.defaultStore }
    public var profilesDirectory: String? { value("TRAWL_PROFILES_DIR") }
    public var defaultProfile: String? { value("TRAWL_DEFAULT_PROFILE") ?? value("DEFAULT_PROFILE") }
    public var githubAPIURL: String { trimmed(value("TRAWL_GITHUB_API_URL") ?? Self.defaultGitHubAPI) }
    public var githubToken: Secret? { value("GITHUB_TOKEN").map(Secret.init) }
    public var clickhouseURL: String { trimmed(value("TRAWL_CLICKHOUSE_URL") ?? Self.defaultClickHouse) }
    public var clickhouseUser: String { value("TRAWL_CLICKHOUSE_USER") ?? "demo" }
    public var clickhousePassword: Secret { Secret(value("TRAWL_CLICKHOUSE_PASSWORD") ?? "") }
    public var pypistatsURL: String { trimmed(value("TRAWL_PYPISTATS_URL") ?? Self.defaultPyPIStats) }
    public var typesenseURL: String? { value("TRAWL_TYPESENSE_URL").map(trimmed) }
    public var typesenseAPIKey: Secret? { value("TRAWL_TYPESENSE_API_KEY").map(Secret.init) }
    public var adminKey: Secret? { value("TRAWL_ADMIN_KEY").map(Secret.init) }

    /// Seconds, from a variable or a default.
    public func seconds(_ name: String, default fallback: Int64) -> Int64 {
        value(name).flatMap { Int64($0) } ?? fallback
    }

    /// The package index base URL (see `PyPIIndexResolver`); resolved once, on first use, because
    /// asking pip costs a subprocess.
    public func pypiURL() throws -> String {
        try pypiResolution.resolve(environment)
    }

    private func trimmed(_ url: String) -> String {
        var u = url
        while u.hasSuffix("/") { u.removeLast() }
        return u
    }
}

private final class PyPIResolution: Sendable {
    private let cached = Mutex<String?>(nil)

    func resolve(_ environment: [String: String]) throws -> String {
        if let url = cached.withLock({ $0 }) { return url }
        let url = try PyPIIndexResolver.resolve(environment: environment)
        cached.withLock { $0 = url }
        return url
    }
}
