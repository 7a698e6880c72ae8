public import TrawlCore

/// Matches documents against a profile's `categories:` or `types:` rules. A rule's topics match
/// the package's GitHub topics; its keywords match the package's keywords (whole, or any word of
/// one), its topics, or a word of its name (`flet-charts` → `charts`). All case-insensitive.
/// The summary is deliberately not read: "data" or "ui" in running text tags far too much.
public struct CategoryMatcher: Sendable {
    public let rules: [String: CategoryRule]

    public init(_ rules: [String: CategoryRule]) {
        self.rules = rules
    }

    /// Every rule that matches, with how many of its terms did, most first then by name.
    public func matches(_ document: PackageDocument) -> [(name: String, hits: Int)] {
        let topics = Set(document.topics.map { $0.lowercased() })
        var words = topics
        for keyword in document.keywords {
            let k = keyword.lowercased().trimmingCharacters(in: .whitespaces)
            words.insert(k)
            words.formUnion(Self.split(k))
        }
        words.formUnion(Self.split(document.normalizedName))
        var result: [(name: String, hits: Int)] = []
        for (name, rule) in rules {
            let hits = Set(rule.topics.map { $0.lowercased() }).intersection(topics).count
                + Set(rule.keywords.map { $0.lowercased() }).intersection(words).count
            if hits > 0 { result.append((name, hits)) }
        }
        return result.sorted { $0.hits != $1.hits ? $0.hits > $1.hits : $0.name < $1.name }
    }

    /// The names of every matching rule, sorted.
    public func all(_ document: PackageDocument) -> [String] {
        matches(document).map(\.name).sorted()
    }

    /// The best matching rule (most terms matched, then by name), or nil.
    public func best(_ document: PackageDocument) -> String? {
        matches(document).first?.name
    }

    static func split(_ text: String) -> [String] {
        text.split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }
}
