public import TrawlCore

/// The dependents bonus (10 points at most, only filling what the base rules missed).
///
/// A package that many others of its ecosystem require is load-bearing: its authors hear quickly
/// when it breaks, and the ecosystem has a stake in it. The count is the document's
/// `dependents_count` (packages of the same collection whose `requires_dist` names it, extras and
/// markers included), which `DependentsKeeper` keeps current; the score follows it because the
/// health enricher is rescored whenever that count changes.
extension HealthRules {
    /// 10 points from 25 dependents; 7 from 10; 4 from 3; 2 from 1.
    public static func dependents(_ d: PackageDocument) -> HealthRuleResult {
        let max = HealthRule.dependents.max
        let count = d.dependentsCount
        guard count > 0 else {
            return HealthRuleResult(points: 0, max: max, why: "no package of this ecosystem requires it (no bonus, not a penalty)")
        }
        let points = count >= 25 ? 10 : count >= 10 ? 7 : count >= 3 ? 4 : 2
        let packages = count == 1 ? "1 package" : "\(count) packages"
        return HealthRuleResult(points: points, max: max, why: "required by \(packages) of this ecosystem (full points from 25)")
    }
}
