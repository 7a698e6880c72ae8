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
    public var githubAPIURL: String { base("TRAWL_GITHUB_API_URL") ?? Self.defaultGitHubAPI }
    public var githubToken: Secret? { value("GITHUB_TOKEN").map(Secret.init) }
    public var clickhouseURL: String { base("TRAWL_CLICKHOUSE_URL") ?? Self.defaultClickHouse }
    public var clickhouseUser: String { value("TRAWL_CLICKHOUSE_USER") ?? "demo" }
    public var clickhousePassword: Secret { Secret(value("TRAWL_CLICKHOUSE_PASSWORD") ?? "") }
    public var pypistatsURL: String { base("TRAWL_PYPISTATS_URL") ?? Self.defaultPyPIStats }
    public var typesenseURL: String? { base("TRAWL_TYPESENSE_URL") }
    public var typesenseAPIKey: Secret? { value("TRAWL_TYPESENSE_API_KEY").map(Secret.init) }
    public var adminKey: Secret? { value("TRAWL_ADMIN_KEY").map(Secret.init) }

    /// Seconds, from a variable or a default; kept within 0…10 years so a typo cannot overflow a
    /// `Duration` or a timestamp sum.
    public func seconds(_ name: String, default fallback: Int64) -> Int64 {
        guard let value = value(name).flatMap({ BoundedNumber.integer($0) }) else { return fallback }
        return min(max(value, 0), 10 * 365 * 86_400)
    }

    /// A whole number from a variable, clamped into `range`; nil when unset or not a number.
    public func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
        value(name).flatMap { BoundedNumber.integer($0) }.map { BoundedNumber.int(clamping: $0, to: range) }
    }

    /// The HTTP layer's settings: retries, concurrency and credentials from the variables.
    public func httpConfiguration() -> HTTPFetcher.Configuration {
        var config = HTTPFetcher.Configuration(credentials: credentials())
        if let attempts = integer("TRAWL_HTTP_MAX_ATTEMPTS", in: 1...20) { config.retry.maxAttempts = attempts }
        if let ms = integer("TRAWL_HTTP_BACKOFF_MS", in: 1...60_000) {
            config.retry.baseDelay = .milliseconds(ms)
            config.retry.maxDelay = .milliseconds(ms * 20)
        }
        if let seconds = integer("TRAWL_MAX_RETRY_WAIT", in: 0...604_800) { config.retry.maxWait = .seconds(seconds) }
        if let n = integer("TRAWL_PYPI_CONCURRENCY", in: 1...256) { config.concurrency[.pypi] = n }
        if let n = integer("TRAWL_GITHUB_CONCURRENCY", in: 1...64) { config.concurrency[.github] = n }
        return config
    }

    /// The package index base URL (see `PyPIIndexResolver`), without any credentials it was written
    /// with (those go to `credentials()`); resolved once, on first use, because asking pip costs a
    /// subprocess.
    public func pypiURL() throws -> String {
        try pypiResolution.resolve(environment).url
    }

    /// Authorization per origin, from credentials written into the upstream base URLs (a private
    /// mirror's `https://user:token@host/simple`). The fetcher sends each only to its own origin.
    public func credentials() -> [String: Secret] {
        var out: [String: Secret] = [:]
        if let index = try? pypiResolution.resolve(environment), let origin = index.origin, let authorization = index.authorization {
            out[origin] = authorization
        }
        for name in ["TRAWL_GITHUB_API_URL", "TRAWL_CLICKHOUSE_URL", "TRAWL_PYPISTATS_URL", "TRAWL_TYPESENSE_URL"] {
            guard let raw = value(name) else { continue }
            let split = URLCredentials.split(raw)
            if let origin = split.origin, let authorization = split.authorization { out[origin] = authorization }
        }
        return out
    }

    /// A base URL variable without trailing slashes and without credentials (see `credentials()`).
    private func base(_ name: String) -> String? {
        value(name).map { trimmed(URLCredentials.split($0).url) }
    }

    private func trimmed(_ url: String) -> String {
        var u = url
        while u.hasSuffix("/") { u.removeLast() }
        return u
    }
}

private final class PyPIResolution: Sendable {
    typealias Resolved = (url: String, origin: String?, authorization: Secret?)
    private let cached = Mutex<Resolved?>(nil)

    func resolve(_ environment: [String: String]) throws -> Resolved {
        if let resolved = cached.withLock({ $0 }) { return resolved }
        let resolved = URLCredentials.split(try PyPIIndexResolver.resolve(environment: environment))
        cached.withLock { $0 = resolved }
        return resolved
    }
}
