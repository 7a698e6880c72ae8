import Foundation
import TrawlCore

/// The distribution name a repository declares in `pyproject.toml` (`[project]` or
/// `[tool.poetry]`), `setup.cfg` (`[metadata]`) or `setup.py` (`name=`): how a topic hit whose
/// repository name is not its PyPI name is still mapped.
enum DeclaredPackageName {
    static let files = ["pyproject.toml", "setup.cfg", "setup.py"]

    /// The first name found, in the order of `files`.
    static func parse(_ texts: [String: String]) -> String? {
        if let text = texts["pyproject.toml"], let name = section(text, ["project", "tool.poetry"], quoted: true) { return name }
        if let text = texts["setup.cfg"], let name = section(text, ["metadata"], quoted: false) { return name }
        if let text = texts["setup.py"], let name = setupPy(text) { return name }
        return nil
    }

    /// `name = …` inside one of `sections` of an INI/TOML-like text.
    static func section(_ text: String, _ sections: [String], quoted: Bool) -> String? {
        var current = ""
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                current = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                continue
            }
            guard sections.contains(current), let eq = line.firstIndex(of: "="),
                line[..<eq].trimmingCharacters(in: .whitespaces) == "name" else { continue }
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if let hash = value.firstIndex(of: "#"), quoted || value.first != "\"" { value = String(value[..<hash]).trimmingCharacters(in: .whitespaces) }
            value = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            if valid(value) { return value }
        }
        return nil
    }

    static func setupPy(_ text: String) -> String? {
        guard let range = text.range(of: #"\bname\s*=\s*["']([A-Za-z0-9][A-Za-z0-9._-]*)["']"#, options: .regularExpression) else { return nil }
        let match = text[range]
        guard let open = match.firstIndex(where: { $0 == "\"" || $0 == "'" }) else { return nil }
        let value = match[match.index(after: open)...].dropLast()
        return valid(String(value)) ? String(value) : nil
    }

    static func valid(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
    }
}

/// Reads those files for many repositories, 100 per GraphQL query (three `object(expression:)`
/// blobs each, about one point per query). Without a token it reads nothing: three REST calls per
/// repository would spend the 60 an hour the enricher needs.
struct DeclaredNameFetcher: Sendable {
    let client: GitHubClient

    /// Declared names by lowercase `owner/repo`; repositories without one are left out.
    func names(_ repos: [RepoRef]) async -> [String: String] {
        var result: [String: String] = [:]
        guard client.hasToken else { return result }
        for start in stride(from: 0, to: repos.count, by: 100) {
            let batch = Array(repos[start..<min(start + 100, repos.count)])
            let blobs = DeclaredPackageName.files.enumerated()
                .map { i, file in "f\(i): object(expression: \"HEAD:\(file)\") { ... on Blob { text } }" }.joined(separator: " ")
            let query = "query {\n" + batch.enumerated().map { i, ref in
                "  r\(i): repository(owner: \"\(ref.owner)\", name: \"\(ref.name)\") { \(blobs) }"
            }.joined(separator: "\n") + "\n}"
            guard let answer = try? await client.graphQL(query) else { break }
            for (i, ref) in batch.enumerated() {
                guard let repo = answer.data["r\(i)"] as? [String: Any] else { continue }
                var texts: [String: String] = [:]
                for (j, file) in DeclaredPackageName.files.enumerated() {
                    if let text = (repo["f\(j)"] as? [String: Any])?["text"] as? String { texts[file] = text }
                }
                if let name = DeclaredPackageName.parse(texts) { result[ref.key] = name }
            }
        }
        return result
    }
}
