public import TrawlCore

/// A package's 0–100 health score with the rule-by-rule breakdown it is the sum of, so the
/// package page can say why a package scores what it scores. Computed from the stored document
/// alone: recomputing needs no network.
public struct HealthScore: Sendable, Equatable {
    public var score: Int
    public var breakdown: [String: HealthRuleResult]

    public init(score: Int, breakdown: [String: HealthRuleResult]) {
        self.score = score
        self.breakdown = breakdown
    }

    /// Scores `document` as of `now` (seconds since 1970).
    public static func compute(_ document: PackageDocument, now: Int64) -> HealthScore {
        let base: [HealthRule: HealthRuleResult] = [
            .recency: HealthRules.recency(document, now: now),
            .description: HealthRules.description(document),
            .docsURL: HealthRules.docsURL(document),
            .docsLink: HealthRules.docsLink(document),
            .screenshot: HealthRules.screenshot(document),
            .author: HealthRules.author(document),
            .license: HealthRules.license(document),
            .classifiers: HealthRules.classifiers(document),
        ]
        var bonus: [(HealthRule, HealthRuleResult)] = [
            (.githubStars, HealthRules.githubStars(document, now: now)),
            (.githubActivity, HealthRules.githubActivity(document, now: now)),
            (.githubIssues, HealthRules.githubIssues(document, now: now)),
            (.dependents, HealthRules.dependents(document)),
        ]
        let basePoints = base.values.reduce(0) { $0 + $1.points }
        capBonus(&bonus, room: HealthRule.ceiling - basePoints)
        var penalties: [(HealthRule, HealthRuleResult)] = [
            (.developmentStatus, HealthRules.developmentStatus(document)),
            (.vulnerabilities, HealthRules.vulnerabilities(document)),
        ]
        floorPenalties(&penalties, earned: basePoints + bonus.reduce(0) { $0 + $1.1.points })
        var breakdown: [String: HealthRuleResult] = [:]
        for (rule, result) in base { breakdown[rule.rawValue] = result }
        for (rule, result) in bonus { breakdown[rule.rawValue] = result }
        for (rule, result) in penalties { breakdown[rule.rawValue] = result }
        return HealthScore(score: breakdown.values.reduce(0) { $0 + $1.points }, breakdown: breakdown)
    }

    /// Bonus points only fill what the base rules missed: trims the last rules first and says so
    /// in their `why`, so the breakdown still adds up to the score.
    static func capBonus(_ bonus: inout [(HealthRule, HealthRuleResult)], room: Int) {
        var excess = bonus.reduce(0) { $0 + $1.1.points } - max(0, room)
        var i = bonus.count - 1
        while excess > 0 && i >= 0 {
            let earned = bonus[i].1.points
            let cut = min(earned, excess)
            if cut > 0 {
                bonus[i].1.points = earned - cut
                bonus[i].1.why += "; \(earned - cut) of \(earned) counted (the score is capped at \(HealthRule.ceiling))"
                excess -= cut
            }
            i -= 1
        }
    }
}

extension HealthScore {
    /// Penalties take away at most what was earned (the score does not go below 0): trims the last
    /// rules first and says so in their `why`, so the breakdown still adds up to the score.
    static func floorPenalties(_ penalties: inout [(HealthRule, HealthRuleResult)], earned: Int) {
        var excess = -(penalties.reduce(0) { $0 + $1.1.points }) - max(0, earned)
        var i = penalties.count - 1
        while excess > 0 && i >= 0 {
            let lost = -penalties[i].1.points
            let cut = min(lost, excess)
            if cut > 0 {
                penalties[i].1.points = -(lost - cut)
                penalties[i].1.why += "; \(lost - cut) of \(lost) taken (the score does not go below 0)"
                excess -= cut
            }
            i -= 1
        }
    }
}

extension PackageDocument {
    /// Sets `health_score` and its breakdown.
    public mutating func applyHealth(now: Int64) {
        let health = HealthScore.compute(self, now: now)
        healthScore = health.score
        healthScoreBreakdown = health.breakdown
    }
}
