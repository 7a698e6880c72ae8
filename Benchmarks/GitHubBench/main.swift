// GitHub benchmark (issue: GitHub enrichment). A store holds N packages (1,000 by default), each with
// its own repository; the GitHub fake (GraphQL executed by graphql-core, costed the way GitHub
// documents it) holds those repositories. The real `trawl` binary runs `trawl enrich github` in a
// child process: cold cache, then warm (within TRAWL_GITHUB_CACHE_TTL), both with a token (GraphQL
// batches of 100); then the one-call-per-package baseline (REST, no token) cold and revalidated
// after the TTL (ETag 304s, which GitHub does not count). Prints the API points each run used
// (targets: ≤ 15 cold, ≤ 15 warm). Figures are printed, never asserted.
//
// Usage: trawl-github-bench [--packages N]
import Foundation
import TestSupport
import TrawlCore
import TrawlStore

var packages = 1_000
var args = CommandLine.arguments.dropFirst().makeIterator()
while let arg = args.next() {
    switch arg {
    case "--packages": packages = Int(args.next() ?? "") ?? packages
    default: print("unknown argument \(arg)"); exit(2)
    }
}

guard await GitHubFake.isAvailable() else {
    print("skipped: python3 with graphql-core not installed (pip install graphql-core)")
    exit(0)
}

let token = "ghp_benchmarkToken"
let repos = (0..<packages).map { i in
    GitHubFake.repo("owner\(i % 97)", String(format: "repo-%05d", i), stars: i, topics: ["flask", "web"])
}
let fake = try await GitHubFake.start(fixture: ["repos": repos, "token": token, "rest_limit": 1_000_000, "graphql_points": 1_000_000])


func seed(_ path: String) async throws {
    let store = try SQLiteStore(path: path)
    try await store.upsert((0..<packages).map { i in
        var d = PackageDocument(name: String(format: "flask-bench-%05d", i))
        d.version = "1.0"
        d.projectURLs = ["Homepage": "https://flask-bench.invalid", "Source": String(format: "https://github.com/owner\(i % 97)/repo-%05d", i)]
        return StoredPackage(document: d)
    }, collection: "flask")
    try await store.close()
}

let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-github-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("trawl")

struct Run {
    var points: Int
    var requests: Int
    var seconds: Double
    var status: Int32
}

func run(store: String, token: String?, extra: [String: String] = [:]) async throws -> Run {
    let before = try await fake.stats()
    var env = [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin", "HOME": NSTemporaryDirectory(),
        "TRAWL_STORE": "sqlite:\(store)", "TRAWL_GITHUB_API_URL": fake.baseURL, "TRAWL_PYPI_URL": "http://127.0.0.1:1",
        "TRAWL_CLICKHOUSE_URL": "http://127.0.0.1:1", "TRAWL_PYPISTATS_URL": "http://127.0.0.1:1",
    ]
    if let token { env["GITHUB_TOKEN"] = token }
    env.merge(extra) { _, new in new }
    let process = Process()
    process.executableURL = binary
    process.arguments = ["enrich", "github", "-p", "flask", "--quiet"]
    process.environment = env
    process.currentDirectoryURL = dir
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let start = ContinuousClock.now
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
        process.terminationHandler = { _ in c.resume() }
        do { try process.run() } catch { c.resume(throwing: error) }
    }
    let elapsed = ContinuousClock.now - start
    let after = try await fake.stats()
    func delta(_ key: String) -> Int { ((after[key] as? Int) ?? 0) - ((before[key] as? Int) ?? 0) }
    return Run(
        points: delta("graphql_points") + delta("rest_requests"), requests: delta("requests"),
        seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, status: process.terminationStatus)
}

let graphStore = dir.appendingPathComponent("graphql.sqlite").path
try await seed(graphStore)
let cold = try await run(store: graphStore, token: token)
let warm = try await run(store: graphStore, token: token)
let restStore = dir.appendingPathComponent("rest.sqlite").path
try await seed(restStore)
let baseline = try await run(store: restStore, token: nil)
let revalidated = try await run(store: restStore, token: nil, extra: ["TRAWL_GITHUB_CACHE_TTL": "0"])

func row(_ label: String, _ r: Run) -> String {
    label.padding(toLength: 54, withPad: " ", startingAt: 0)
        + String(format: "%7d points  %6d requests  %6.2f s  exit %d", r.points, r.requests, r.seconds, r.status)
}
print("GitHub API points for \(packages) packages with repositories (trawl enrich github):")
print(row("cold cache, GraphQL batches of 100 (token)", cold))
print(row("warm cache, within TRAWL_GITHUB_CACHE_TTL", warm))
print(row("baseline: one REST call per package (no token), cold", baseline))
print(row("REST after the TTL: If-None-Match, 304s are free", revalidated))
print("targets: cold ≤ 15, warm ≤ 15")
try? FileManager.default.removeItem(at: dir)
fake.stop()
