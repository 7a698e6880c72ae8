/// The rules of the health score, by the key they have in `health_score_breakdown`. The base rules'
/// maxima add up to 100; the GitHub rules and the dependents rule are a bonus that can only fill points missed elsewhere
/// (the score is capped at 100), so a package without GitHub data loses nothing. The penalty rules
/// (declared inactive or planning, known vulnerabilities) have a maximum of 0 and take points away;
/// the score never goes below 0.
/// `docs/health-score.md` states every threshold and why.
public enum HealthRule: String, Sendable, CaseIterable {
    case recency
    case description
    case docsURL = "docs_url"
    case docsLink = "docs_link"
    case screenshot
    case author
    case license
    case classifiers
    case githubStars = "github_stars"
    case githubActivity = "github_activity"
    case githubIssues = "github_issues"
    case dependents
    case developmentStatus = "development_status"
    case vulnerabilities

    public var max: Int {
        switch self {
        case .recency: 40
        case .description: 10
        case .docsURL, .docsLink: 5
        case .screenshot: 10
        case .author, .license, .classifiers: 10
        case .githubStars: 10
        case .githubActivity, .githubIssues: 5
        case .dependents: 10
        case .developmentStatus, .vulnerabilities: 0
        }
    }

    public var isBonus: Bool {
        switch self {
        case .githubStars, .githubActivity, .githubIssues, .dependents: true
        default: false
        }
    }

    public var isPenalty: Bool {
        switch self {
        case .developmentStatus, .vulnerabilities: true
        default: false
        }
    }

    /// The largest deduction of each penalty rule (a negative number).
    public var worst: Int {
        switch self {
        case .developmentStatus: -40
        case .vulnerabilities: -40
        default: 0
        }
    }

    /// The score's ceiling; also the sum of the base rules' maxima.
    public static let ceiling = 100
}
