import Foundation
import ProfileData
import Testing
import TrawlGitHub
@testable import TrawlCore
import TrawlPyPI
import TrawlStats

/// Profile parsing, layering and every validation error docs/design.md §2 and the foundation issue name.
@Suite struct ProfileTests {
    let loader: ProfileLoader = {
        var registry = PluginRegistry()
        registry.registerPyPI()
        registry.registerStats()
        registry.registerGitHub()
        registry.declarePlannedKinds()
        return ProfileLoader(registry: registry)
    }()

    func issues(_ yaml: String, file: String = "bad.yaml") -> [ProfileIssue] {
        loader.parser.parse(contents: yaml, path: file, layer: .dropIn).issues
    }

    func expectIssue(_ yaml: String, line: Int?, contains fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let found = issues(yaml)
        #expect(!found.isEmpty, "expected an issue", sourceLocation: sourceLocation)
        let match = found.first { issue in fragments.allSatisfy { issue.message.contains($0) } }
        #expect(match != nil, "no issue contains \(fragments); got: \(found)", sourceLocation: sourceLocation)
        if let line, let match { #expect(match.line == line, "\(match)", sourceLocation: sourceLocation) }
        if let match { #expect(match.description.hasPrefix("bad.yaml:"), sourceLocation: sourceLocation) }
    }

    @Test func builtInProfilesAreEmbeddedAndValid() throws {
        let files = BuiltinProfiles.all.map { ProfileFile(path: $0.fileName, contents: $0.contents, layer: .builtin) }
        #expect(files.map(\.path) == ["django.yaml", "flask.yaml", "flet.yaml", "plone.yaml"])
        let set = try loader.load(files)
        #expect(set.keys == ["django", "flask", "flet", "plone"])
        let plone = try #require(set.profile("plone"))
        #expect(plone.sources.first?.kind == "pypi-classifiers")
        #expect(plone.sources.first?.options.strings("classifiers").contains("Framework :: Plone :: Addon") == true)
        #expect(plone.enrichers.map(\.kind) == ["pypi", "versions", "github", "downloads", "health"])
        let flet = try #require(set.profile("flet"))
        #expect(flet.sources.map(\.kind) == ["github-topic", "github-monorepo", "pypi-requires"])
        #expect(flet.sources[1].options.bool("official"))
        #expect(flet.sources[1].options.strings("exclude") == ["flet", "flet-cli", "flet-desktop", "flet-web"])
        #expect(flet.schedule.incremental?.description == "*/1 * * * *")
        #expect(Set(flet.types.keys) == ["UI Controls", "Services", "Python Package"], "the Flet directory's package types")
        #expect(flet.types["UI Controls"]?.keywords.contains("widget") == true)
        #expect(flet.enrichers.first { $0.kind == "categories" }?.options.string("default-type") == "Python Package")
        #expect(flet.enrichers.map(\.kind).firstIndex(of: "flags")! > flet.enrichers.map(\.kind).firstIndex(of: "downloads")!,
                "flags read downloads")
    }

    @Test func defaultsApplyWhenOptionalFieldsAreAbsent() throws {
        let (profile, found) = loader.parser.parse(contents: """
            key: fastapi
            name: FastAPI
            sources:
              - kind: pypi-classifiers
                classifiers: ["Framework :: FastAPI"]
            """, path: "fastapi.yaml", layer: .dropIn)
        #expect(found.isEmpty)
        let p = try #require(profile)
        #expect(p.enrichers.map(\.kind) == PluginRegistry.defaultEnrichers)
        #expect(p.schedule.refresh?.description == "0 2 * * 0")
        #expect(p.schedule.full?.description == "0 3 1 * *")
        #expect(p.schedule.github?.description == "0 5 * * *")
    }

    @Test func laterLayerReplacesEarlierProfileWithSameKey() throws {
        let builtin = ProfileFile(path: "builtin:plone.yaml", contents: BuiltinProfiles.all.first { $0.fileName == "plone.yaml" }!.contents, layer: .builtin)
        let dropIn = ProfileFile(path: "/tmp/x/plone.yaml", contents: """
            key: plone
            name: Plone (local)
            sources:
              - kind: pypi-names
                names: ["plone.*"]
            """, layer: .dropIn)
        let set = try loader.load([dropIn, builtin])  // order of arrival does not matter, layers do
        #expect(set.profile("plone")?.name == "Plone (local)")
        #expect(set.replaced.first?.replaced.path == "builtin:plone.yaml")
    }

    @Test func duplicateKeyWithinOneLayerNamesBothFiles() {
        let a = ProfileFile(path: "a.yaml", contents: "key: same\nname: A\nsources:\n  - kind: pypi-requires\n    requires: x\n", layer: .dropIn)
        let b = ProfileFile(path: "b.yaml", contents: "name: B\nkey: same\nsources:\n  - kind: pypi-requires\n    requires: y\n", layer: .dropIn)
        #expect {
            try loader.load([a, b])
        } throws: { error in
            let issue = (error as? ProfileLoadError)?.issues.first
            return issue?.file == "b.yaml" && issue?.line == 2 && issue?.message.contains("a.yaml") == true
                && issue?.message.contains("duplicate profile key 'same'") == true
        }
    }

