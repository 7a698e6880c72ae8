public import TrawlCore

/// The `accept` rules of `github-topic`: a repository's PyPI package belongs to the profile only
/// if it passes one of them (a topic alone is too loose: anyone may tag anything).
public struct AcceptRules: Sendable, Equatable {
    public static let all = ["name-prefix", "requires", "mentions"]

    /// The normalized project the rules are about (the topic, e.g. `flet`).
    public var project: String
    public var rules: [String]

    public init(project: String, rules: [String]) {
        self.project = PackageName.normalize(project)
        self.rules = rules.isEmpty ? Self.all : rules
    }

    /// The project itself (the framework's own repository carries its topic too) is never a hit.
    public func accepts(name: String, summary: String, keywords: [String], requiresDist: [String]) -> Bool {
        guard PackageName.normalize(name) != project else { return false }
        return rules.contains { rule in
            switch rule {
            case "name-prefix":
                return PackageName.normalize(name).hasPrefix(project + "-")
            case "requires":
                return requiresDist.contains { RequirementLine.parse($0)?.name == project }
            case "mentions":
                let words = Set((summary + " " + keywords.joined(separator: " ")).lowercased()
                    .split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }).map { PackageName.normalize(String($0)) })
                return words.contains(project)
            default:
                return false
            }
        }
    }

    public func accepts(_ info: PyPIProjectInfo) -> Bool {
        accepts(name: info.name, summary: info.summary, keywords: info.keywords, requiresDist: info.requiresDist)
    }

    public func accepts(_ document: PackageDocument) -> Bool {
        accepts(name: document.name, summary: document.summary, keywords: document.keywords, requiresDist: document.requiresDist)
    }

}
