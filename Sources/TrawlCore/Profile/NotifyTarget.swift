/// What a webhook receiver is told about: a package new to the collection, or a stored package
/// whose version changed.
public enum NotifyEventKind: String, Sendable, Codable, CaseIterable, Comparable {
    case new
    case release

    public static func < (lhs: NotifyEventKind, rhs: NotifyEventKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One `notify:` entry of a profile: a receiver URL, the events it wants, and the name of the
/// environment variable holding its HMAC secret. The secret itself is never in the profile file
/// (profiles are shared, embedded and printed by `profiles show`); only its variable's name is.
public struct NotifyTarget: Sendable, Equatable {
    /// The URL as written, possibly with `user:password@` credentials: use `receiver` to show,
    /// store or compare it, and `authorization` to send the credentials.
    public var url: String
    public var events: [NotifyEventKind]
    /// The environment variable (or `.env` entry) holding the HMAC-SHA256 secret.
    public var secretEnv: String
    /// The line of the entry in its profile file (0 when built in code).
    public var line: Int

    public init(url: String, events: [NotifyEventKind], secretEnv: String, line: Int = 0) {
        self.url = url
        self.events = events
        self.secretEnv = secretEnv
        self.line = line
    }

    /// The URL without any credentials: what job arguments, logs and errors carry, and what a
    /// queued job is matched against when it is delivered.
    public var receiver: String { URLCredentials.split(url).url }

    /// `Authorization: Basic …` for credentials written into the URL (nil without any).
    public var authorization: Secret? { URLCredentials.split(url).authorization }

    public func wants(_ kind: NotifyEventKind) -> Bool { events.contains(kind) }
}