    @Test func invalidYAMLNamesTheLine() {
        expectIssue("key: x\nname: [unclosed\nsources: []\n", line: nil, contains: ["invalid YAML"])
        let found = issues("key: x\nname: y\n  bad indent: 1\n")
        #expect(found.first?.line == 3, "\(found)")
    }

    /// A syntax error names where the unfinished construct began as well as where the parser gave up.
    @Test func yamlSyntaxErrorsNameBothLines() {
        let yaml = "key: x\nname: X\nsources:\n  - kind: pypi-classifiers\n    classifiers: [\"Framework :: Plone\",\n      \"Framework :: Plone :: 6.0\"\n  - kind: pypi-requires\n"
        let found = issues(yaml)
        #expect(found.count == 1, "\(found)")
        let message = found.first?.message ?? ""
        #expect(message.contains("while parsing a flow sequence that began at line 5"), "\(message)")
        #expect(message.contains("did not find expected ',' or ']' at line 7"), "\(message)")
        #expect(found.first?.line == 7, "the issue's own line is where the parser stopped")
    }

    @Test func duplicateFieldInOneFile() {
        expectIssue("key: a\nname: A\nname: B\nsources:\n  - kind: pypi-requires\n    requires: x\n", line: 3, contains: ["duplicate field", "'name'", "(lines 2 and 3)"])
    }

    @Test func missingKeyAndName() {
        let found = issues("sources:\n  - kind: pypi-requires\n    requires: x\n")
        #expect(found.contains { $0.message == "missing required field 'key'" })
        #expect(found.contains { $0.message == "missing required field 'name'" })
    }

    @Test func badKeyCharacters() {
        expectIssue("key: Bad_Key\nname: X\nsources:\n  - kind: pypi-requires\n    requires: x\n", line: 1, contains: ["'Bad_Key'", "[a-z0-9-]+"])
    }

    @Test func unknownTopLevelFieldListsAllowedFields() {
        expectIssue("key: a\nname: A\nsourcez: []\nsources:\n  - kind: pypi-requires\n    requires: x\n", line: 3,
                    contains: ["unknown field 'sourcez'", "allowed fields: key, name, description, sources, enrichers"])
    }

    @Test func unknownSourceKindListsKnownKinds() {
        expectIssue("key: a\nname: A\nsources:\n  - kind: pypi-clasifiers\n    classifiers: [\"A :: B\"]\n", line: 4,
                    contains: ["unknown source kind 'pypi-clasifiers'", "github-monorepo, github-topic, pypi-classifiers, pypi-names, pypi-requires"])
    }

    @Test func unknownEnricherListsKnownKinds() {
        expectIssue("key: a\nname: A\nsources:\n  - kind: pypi-requires\n    requires: x\nenrichers: [pypi, gitlab]\n", line: 6,
                    contains: ["unknown enricher kind 'gitlab'", "categories, downloads, flags, github, health, pypi, versions"])
    }

    @Test func wrongOptionTypes() {
        expectIssue("key: a\nname: A\nsources:\n  - kind: pypi-classifiers\n    classifiers: \"Framework :: Flask\"\n", line: 5,
                    contains: ["option 'classifiers' of kind 'pypi-classifiers' must be a list of strings", "the string 'Framework :: Flask'"])
        expectIssue("key: a\nname: A\nsources:\n  - kind: github-monorepo\n    repo: o/r\n    path: p\n    official: yes please\n", line: 7,
                    contains: ["option 'official'", "must be true or false"])
        expectIssue("key: a\nname: A\nsources:\n  - kind: pypi-requires\n    requires: [a, b]\n", line: 5, contains: ["must be a string, found a list"])
    }

