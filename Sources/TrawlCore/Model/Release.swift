/// One release of a package, kept beside its document (the document holds only the latest).
public struct Release: Codable, Sendable, Equatable {
    public var version: String
    /// Seconds since 1970 (UTC) of the earliest file upload of the release; 0 if it has no files.
    public var uploadTimestamp: Int64
    public var yanked: Bool
    public var requiresPython: String

    public init(version: String, uploadTimestamp: Int64, yanked: Bool = false, requiresPython: String = "") {
        self.version = version
        self.uploadTimestamp = uploadTimestamp
        self.yanked = yanked
        self.requiresPython = requiresPython
    }

    enum CodingKeys: String, CodingKey {
        case version, yanked
        case uploadTimestamp = "upload_timestamp"
        case requiresPython = "requires_python"
    }
}
