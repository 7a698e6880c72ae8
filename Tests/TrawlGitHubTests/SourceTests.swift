import Foundation
import TestSupport
import Testing
import TrawlCore
@testable import TrawlGitHub
import TrawlStore

/// Collects what a source emits.
actor Emitted {
    var candidates: [Candidate] = []
    func add(_ c: Candidate) { candidates.append(c) }
}

@Suite(.serialized) struct TopicSourceTests {
    static func discover(_ source: any Source) async throws -> ([Candidate], DiscoveryReport) {
        let emitted = Emitted()
        let report = try await source.discover { await emitted.add($0) }
        return (await emitted.candidates, report)
    }

    @Test func twoThousandFiveHundredResultsAreFoundCompletely() async throws {
        // 2,500 repositories over seven years: one search would stop at 1,000.
        let repos = (0..<2_500).map { i -> [String: Any] in
            let day = 1 + (i * 7) % 2_555
            let created = Date(timeIntervalSince1970: 1_546_300_800 + TimeInterval(day) * 86_400).formatted(.iso8601)
            return GitHubFake.repo("dev\(i % 40)", String(format: "flet-thing%04d", i), topics: ["flet"], created: created)
        }
        let pypi = try await FakePyPI.start((0..<2_500).map { i in FakePyPI.Project(name: String(format: "flet-thing%04d", i), requiresDist: ["flet>=0.21"]) })
        defer { Task { try? await pypi.shutdown() } }
        guard let h = try await GitHubHarness.start(["repos": repos]) else { return }
        defer { Task { try? await h.shutdown() } }
        let source = try TopicSource(options: PluginOptions(["topic": .string("flet"), "language": .string("python")]), context: h.context(pypi: pypi.baseURL))
        let (candidates, report) = try await Self.discover(source)
        #expect(Set(candidates.map(\.normalizedName)).count == 2_500, "every result, past the 1,000 cap")
        #expect(report.unmatched.isEmpty && report.problems.isEmpty)
        #expect(await h.fake.stat("search_requests") < 80, "split into date ranges, not one query per repository")
    }

    @Test func hitsMapToPyPIPackagesAndOnlyAcceptedOnesCount() async throws {
        let repos: [[String: Any]] = [
            GitHubFake.repo("a", "flet-charts", topics: ["flet"]),            // name prefix
            GitHubFake.repo("b", "python-sparkle", topics: ["flet"]),         // package "sparkle" requires flet
            GitHubFake.repo("c", "Cool_Widgets", topics: ["flet"]),           // mentions flet in its summary
            GitHubFake.repo("d", "unrelated", topics: ["flet"]),              // on PyPI, but nothing to do with flet
            GitHubFake.repo("e", "my-flet-app", topics: ["flet"]),            // an app: no PyPI package
            GitHubFake.repo("f", "flet-other", topics: ["other"]),            // another topic
            GitHubFake.repo("g", "widgets-repo", topics: ["flet"], extra: [    // its pyproject names the package
                "files": ["pyproject.toml": "[build-system]\nrequires = [\"hatchling\"]\n\n[project]\nname = \"flet_widgets_pro\"  # the dist\nversion = \"1.0\"\n"]]),
        ]
        let pypi = try await FakePyPI.start([
            FakePyPI.Project(name: "flet-charts"), FakePyPI.Project(name: "sparkle", requiresDist: ["flet[all] (>=0.20); python_version >= \"3.9\""]),
            FakePyPI.Project(name: "cool-widgets", summary: "Widgets for Flet apps"), FakePyPI.Project(name: "unrelated"),
            FakePyPI.Project(name: "flet-other"), FakePyPI.Project(name: "flet-widgets-pro"),
        ])
        defer { Task { try? await pypi.shutdown() } }
        guard let h = try await GitHubHarness.start(["repos": repos]) else { return }
        defer { Task { try? await h.shutdown() } }
        let source = try TopicSource(options: PluginOptions(["topic": .string("flet"), "accept": .strings(["name-prefix", "requires", "mentions"])]), context: h.context(pypi: pypi.baseURL))
        let (candidates, report) = try await Self.discover(source)
        #expect(Set(candidates.map(\.name)) == ["flet-charts", "sparkle", "cool-widgets", "flet-widgets-pro"])
        #expect(report.unmatched.map(\.package) == ["e/my-flet-app"])
        #expect(report.unmatched.first?.kind == "no-pypi-package")
        let strict = try TopicSource(options: PluginOptions(["topic": .string("flet"), "accept": .strings(["name-prefix"])]), context: h.context(pypi: pypi.baseURL))
        #expect(Set(try await Self.discover(strict).0.map(\.name)) == ["flet-charts", "flet-widgets-pro"])
        var doc = PackageDocument(name: "flet-charts")
        #expect(strict.confirms(doc))
        doc = PackageDocument(name: "charts")
        #expect(!strict.confirms(doc), "confirmed again on the fresh metadata")
    }
}

