/// One thing wrong with a profile file, located by file and line so a user can fix it directly.
public struct ProfileIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// Every problem found while loading profiles; nothing is used when any is present (exit code 2).
public struct ProfileLoadError: Error, Sendable, CustomStringConvertible {
    public var issues: [ProfileIssue]

    public init(issues: [ProfileIssue]) {
        self.issues = issues
    }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
