public import TrawlCore

/// The penalty rules: what the authors or the advisories say against using a package, whatever
/// the rest of its metadata looks like. Each has a maximum of 0 and negative points.
extension HealthRules {
    /// `Development Status :: 7 - Inactive`: −40, as much as recency can give (the authors say no
    /// further work will happen, like an archived repository). `1 - Planning`: −20 (nothing usable
    /// yet). Any other status, or none: 0.
    public static func developmentStatus(_ d: PackageDocument) -> HealthRuleResult {
        let statuses = d.classifiers.filter { $0.hasPrefix("Development Status ::") }
        if statuses.contains(where: { $0.contains("7 - Inactive") }) {
            return HealthRuleResult(points: HealthRule.developmentStatus.worst, max: 0,
                                    why: "classifier 'Development Status :: 7 - Inactive': the authors declare it no longer maintained")
        }
        if statuses.contains(where: { $0.contains("1 - Planning") }) {
            return HealthRuleResult(points: -20, max: 0, why: "classifier 'Development Status :: 1 - Planning': not meant for use yet")
        }
        if let status = statuses.first {
            return HealthRuleResult(points: 0, max: 0, why: "\(status.dropFirst("Development Status :: ".count).prefix(60)): no deduction")
        }
        return HealthRuleResult(points: 0, max: 0, why: "no development status classifier: no deduction")
    }

    /// Known vulnerabilities of the current version (the index's project JSON lists them): −20 each,
    /// at most −40.
    public static func vulnerabilities(_ d: PackageDocument) -> HealthRuleResult {
        let count = d.vulnerabilities.count
        guard count > 0 else { return HealthRuleResult(points: 0, max: 0, why: "no known vulnerability in the current version") }
        let ids = d.vulnerabilities.prefix(3).map(\.id).joined(separator: ", ") + (count > 3 ? ", …" : "")
        return HealthRuleResult(points: max(HealthRule.vulnerabilities.worst, -20 * count), max: 0,
                                why: "\(count) known vulnerabilit\(count == 1 ? "y" : "ies") in the current version (\(ids)); −20 each, at most −40")
    }
}
