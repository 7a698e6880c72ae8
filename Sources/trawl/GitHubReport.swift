import Foundation
import TrawlGitHub

/// The closing lines of a run that used the `github` enricher: cache use, and, when the budget ran
/// out, how many repositories are left and when GitHub's budget resets (to standard error, so
/// `--json` output stays one object).
enum GitHubReport {
    static func print(_ enricher: GitHubEnricher, quiet: Bool) {
        let t = enricher.summary
        if !quiet {
            Swift.print("github: \(t.fromCache) repositories from the cache, \(t.fetched) fetched, \(t.notModified) unchanged (304), \(t.notFound) not found, \(t.renamed) renamed; \(enricher.client.rate.graphQLPointsUsed) GraphQL points")
        }
        if !t.leftOver.isEmpty {
            let reset = GitHubBudgetExhausted(resetAt: t.resetAt).resetDescription
            Console.error("GitHub budget exhausted: \(t.leftOver.count) repositories left; the budget resets at \(reset); run again after that to resume")
        }
    }
}
