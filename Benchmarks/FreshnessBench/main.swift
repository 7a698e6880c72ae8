// Freshness benchmark (issue 12): release → searchable latency through `trawl serve --worker`.
//
// A loopback index fake holds Flask and Plone add-ons and a large Django collection. All three are
// crawled into one store, then `trawl serve --worker` (the built binary, as users run it) is left
// running while the Django profile's long job runs the whole time (a refresh_profile of every
// Django package, enqueued again whenever it ends, every index answer delayed by --latency-ms).
// Meanwhile --releases releases of Flask and Plone packages are published at about one a second;
// each is timed from its publication to the moment a search through the Typesense-compatible
// endpoint returns it at its new version. Prints p50, p90 and max over every release (a missed one
// counts as slower than 180 s, it is not left out); stops with exit 1 if a setup crawl fails.
//
// Usage: swift run -c release trawl-freshness-bench [--releases 120] [--django 3000] [--latency-ms 10]
// (runs the `trawl` binary of the same build folder: release with -c release)
import AsyncHTTPClient
import Foundation
import TestSupport
import TrawlCore
import TrawlStore

struct Options {
    var releases = 120
    var django = 3_000
    var latencyMS = 10

    init() {
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let arg = args.next() {
            switch arg {
            case "--releases": releases = Int(args.next() ?? "") ?? releases
            case "--django": django = Int(args.next() ?? "") ?? django
            case "--latency-ms": latencyMS = Int(args.next() ?? "") ?? latencyMS
            default: print("unknown argument \(arg)"); exit(2)
            }
        }
    }
}

let options = Options()
let binary = TrawlProcess.executable.path
let adminKey = "freshness-bench-admin-key-0123"

var world = (0..<40).map { FakePyPI.Project(name: "flask-ext-\($0)", classifiers: ["Framework :: Flask"], summary: "Flask extension \($0)") }
world += (0..<40).map { FakePyPI.Project(name: "collective.addon\($0)", classifiers: ["Framework :: Plone :: 6.1"], summary: "Plone add-on \($0)") }
world += (0..<options.django).map { FakePyPI.Project(name: "django-app-\($0)", classifiers: ["Framework :: Django :: 5.2"], summary: "Django app \($0)") }
let fake = try await FakePyPI.start(world)
fake.setFaults([.latency(.milliseconds(options.latencyMS))])
let directory = TrawlProcess.temporaryDirectory()
let storePath = directory.appendingPathComponent("fresh.sqlite").path
let env: [String: String] = [
    "TRAWL_PYPI_URL": fake.baseURL, "TRAWL_STORE": "sqlite:\(storePath)", "TRAWL_CLICKHOUSE_URL": "http://127.0.0.1:1",
    "TRAWL_PYPISTATS_URL": "http://127.0.0.1:1", "TRAWL_GITHUB_API_URL": "http://127.0.0.1:1", "TRAWL_HTTP_BACKOFF_MS": "5",
    "TRAWL_HTTP_MAX_ATTEMPTS": "2", "TRAWL_ADMIN_KEY": adminKey, "TRAWL_WORKER_POLL_MS": "200",
]
print("binary \(binary); \(options.django) Django, 40 Flask, 40 Plone packages; index latency \(options.latencyMS) ms")
for profile in ["flask", "plone", "django"] {
    let start = ContinuousClock.now
    let crawl = try await TrawlProcess.run(["crawl", "-p", profile, "--discovery", "scan", "--no-enrich", "--quiet"], environment: env, directory: directory)
    print("crawled \(profile) in \(ContinuousClock.now - start) (exit \(crawl.status))")
    // A crawl that failed (or recorded problems) leaves a collection the figures below would not be about.
    guard crawl.status == 0 else {
        print("the \(profile) crawl exited \(crawl.status); stopping:\n\(crawl.stderr.suffix(2_000))")
        try? await fake.shutdown()
        exit(1)
    }
}

let serve = try await ServingProcess.start(["serve", "--port", "0", "--worker"], environment: env, directory: directory)
let store = try SQLiteStore(path: storePath)

