import TrawlCore

/// The project a `requires_dist` entry names: `Flet[all] (>=0.21) ; extra == "x"` → `flet`.
enum Requirement {
    static func projectName(_ requirement: String) -> String? {
        var name = ""
        for ch in requirement.drop(while: { $0 == " " }) {
            if ch.isLetter || ch.isNumber || ch == "-" || ch == "_" || ch == "." { name.append(ch) } else { break }
        }
        return name.isEmpty ? nil : PackageName.normalize(name)
    }

    static func names(_ document: PackageDocument) -> Set<String> {
        Set(document.requiresDist.compactMap(projectName))
    }
}
