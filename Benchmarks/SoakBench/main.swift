// Soak benchmark (issue 20): `trawl serve --worker` kept running as users run it, over four crawled
// profiles in one store, against a loopback index that fails a share of its answers (503s and 429s
// asking to wait a second), while releases arrive steadily and a light search load runs.
//
// The world: Flask, Plone and FastAPI (a drop-in profile file) add-ons and a larger Django
// collection, crawled through the binary first (exit codes checked). Then, for --minutes: one
// release of a random package every --release-every seconds, each timed from publication until a
// search through the Typesense-compatible endpoint returns the new version; --search-rps searches a
// second. Prints every minute the server's resident memory, and at the end: releases lost (never
// searchable, must be 0), release → searchable p50/p90/max over every release (a lost one counts as
// missing, never dropped), search p99 per five minutes (successful answers only; failures counted
// apart), jobs dead-lettered, and the server log's error lines. Asserts nothing.
//
// Usage: swift run -c release trawl-soak-bench [--minutes 30] [--faults 5] [--django 2000]
//        [--release-every 2] [--search-rps 5]
import AsyncHTTPClient
import Foundation
import Synchronization
import TestSupport
import TrawlCore
import TrawlStore

struct Options {
    var minutes = 30.0
    var faults = 5
    var django = 2_000
    var releaseEvery = 2.0
    var searchRPS = 5

    init() {
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let arg = args.next() {
            switch arg {
            case "--minutes": minutes = Double(args.next() ?? "") ?? minutes
            case "--faults": faults = Int(args.next() ?? "") ?? faults
            case "--django": django = Int(args.next() ?? "") ?? django
            case "--release-every": releaseEvery = Double(args.next() ?? "") ?? releaseEvery
            case "--search-rps": searchRPS = max(1, Int(args.next() ?? "") ?? searchRPS)
            default: print("unknown argument \(arg)"); exit(2)
            }
        }
    }
}

let options = Options()
let adminKey = "soak-bench-admin-key-0123456789"

struct Member: Sendable {
    var collection: String
    var name: String
}

var world: [FakePyPI.Project] = []
var members: [Member] = []
@MainActor func add(_ collection: String, _ count: Int, _ name: (Int) -> String, classifier: String) {
    for i in 0..<count {
        world.append(FakePyPI.Project(name: name(i), classifiers: [classifier], summary: "\(collection) add-on number \(i)"))
        members.append(Member(collection: collection, name: FakePyPI.normalize(name(i))))
    }
}
add("flask", 200, { "flask-ext-\($0)" }, classifier: "Framework :: Flask")
add("plone", 200, { "collective.addon\($0)" }, classifier: "Framework :: Plone :: 6.1")
add("fastapi", 100, { "fastapi-plugin-\($0)" }, classifier: "Framework :: FastAPI")
add("django", options.django, { "django-app-\($0)" }, classifier: "Framework :: Django :: 5.2")
let fake = try await FakePyPI.start(world)
let directory = TrawlProcess.temporaryDirectory()
let profiles = directory.appendingPathComponent("profiles")
try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
try """
    key: fastapi
    name: FastAPI
    sources:
      - kind: pypi-classifiers
        classifiers: ["Framework :: FastAPI"]
    enrichers: [pypi, versions, health]
    schedule:
      incremental: "*/1 * * * *"
    """.write(to: profiles.appendingPathComponent("fastapi.yaml"), atomically: true, encoding: .utf8)
let storePath = directory.appendingPathComponent("soak.sqlite").path
let env: [String: String] = [
    "TRAWL_PYPI_URL": fake.baseURL, "TRAWL_STORE": "sqlite:\(storePath)", "TRAWL_CLICKHOUSE_URL": "http://127.0.0.1:1",
    "TRAWL_PYPISTATS_URL": "http://127.0.0.1:1", "TRAWL_GITHUB_API_URL": "http://127.0.0.1:1", "TRAWL_HTTP_BACKOFF_MS": "20",
    "TRAWL_ADMIN_KEY": adminKey, "TRAWL_PROFILES_DIR": profiles.path,
]
print("binary \(TrawlProcess.executable.path); \(world.count) packages in 4 profiles; \(options.minutes) min, \(options.faults) % upstream faults")
for profile in ["flask", "plone", "fastapi", "django"] {
    let start = ContinuousClock.now
    let crawl = try await TrawlProcess.run(["crawl", "-p", profile, "--discovery", "scan", "--no-enrich", "--quiet"], environment: env, directory: directory)
    print("crawled \(profile) in \(ContinuousClock.now - start): exit \(crawl.status)")
    guard crawl.status == 0 else {
        print("the crawl failed; stopping: \(crawl.stderr.suffix(1_000))")
        exit(1)
    }
}

fake.setFaults([.flaky(percent: options.faults)])
let serve = try await ServingProcess.start(["serve", "--port", "0", "--worker"], environment: env, directory: directory)
let started = ContinuousClock.now
let deadline = started + .seconds(options.minutes * 60)

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

