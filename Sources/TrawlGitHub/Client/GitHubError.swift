/// A GitHub answer Trawl cannot use. Messages carry the path, never a header (the token).
public enum GitHubError: Error, Sendable, CustomStringConvertible {
    case status(path: String, status: Int, message: String)
    case graphQL([String])
    case badBody(path: String)
    case unauthorized(path: String)

    public var description: String {
        switch self {
        case .status(let path, let status, let message): "GitHub \(path): HTTP \(status)\(message.isEmpty ? "" : ": \(message)")"
        case .graphQL(let messages): "GitHub GraphQL: \(messages.joined(separator: "; "))"
        case .badBody(let path): "GitHub \(path): unreadable answer"
        case .unauthorized(let path): "GitHub \(path): authentication required (set GITHUB_TOKEN)"
        }
    }
}

/// GitHub could not be reached (connection refused, DNS, timeouts after retries). Like an
/// unreachable downloads upstream, this keeps every package's previous GitHub fields and is not a
/// per-package problem: the next run tries again.
public struct GitHubUnreachable: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "GitHub unreachable: \(reason)" }
}
