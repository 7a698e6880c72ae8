import TrawlCore

/// The projects a document's `requires_dist` names: `Flet[all] (>=0.21) ; extra == "x"` → `flet`
/// (parsed by `RequirementLine`, the one requirement parser).
enum Requirement {
    static func names(_ document: PackageDocument) -> Set<String> {
        Set(document.requiresDist.compactMap { RequirementLine.parse($0)?.name })
    }
}