    @Test func unknownOptionListsAllowedOptions() {
        expectIssue("key: a\nname: A\nsources:\n  - kind: github-topic\n    topic: flet\n    langauge: python\n", line: 6,
                    contains: ["unknown option 'langauge'", "allowed options: topic, language, accept"])
    }

    @Test func disallowedListValueListsAllowedValues() {
        expectIssue("key: a\nname: A\nsources:\n  - kind: github-topic\n    topic: flet\n    accept: [name-prefix, fuzzy]\n", line: 6,
                    contains: ["'fuzzy' is not allowed", "allowed values: name-prefix, requires, mentions"])
    }

    @Test func missingRequiredSourceOption() {
        expectIssue("key: a\nname: A\nsources:\n  - kind: github-monorepo\n    repo: flet-dev/flet\n", line: 4,
                    contains: ["kind 'github-monorepo' requires option 'path'"])
        expectIssue("key: a\nname: A\nsources:\n  - classifiers: [\"A :: B\"]\n", line: 4, contains: ["has no `kind`", "allowed kinds:"])
    }

    @Test func emptyOrMissingSources() {
        expectIssue("key: a\nname: A\nsources: []\n", line: 3, contains: ["'sources' is empty", "allowed kinds:"])
        expectIssue("key: a\nname: A\n", line: 1, contains: ["missing required field 'sources'"])
    }

    @Test func badCronSpec() {
        expectIssue("key: a\nname: A\nsources:\n  - kind: pypi-requires\n    requires: x\nschedule:\n  refresh: \"0 25 * * 0\"\n", line: 7,
                    contains: ["schedule 'refresh': bad cron spec \"0 25 * * 0\"", "hour"])
        expectIssue("key: a\nname: A\nsources:\n  - kind: pypi-requires\n    requires: x\nschedule:\n  nightly: \"0 1 * * *\"\n", line: 7,
                    contains: ["unknown schedule 'nightly'", "incremental, refresh, downloads, full, github"])
    }

    @Test func emptyCronDisablesOneSchedule() throws {
        let (profile, found) = loader.parser.parse(contents: "key: a\nname: A\nsources:\n  - kind: pypi-requires\n    requires: x\nschedule:\n  full: \"\"\n", path: "a.yaml", layer: .dropIn)
        #expect(found.isEmpty, "\(found)")
        #expect(profile?.schedule.full == nil)
        let (weekly, _) = loader.parser.parse(contents: "key: a\nname: A\nsources:\n  - kind: pypi-requires\n    requires: x\nschedule:\n  github: \"0 6 * * 1\"\n", path: "a.yaml", layer: .dropIn)
        #expect(weekly?.schedule.github?.description == "0 6 * * 1")
        #expect(profile?.schedule.incremental != nil)
    }

    @Test func classifierMustBeTroveShaped() {
        expectIssue("key: a\nname: A\nsources:\n  - kind: pypi-classifiers\n    classifiers:\n      - \"Framework :: Django\"\n      - \"Framework: Django\"\n", line: 7,
                    contains: ["'Framework: Django' is not a trove classifier"])
    }

    @Test func allIssuesOfAFileAreReportedAtOnce() {
        let found = issues("key: BAD\nsources:\n  - kind: nope\nenrichers: [zzz]\nextra: 1\n")
        #expect(found.count >= 4, "\(found)")
    }

    @Test func classifierPrefixMatching() {
        #expect(Classifier.matches("Framework :: Plone :: 6.0", prefix: "Framework :: Plone"))
        #expect(Classifier.matches("Framework :: Plone", prefix: "Framework :: Plone"))
        #expect(!Classifier.matches("Framework :: Plonex", prefix: "Framework :: Plone"))
        #expect(!Classifier.matches("Framework :: Django", prefix: "Framework :: Plone"))
    }

    @Test func droppedInFolderLoadsFromDisk() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "key: fastapi\nname: FastAPI\nsources:\n  - kind: pypi-classifiers\n    classifiers: [\"Framework :: FastAPI\"]\n"
            .write(to: dir.appendingPathComponent("fastapi.yaml"), atomically: true, encoding: .utf8)
        try "not a profile".write(to: dir.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)
        let files = try ProfileLoader.files(in: dir.path, layer: .dropIn)
        #expect(files.count == 1)
        #expect(try loader.load(files).keys == ["fastapi"])
    }
}