/// Keeps one Django refresh (the long job) pending or running for the whole measurement.
let longJobs = Task {
    var enqueued = 0
    while !Task.isCancelled {
        let open = try await store.jobs(status: nil, limit: 500).filter {
            $0.profile == "django" && $0.kind == JobKind.refreshProfile && ($0.status == .pending || $0.status == .running)
        }
        if open.isEmpty {
            enqueued += 1
            _ = try await store.enqueue(NewJob(kind: JobKind.refreshProfile, profile: "django", uniqueKey: "bench-long-\(enqueued)"), now: Int64(Date().timeIntervalSince1970))
        }
        try await Task.sleep(for: .milliseconds(500))
    }
    return enqueued
}

func searchedVersion(_ collection: String, _ name: String) async -> String? {
    var request = HTTPClientRequest(url: serve.baseURL + "/collections/\(collection)/documents/search?q=\(name)&query_by=name&per_page=5")
    request.headers.add(name: "X-TYPESENSE-API-KEY", value: adminKey)
    guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(20)),
        let body = try? await response.body.collect(upTo: 8 << 20),
        let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
    else { return nil }
    let hits = object["hits"] as? [[String: Any]] ?? []
    return hits.lazy.compactMap { $0["document"] as? [String: Any] }.first { $0["normalized_name"] as? String == name }?["version"] as? String
}

struct Release: Sendable { var collection: String; var name: String; var version: String; var at: ContinuousClock.Instant }
let (releases, published) = AsyncStream.makeStream(of: Release.self)
let publisher = Task {
    for i in 0..<options.releases {
        let plone = i % 2 == 1
        let index = (i / 2) % 40
        let release = Release(collection: plone ? "plone" : "flask", name: plone ? "collective-addon\(index)" : "flask-ext-\(index)",
                              version: "5.\(i).0", at: .now)
        fake.release(release.name, version: release.version)
        published.yield(release)
        try await Task.sleep(for: .milliseconds(Int64.random(in: 500...1_500)))
    }
    published.finish()
}

// Each release is watched until searchable (or 180 s pass).
var latencies: [Duration] = []
var missed: [String] = []
await withTaskGroup(of: (String, Duration?).self) { group in
    for await release in releases {
        group.addTask {
            while ContinuousClock.now - release.at < .seconds(180) {
                if let version = await searchedVersion(release.collection, release.name), version == release.version || version.compare(release.version, options: .numeric) == .orderedDescending {
                    return ("\(release.name) \(release.version)", ContinuousClock.now - release.at)
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
            return ("\(release.name) \(release.version)", nil)
        }
    }
    for await (name, latency) in group {
        if let latency { latencies.append(latency) } else { missed.append(name) }
    }
}
_ = try await publisher.value
longJobs.cancel()
let longRuns = (try? await store.jobs(status: nil, limit: 10_000).filter { $0.profile == "django" && $0.kind == JobKind.refreshProfile }.count) ?? 0
_ = await serve.stop()
try await store.close()
try await fake.shutdown()

func seconds(_ d: Duration) -> String { String(format: "%.1f s", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) }
let sorted = latencies.sorted()
// Every published release counts: a missed one ranks after every measured one ("> 180 s"), so a run
// that lost releases cannot print better percentiles than one that did not.
let counted = latencies.count + missed.count
func percentile(_ p: Double) -> String {
    guard counted > 0 else { return "-" }
    let rank = min(counted - 1, Int(Double(counted) * p))
    return rank < sorted.count ? seconds(sorted[rank]) : "> 180 s (missed)"
}
print("""
    release → searchable through serve --worker, \(options.releases) releases (Flask and Plone), \
    a Django refresh of \(options.django) packages running throughout (\(longRuns) refresh jobs):
      searchable \(latencies.count), not within 180 s \(missed.count)
      p50 \(percentile(0.5))   p90 \(percentile(0.9))   max \(missed.isEmpty ? sorted.last.map(seconds) ?? "-" : "> 180 s (missed)")   (of \(counted), missed included)
    """)
if !missed.isEmpty { print("missed: \(missed.prefix(10))") }
try? FileManager.default.removeItem(at: directory)
