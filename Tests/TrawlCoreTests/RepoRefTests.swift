import Testing
@testable import TrawlCore

@Suite struct RepoRefTests {
    @Test(arguments: [
        "https://github.com/Owner/Repo", "http://github.com/owner/repo", "https://www.github.com/owner/repo/",
        "https://github.com/owner/repo.git", "https://github.com/owner/repo/tree/main/sub", "https://github.com/owner/repo/blob/main/README.md",
        "https://github.com/owner/repo#readme", "https://github.com/owner/repo?tab=readme", "git+https://github.com/owner/repo.git",
        "git://github.com/owner/repo.git", "git@github.com:owner/repo.git", "ssh://git@github.com/owner/repo", "  https://github.com/owner/repo  ",
        "git+ssh://git@github.com/owner/repo.git", "ssh://git@github.com:22/owner/repo.git", "HTTPS://WWW.GITHUB.COM/OWNER/REPO/",
        "http://www.github.com/owner/repo/issues/12", "github.com/owner/repo", "https://github.com/owner/repo.git#egg=repo",
        "https://github.com/owner/repo/tree/main/sdk/python/packages/x", "git@github.com:owner/repo",
    ])
    func everyURLFormNamesTheSameRepository(_ url: String) throws {
        let repo = try #require(RepoRef.parse(url), "\(url)")
        #expect(repo.key == "owner/repo")
        #expect(repo == RepoRef(owner: "OWNER", name: "REPO"), "identity is case-insensitive")
    }

    @Test(arguments: [
        "https://github.com/sponsors/someone", "https://github.com/orgs/plone/repositories", "https://github.com/topics/django",
        "https://github.com/marketplace/actions/x", "https://github.com/owner",
        "https://github.com/settings/profile", "https://github.com/about/careers", "https://github.com/apps/dependabot",
        "https://github.com/collections/machine-learning", "https://github.com/sponsors/jane/", "https://gist.github.com/owner/abc123",
        "https://github.com/", "git@gitlab.com:owner/repo.git", "https://gitlab.com/owner/repo",
        "https://github.com.evil.invalid/owner/repo", "https://example.invalid/github.com/owner/repo", "", "not a url",
    ])
    func nonRepositoryURLsAreRejected(_ url: String) {
        #expect(RepoRef.parse(url) == nil, "\(url)")
    }

    @Test func detectionSkipsASponsorsLinkAndFollowsPriority() {
        let repo = RepoRef.detect(
            projectURLs: ["Funding": "https://github.com/sponsors/jane", "Homepage": "https://jane.invalid", "Source": "https://github.com/jane/pkg"],
            homePage: "https://github.com/other/fallback")
        #expect(repo?.key == "jane/pkg")
        let sponsorsOnly = RepoRef.detect(projectURLs: ["Sponsor": "https://github.com/sponsors/jane"], homePage: "https://github.com/jane/pkg2")
        #expect(sponsorsOnly?.key == "jane/pkg2", "a rejected URL makes detection look further, not give up")
        #expect(RepoRef.detect(projectURLs: [:], homePage: "", downloadURL: "https://github.com/a/b/archive/1.0.tar.gz")?.key == "a/b")
        #expect(RepoRef.detect(projectURLs: ["Docs": "https://docs.invalid"], homePage: "") == nil)
    }
}