@Suite struct DeclaredNameTests {
    @Test func packagingFilesDeclareTheDistributionName() {
        #expect(DeclaredPackageName.parse(["pyproject.toml": "[tool.black]\nname = \"no\"\n[project]\nname = \"my-dist\"\n"]) == "my-dist")
        #expect(DeclaredPackageName.parse(["pyproject.toml": "[tool.poetry]\nname = 'poetry_dist'\n"]) == "poetry_dist")
        #expect(DeclaredPackageName.parse(["setup.cfg": "[metadata]\nname = cfg.dist\nversion = 1\n"]) == "cfg.dist")
        #expect(DeclaredPackageName.parse(["setup.py": "from setuptools import setup\nsetup(\n    name='py-dist',\n    version='1')\n"]) == "py-dist")
        #expect(DeclaredPackageName.parse(["pyproject.toml": "[project]\ndynamic = [\"version\"]\n", "setup.py": "setup(name = \"fallback\")"]) == "fallback")
        #expect(DeclaredPackageName.parse(["README.md": "name = x"]) == nil)
    }
}

@Suite struct MonorepoSourceTests {
    static let files: [String: String] = [
        "sdk/python/packages/flet/README.md": "core",
        "sdk/python/packages/flet-cli/README.md": "cli",
        "sdk/python/packages/flet-audio/README.md": "# flet-audio",
        "sdk/python/packages/flet-audio/CHANGELOG.md": "## 0.1",
        "sdk/python/packages/flet-map/pyproject.toml": "[project]",
        "sdk/python/packages/notes.txt": "a file, not a package",
    ]

    static func options() -> PluginOptions {
        PluginOptions(["repo": .string("flet-dev/flet"), "path": .string("sdk/python/packages"), "exclude": .strings(["flet", "flet-cli"]), "official": .bool(true)])
    }

    @Test func foldersMinusExclusionsAreOfficialWithTheirReadmes() async throws {
        guard let h = try await GitHubHarness.start(["repos": [GitHubFake.repo("flet-dev", "flet", extra: ["files": Self.files])]]) else { return }
        defer { Task { try? await h.shutdown() } }
        let source = try MonorepoSource(options: Self.options(), context: h.context())
        let (candidates, _) = try await TopicSourceTests.discover(source)
        #expect(candidates.map(\.name) == ["flet-audio", "flet-map"])
        #expect(candidates.allSatisfy { $0.isOfficial })
        // The github enricher puts the folder's README/CHANGELOG on the package.
        var doc = PackageDocument(name: "flet-audio")
        doc.projectURLs = ["Source": "https://github.com/flet-dev/flet"]
        let batch = try await GitHubHarness.enrich(try h.enricher(h.context()), [doc, PackageDocument(name: "flet-map")])
        #expect(batch.documents[0].readme == "# flet-audio")
        #expect(batch.documents[0].changelog == "## 0.1")
        #expect(batch.documents[0].githubURL == "https://github.com/flet-dev/flet")
        #expect(batch.documents[1].githubURL == "https://github.com/flet-dev/flet", "a folder package without URLs still links its repository")

        // GitHub unreachable: the last listing from the store, not a hard-coded list.
        var context = h.context()
        context.config = TrawlConfig(environment: ["TRAWL_GITHUB_API_URL": "http://127.0.0.1:1", "GITHUB_TOKEN": GitHubHarness.token])
        let offline = try MonorepoSource(options: Self.options(), context: context)
        let (fallback, report) = try await TopicSourceTests.discover(offline)
        #expect(fallback.map(\.name) == ["flet-audio", "flet-map"])
        #expect(fallback.allSatisfy { $0.isOfficial && $0.reason.contains("last known") })
        #expect(report.notes.contains { $0.contains("unreachable") })
    }
}
