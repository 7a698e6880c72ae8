/// `python_versions` for packages whose classifiers name no Python version: the known CPython
/// minor versions that a `requires_python` specifier (PEP 440: `>=`, `>`, `<=`, `<`, `==`, `!=`,
/// `~=`, `.*` wildcards) allows for at least one of their releases.
enum PythonVersions {
    /// CPython minor versions a specifier is checked against (extend when a new one is released).
    static let known: [(Int, Int)] = [(2, 7)] + (0...14).map { (3, $0) }

    static func allowed(by specifier: String) -> [String] {
        let clauses = specifier.split(separator: ",").map { $0.filter { !$0.isWhitespace } }.filter { !$0.isEmpty }
        guard !clauses.isEmpty, clauses.count <= 20 else { return [] }
        var parsed: [Clause] = []
        for text in clauses {
            guard let clause = Clause(String(text)) else { return [] }  // unreadable: claim nothing
            parsed.append(clause)
        }
        return known.filter { version in parsed.allSatisfy { $0.allows(minor: version) } }.map { "\($0.0).\($0.1)" }
    }

    struct Clause {
        var op: String
        var release: [Int]
        var wildcard: Bool

        init?(_ text: String) {
            let ops = ["~=", "==", "!=", "<=", ">=", "<", ">"]
            guard let op = ops.first(where: { text.hasPrefix($0) }) else { return nil }
            self.op = op
            var version = text.dropFirst(op.count)
            if version.hasPrefix("=") { version = version.dropFirst() }  // "===" taken as "=="
            wildcard = version.hasSuffix(".*")
            if wildcard { version = version.dropLast(2) }
            // The release segment only (a pre/post/dev suffix does not move a minor version in or out).
            let numbers = version.split(separator: ".").prefix(3).map { part in Int(part.prefix { $0.isNumber }.prefix(6)) }
            guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) else { return nil }
            release = numbers.map { $0! }
        }

        /// Whether some patch release of `minor` satisfies the clause.
        func allows(minor: (Int, Int)) -> Bool {
            (0...40).contains { patch in satisfied(by: [minor.0, minor.1, patch]) }
        }

        func satisfied(by v: [Int]) -> Bool {
            let spec = release + Array(repeating: 0, count: max(0, 3 - release.count))
            let cmp = Self.compare(v, spec)
            switch op {
            case "==": return wildcard ? Array(v.prefix(release.count)) == release : cmp == 0
            case "!=": return wildcard ? Array(v.prefix(release.count)) != release : cmp != 0
            case ">=": return cmp >= 0
            case "<=": return cmp <= 0
            case ">": return cmp > 0
            case "<": return cmp < 0
            case "~=":
                guard release.count >= 2 else { return cmp >= 0 }
                return cmp >= 0 && Array(v.prefix(release.count - 1)) == Array(release.prefix(release.count - 1))
            default: return false
            }
        }

        static func compare(_ a: [Int], _ b: [Int]) -> Int {
            for i in 0..<3 where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            return 0
        }
    }
}
