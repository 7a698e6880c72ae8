import Foundation
import TestSupport
import Testing
import TrawlCore
import TrawlStore

/// Several profiles in one store, run as users run them: the built binary crawls three profiles
/// into one store, then releases and new projects across them are interleaved with the other
/// profiles' incremental, refresh and full runs and with enrich runs. Every release must end in its
/// own collection with its version — one profile's run must never use up another's change (a
/// shared feed position, dedup key or HTTP validator did exactly that) — with nothing duplicated
/// and nothing from another ecosystem. On SQLite and on PostgreSQL.
@Suite(.serialized) struct MultiProfileSystemTests {
    static let profiles = ["django", "flask", "plone"]
    static let classifiers = ["django": "Framework :: Django :: 5.2", "flask": "Framework :: Flask", "plone": "Framework :: Plone :: 6.1"]
    static let perProfile = 6

    static func project(_ profile: String, _ index: Int) -> FakePyPI.Project {
        FakePyPI.Project(name: "\(profile)-addon-\(index)", versions: ["1.0"], classifiers: [classifiers[profile]!],
                         summary: "Add-on \(index) for \(profile)")
    }

    @Test func releasesAcrossThreeProfilesInterleavedWithEveryKindOfRunOnSQLite() async throws {
        let dir = TrawlProcess.temporaryDirectory()
        try await exercise(storeURL: "sqlite:" + dir.appendingPathComponent("shared.sqlite").path, directory: dir)
    }

    @Test func releasesAcrossThreeProfilesInterleavedWithEveryKindOfRunOnPostgreSQL() async throws {
        guard let url = try await WorkerCLITests.postgres() else { return }
        try await exercise(storeURL: url, directory: TrawlProcess.temporaryDirectory())
    }

    func exercise(storeURL: String, directory: URL) async throws {
        var world = Self.profiles.flatMap { p in (0..<Self.perProfile).map { Self.project(p, $0) } }
        // A package of no profile: it is released too, and must land nowhere.
        world.append(FakePyPI.Project(name: "pyramid-thing", versions: ["1.0"], classifiers: ["Framework :: Pyramid"]))
        let fake = try await FakePyPI.start(world)
        var env = CrawlCLITests().environment(fake, store: "unused")
        env["TRAWL_STORE"] = storeURL

        func run(_ arguments: [String]) async throws {
            let result = try await TrawlProcess.run(arguments + ["--quiet"], environment: env, directory: directory)
            // 0, or 3 when an enricher recorded problems (GitHub and downloads are unreachable here).
            #expect(result.status == 0 || result.status == 3, "\(arguments.joined(separator: " ")) → \(result.status): \(result.stderr.suffix(1500))")
        }

        // What each collection must hold at the end: normalized name → latest version.
        var expected: [String: [String: String]] = [:]
        for p in Self.profiles {
            expected[p] = Dictionary(uniqueKeysWithValues: (0..<Self.perProfile).map { (FakePyPI.normalize(Self.project(p, $0).name), "1.0") })
            try await run(["crawl", "-p", p, "--discovery", "scan"])
        }

        var g = SeededGenerator(seed: 0x5EED_0012)
        let runs: [(String) -> [String]] = [
            { ["crawl", "-p", $0, "--incremental"] },
            { ["crawl", "-p", $0, "--refresh"] },
            { ["crawl", "-p", $0, "--full", "--discovery", "scan"] },
            { ["enrich", "health", "-p", $0] },
        ]
        var released = 0
        for round in 0..<8 {
            // Releases in random profiles (and one outside every profile), then the runs of the
            // profiles in a shuffled order, each with a different kind of run.
            for k in 0..<3 {
                let p = g.pick(Self.profiles)
                let name = FakePyPI.normalize(Self.project(p, g.below(Self.perProfile)).name)
                let version = "2.\(round).\(k)"
                fake.release(name, version: version)
                expected[p]![name] = version
                released += 1
            }
            fake.release("pyramid-thing", version: "2.\(round).0")
            if round % 3 == 1 {
                let p = g.pick(Self.profiles)
                let new = FakePyPI.Project(name: "\(p)-new-\(round)", versions: ["0.1"], classifiers: [Self.classifiers[p]!])
                fake.add(new)
                expected[p]![FakePyPI.normalize(new.name)] = "0.1"
            }
            var order = Self.profiles
            for i in order.indices.reversed() { order.swapAt(i, g.below(i + 1)) }
            for (i, p) in order.enumerated() {
                try await run(runs[(round + i) % runs.count](p))
            }
        }
        // Each profile's next incremental picks up whatever the others' runs saw first.
        for p in Self.profiles { try await run(["crawl", "-p", p, "--incremental"]) }

        let store = try StoreLocator.open(storeURL)
        for p in Self.profiles {
            let names = try await store.documentNames(collection: p)
            #expect(names.count == Set(names).count, "\(p): nothing duplicated")
            #expect(Set(names) == Set(expected[p]!.keys), "\(p): exactly its own packages")
            let documents = try await store.documents(Array(expected[p]!.keys), collection: p)
            for (name, version) in expected[p]! {
                #expect(documents[name]?.version == version, "\(p)/\(name): \(documents[name]?.version ?? "missing") ≠ \(version) after \(released) releases")
            }
        }
        try await store.close()
        try await fake.shutdown()
    }
}
