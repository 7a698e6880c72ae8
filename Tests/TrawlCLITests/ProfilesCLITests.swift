import Foundation
import TestSupport
import Testing

/// `trawl profiles …` end to end: the binary, its exit codes and its output.
@Suite struct ProfilesCLITests {
    func write(_ text: String, to name: String, in dir: URL) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    @Test func builtInsAreKnownFromAnyFolder() async throws {
        let result = try await TrawlProcess.run(["profiles", "list"])  // an empty temporary folder
        #expect(result.status == 0, "\(result.stderr)")
        for key in ["plone", "django", "flask", "flet"] {
            #expect(result.stdout.contains("\(key)  "), "missing \(key) in:\n\(result.stdout)")
        }
        #expect(result.stdout.contains("pypi-classifiers (classifiers: Framework :: Plone"))
        #expect(result.stdout.contains("github-monorepo"))
        #expect(result.stdout.contains("enrichers pypi, versions, github, downloads, health"))
    }

    @Test func dropInProfileAppearsWithoutRebuilding() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        try write("key: fastapi\nname: FastAPI\nsources:\n  - kind: pypi-classifiers\n    classifiers: [\"Framework :: FastAPI\"]\n", to: "fastapi.yaml", in: dir)
        let viaEnv = try await TrawlProcess.run(["profiles", "list", "--json"], environment: ["TRAWL_PROFILES_DIR": dir.path])
        #expect(viaEnv.status == 0, "\(viaEnv.stderr)")
        let keys = try JSONSerialization.jsonObject(with: Data(viaEnv.stdout.utf8)) as? [[String: Any]]
        #expect(keys?.compactMap { $0["key"] as? String } == ["django", "fastapi", "flask", "flet", "plone"])
        let viaFlag = try await TrawlProcess.run(["profiles", "show", "fastapi", "--profiles-dir", dir.path])
        #expect(viaFlag.status == 0)
        #expect(viaFlag.stdout.contains("Framework :: FastAPI"))
    }

    @Test func dropInWithSameKeyReplacesBuiltIn() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        try write("key: plone\nname: Plone Local\nsources:\n  - kind: pypi-names\n    names: [\"collective.*\"]\n", to: "plone.yaml", in: dir)
        let result = try await TrawlProcess.run(["profiles", "show", "plone"], environment: ["TRAWL_PROFILES_DIR": dir.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Plone Local"))
        #expect(result.stdout.contains("collective.*"))
        #expect(!result.stdout.contains("Framework :: Plone"))
    }

    @Test func workingDirectoryProfilesLayerBetween() async throws {
        let cwd = TrawlProcess.temporaryDirectory()
        try FileManager.default.createDirectory(at: cwd.appendingPathComponent("profiles"), withIntermediateDirectories: true)
        try write("key: flask\nname: Flask Here\nsources:\n  - kind: pypi-requires\n    requires: flask\n", to: "profiles/flask.yaml", in: cwd)
        let result = try await TrawlProcess.run(["profiles", "show", "flask"], directory: cwd)
        #expect(result.stdout.contains("Flask Here"), "\(result.stdout)\(result.stderr)")
    }

    @Test func validateReportsABadNotifyEntryAtItsLineWithExit2() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        let head = "key: hooks\nname: Hooks\nsources:\n  - kind: pypi-names\n    names: [\"hooks-*\"]\n"
        try write(head + "notify:\n  - url: https://hooks.example/in\n    events: [new, removed]\n    secret_env: HOOK_SECRET\n", to: "bad.yaml", in: dir)
        let file = dir.appendingPathComponent("bad.yaml").path
        let result = try await TrawlProcess.run(["profiles", "validate", file])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file):8: unknown notify event 'removed'; allowed events: new, release"), "\(result.stderr)")

        try write(head + "notify:\n  - url: https://user:pw-not-shown@hooks.example/in\n    secret_env: HOOK_SECRET\n", to: "hooks.yaml", in: dir)
        try FileManager.default.removeItem(atPath: file)
        let valid = try await TrawlProcess.run(["profiles", "validate", dir.appendingPathComponent("hooks.yaml").path])
        #expect(valid.status == 0, "\(valid.stderr)")
        let shown = try await TrawlProcess.run(["profiles", "show", "hooks", "--profiles-dir", dir.path])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("https://hooks.example/in  events new, release  secret from $HOOK_SECRET"), "\(shown.stdout)")
        let json = try await TrawlProcess.run(["profiles", "show", "hooks", "--json", "--profiles-dir", dir.path])
        #expect(json.stdout.contains("\"secret_env\" : \"HOOK_SECRET\""), "\(json.stdout)")
        #expect(!(shown.stdout + json.stdout).contains("pw-not-shown"))
    }

    @Test func validateReportsFileLineAndAllowedValuesWithExit2() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        try write("key: x\nname: X\nsources:\n  - kind: pypi-clasifiers\n    classifiers: [\"A :: B\"]\n", to: "bad.yaml", in: dir)
        let file = dir.appendingPathComponent("bad.yaml").path
        let result = try await TrawlProcess.run(["profiles", "validate", file])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file):4: unknown source kind 'pypi-clasifiers'; allowed kinds: github-monorepo, github-topic, pypi-classifiers, pypi-names, pypi-requires"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func validateFlagsDuplicateKeysAcrossFiles() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        let body = "name: X\nsources:\n  - kind: pypi-requires\n    requires: x\n"
        try write("key: dup\n" + body, to: "a.yaml", in: dir)
        try write("key: dup\n" + body, to: "b.yaml", in: dir)
        let result = try await TrawlProcess.run(["profiles", "validate"], environment: ["TRAWL_PROFILES_DIR": dir.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("b.yaml:1: duplicate profile key 'dup': also defined in \(dir.path)/a.yaml"), "\(result.stderr)")
    }

    @Test func validateGoodFilesAndBrokenDropInBlocksOtherCommands() async throws {
        let ok = try await TrawlProcess.run(["profiles", "validate"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("profiles: django, flask, flet, plone"))
        let dir = TrawlProcess.temporaryDirectory()
        try write("key: broken\nname: B\nsources: []\n", to: "broken.yaml", in: dir)
        let list = try await TrawlProcess.run(["profiles", "list"], environment: ["TRAWL_PROFILES_DIR": dir.path])
        #expect(list.status == 2)
        #expect(list.stderr.contains("broken.yaml:3: 'sources' is empty"))
    }

    @Test func unknownProfileAndHelp() async throws {
        let unknown = try await TrawlProcess.run(["profiles", "show", "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown profile 'nope'; known profiles: django, flask, flet, plone"))
        let help = try await TrawlProcess.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("profiles"))
        let version = try await TrawlProcess.run(["--version"])
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).range(of: #"^\d+\.\d+\.\d+$"#, options: .regularExpression) != nil)
    }
}
