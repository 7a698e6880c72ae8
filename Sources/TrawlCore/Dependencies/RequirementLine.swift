/// One `requires_dist` entry as far as the ecosystem graph needs it (PEP 508): the project it
/// names, and whether its environment marker makes it conditional — on an extra
/// (`; extra == "redis"`) or on a platform (`; sys_platform == "win32"`). Versions are not needed:
/// "used by" counts a requirement whatever range it asks for.
public struct RequirementLine: Sendable, Equatable {
    public enum Condition: String, Sendable, Encodable {
        /// Only with an extra of the requiring package.
        case extra
        /// Only on some platforms or Python implementations.
        case platform
        /// Only under another marker (a Python version, …).
        case marker
    }

    /// PEP 503 normalized project name.
    public var name: String
    /// nil: always required.
    public var condition: Condition?

    public init(name: String, condition: Condition?) {
        self.name = name
        self.condition = condition
    }

    static let platformVariables = ["sys_platform", "platform_system", "os_name", "platform_machine", "implementation_name",
                                    "platform_python_implementation", "platform_release", "platform_version"]

    /// nil when the line does not start with a project name (PEP 508: letters, digits, `.`, `_`,
    /// `-`, starting and ending with a letter or digit), or is longer than any real requirement.
    public static func parse(_ line: String) -> RequirementLine? {
        guard line.utf8.count <= 4_096 else { return nil }
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        var name = String(trimmed.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        while let last = name.last, !(last.isLetter || last.isNumber) { name.removeLast() }
        guard let first = name.first, first.isLetter || first.isNumber else { return nil }
        var condition: Condition?
        if let semicolon = line.firstIndex(of: ";") {
            let marker = line[line.index(after: semicolon)...].lowercased()
            if marker.contains("extra") {
                condition = .extra
            } else if platformVariables.contains(where: { marker.contains($0) }) {
                condition = .platform
            } else if marker.contains(where: { !$0.isWhitespace }) {
                condition = .marker
            }
        }
        return RequirementLine(name: PackageName.normalize(name), condition: condition)
    }
}
