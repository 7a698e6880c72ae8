/// Something that went wrong for one package (bad upstream data, a 404 repository, …).
/// Problems are recorded and listed, never fatal: the rest of a crawl goes on.
public struct Problem: Codable, Sendable, Equatable {
    public var package: String
    /// A short machine-readable category, e.g. `pypi-json`, `github-404`, `no-pypi-package`.
    public var kind: String
    public var message: String
    public var seenAt: Int64

    public init(package: String, kind: String, message: String, seenAt: Int64) {
        self.package = package
        self.kind = kind
        self.message = message
        self.seenAt = seenAt
    }

    enum CodingKeys: String, CodingKey {
        case package, kind, message
        case seenAt = "seen_at"
    }
}