/// One search through the Typesense-compatible endpoint: the hits' (name, version), nil on failure.
func search(_ collection: String, _ q: String) async -> [(String, String)]? {
    let query = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? q
    var request = HTTPClientRequest(url: serve.baseURL + "/collections/\(collection)/documents/search?q=\(query)&query_by=name&per_page=5")
    request.headers.add(name: "X-TYPESENSE-API-KEY", value: adminKey)
    guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(30)), response.status.code == 200,
        let body = try? await response.body.collect(upTo: 8 << 20),
        let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
    else { return nil }
    return (object["hits"] as? [[String: Any]] ?? []).compactMap { $0["document"] as? [String: Any] }.compactMap { document in
        guard let name = document["normalized_name"] as? String, let version = document["version"] as? String else { return nil }
        return (name, version)
    }
}

// Resident memory every minute.
let memory = Task {
    var samples: [(Int, Double)] = []
    var minute = 0
    while ContinuousClock.now < deadline {
        let rss = (try? String(contentsOfFile: "/proc/\(serve.process.processIdentifier)/status", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { Double($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        samples.append((minute, rss / 1024))
        print(String(format: "minute %3d: resident %.0f MB", minute, rss / 1024))
        minute += 1
        try? await Task.sleep(for: .seconds(60))
    }
    return samples
}

// A light search load; latencies kept per five-minute window, successful answers only.
let searches = Task {
    var windows: [Int: [Double]] = [:]
    var failed = 0
    let words = ["addon", "ext", "plugin", "app", "number", "flask", "plone", "django", "fastapi"]
    let collections = ["flask", "plone", "fastapi", "django"]
    var n = 0
    while ContinuousClock.now < deadline {
        let tick = ContinuousClock.now
        let window = Int(seconds(tick - started) / 300)
        if await search(collections[n % 4], words[n % words.count]) != nil {
            windows[window, default: []].append(seconds(ContinuousClock.now - tick) * 1_000)
        } else {
            failed += 1
        }
        n += 1
        try? await Task.sleep(until: tick + .milliseconds(1_000 / options.searchRPS))
    }
    return (windows, failed)
}

// Releases: published steadily, each watched until searchable (the last ones get a grace period).
struct Release: Sendable {
    var member: Member
    var version: String
    var at: ContinuousClock.Instant
}
let grace: Duration = .seconds(180)
let results = await withTaskGroup(of: (String, Duration?).self) { group in
    var n = 0
    var random = SystemRandomNumberGenerator()
    while ContinuousClock.now < deadline {
        let member = members[Int.random(in: 0..<members.count, using: &random)]
        let release = Release(member: member, version: "9.\(n).0", at: .now)
        fake.release(member.name, version: release.version)
        n += 1
        group.addTask {
            while ContinuousClock.now - release.at < grace {
                if let hits = await search(release.member.collection, release.member.name),
                    let version = hits.first(where: { $0.0 == release.member.name })?.1,
                    version == release.version || version.compare(release.version, options: .numeric) == .orderedDescending
                {
                    return ("\(release.member.name) \(release.version)", ContinuousClock.now - release.at)
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
            return ("\(release.member.name) \(release.version)", nil)
        }
        try? await Task.sleep(for: .seconds(options.releaseEvery))
    }
    var all: [(String, Duration?)] = []
    for await result in group { all.append(result) }
    return all
}
let rss = await memory.value
let (windows, searchFailures) = await searches.value
let store = try SQLiteStore(path: storePath)
let jobs = try await store.jobs(status: nil, limit: 100_000)
let dead = jobs.filter { $0.status == .dead }
_ = await serve.stop()
try await store.close()
let flaky = fake.flakyServed
try await fake.shutdown()

let lost = results.filter { $0.1 == nil }.map(\.0)
// Every release counts: a lost one is past every percentile (shown as "> 180 s"), never dropped.
let latencies = results.map { $0.1.map(seconds) ?? .infinity }.sorted()
func percentile(_ p: Double) -> String {
    guard !latencies.isEmpty else { return "-" }
    let value = latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
    return value.isFinite ? String(format: "%.1f s", value) : "> \(Int(seconds(grace))) s"
}
let log = serve.stderr.split(separator: "\n")
let errorLines = log.filter { $0.contains(" error ") || $0.contains(" critical ") }
print("""

    soak: \(String(format: "%.1f", seconds(ContinuousClock.now - started) / 60)) min of serve --worker over 4 profiles, \
    \(flaky) upstream answers failed on purpose (\(options.faults) %)
      releases published \(results.count), lost \(lost.count)\(lost.isEmpty ? "" : ": \(lost.prefix(10))")
      release → searchable p50 \(percentile(0.5))   p90 \(percentile(0.9))   max \(percentile(1.0))
      resident memory MB per minute: \(rss.map { String(format: "%.0f", $0.1) }.joined(separator: " "))
      search p99 per 5 minutes (ms): \(windows.keys.sorted().map { key -> String in
        let sorted = windows[key]!.sorted()
        return String(format: "%.0f", sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))])
      }.joined(separator: " ")), searches failed \(searchFailures)
      jobs \(jobs.count), dead-lettered \(dead.count)\(dead.isEmpty ? "" : ": \(dead.prefix(5).map { "\($0.kind) \($0.lastError ?? "")" })")
      error lines in the server log: \(errorLines.count)
    """)
for line in errorLines.prefix(5) { print("    \(line.prefix(300))") }
try? FileManager.default.removeItem(at: directory)
