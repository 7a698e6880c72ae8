public import TrawlCore

/// The GitHub bonus rules (20 points at most, only filling what the base rules missed).
///
/// Stars are popularity earned in the past; directory users complain that abandoned projects rank
/// high on them. So stars count fully only for a repository pushed within a year, half within two,
/// not at all after that or when archived. No GitHub data at all is "no bonus", never a penalty.
/// `github_updated` is read as the repository's last push.
extension HealthRules {
    static let noGitHub = "no GitHub data: no bonus (not a penalty)"

    /// 10 points from 1,000 stars; 7 from 250; 4 from 50; 2 from 10 — damped by inactivity.
    public static func githubStars(_ d: PackageDocument, now: Int64) -> HealthRuleResult {
        let max = HealthRule.githubStars.max
        guard d.hasGitHubData else { return HealthRuleResult(points: 0, max: max, why: noGitHub) }
        let stars = d.githubStars
        let earned = stars >= 1_000 ? 10 : stars >= 250 ? 7 : stars >= 50 ? 4 : stars >= 10 ? 2 : 0
        if d.githubArchived {
            return HealthRuleResult(points: 0, max: max, why: "\(stars) stars not counted: the repository is archived")
        }
        guard d.githubUpdated > 0 else {
            return HealthRuleResult(points: earned / 2, max: max, why: "\(stars) stars, half counted: last push unknown")
        }
        let days = Days.since(d.githubUpdated, now: now)
        if days > 730 {
            return HealthRuleResult(points: 0, max: max, why: "\(stars) stars not counted: no push for \(days) days (over two years)")
        }
        if days > 365 {
            return HealthRuleResult(points: earned / 2, max: max, why: "\(stars) stars, half counted: no push for \(days) days (over a year)")
        }
        return HealthRuleResult(points: earned, max: max, why: "\(stars) stars (full points from 1,000)")
    }

    /// 5 points for a push within 90 days; 2 within a year.
    public static func githubActivity(_ d: PackageDocument, now: Int64) -> HealthRuleResult {
        let max = HealthRule.githubActivity.max
        guard d.hasGitHubData else { return HealthRuleResult(points: 0, max: max, why: noGitHub) }
        if d.githubArchived { return HealthRuleResult(points: 0, max: max, why: "the repository is archived") }
        guard d.githubUpdated > 0 else { return HealthRuleResult(points: 0, max: max, why: "last push unknown") }
        let days = Days.since(d.githubUpdated, now: now)
        return HealthRuleResult(points: tier(days, [(90, 5), (365, 2)]), max: max, why: "last push \(days) days ago (full points within 90 days)")
    }

    /// 5 points for at most 1 open issue per 10 stars; 3 up to 1 per 4; 1 up to 1 per 2. Needs 10
    /// stars to mean anything; an archived or two-years-silent repository gets none.
    public static func githubIssues(_ d: PackageDocument, now: Int64) -> HealthRuleResult {
        let max = HealthRule.githubIssues.max
        guard d.hasGitHubData else { return HealthRuleResult(points: 0, max: max, why: noGitHub) }
        if d.githubArchived { return HealthRuleResult(points: 0, max: max, why: "the repository is archived") }
        if d.githubUpdated > 0, Days.since(d.githubUpdated, now: now) > 730 {
            return HealthRuleResult(points: 0, max: max, why: "no push for over two years: open issues are not being handled")
        }
        let stars = d.githubStars, issues = d.githubOpenIssues
        guard stars >= 10 else {
            return HealthRuleResult(points: 0, max: max, why: "\(stars) stars: too few for the issues-to-stars ratio to mean anything")
        }
        // Compare in integers: issues/stars ≤ 1/10 ⇔ 10·issues ≤ stars.
        let points = issues * 10 <= stars ? 5 : issues * 4 <= stars ? 3 : issues * 2 <= stars ? 1 : 0
        return HealthRuleResult(points: points, max: max, why: "\(issues) open issues for \(stars) stars (full points at 1 per 10 or fewer)")
    }
}
