/// A credential (GitHub token, admin key, passwords). Its description is always redacted, so
/// interpolating one into a log line, an error or `--verbose` output cannot leak it.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
