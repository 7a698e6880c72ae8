// Enrich benchmark (issue 20): what re-running an enricher over a stored collection costs, beside
// the full crawl that built it. A loopback index fake holds a Django-sized collection (12,759
// packages by default: the `django-` names of ../shared/data, else generated), each with a few
// releases and a GitHub repository held by the GitHub fake. The real `trawl` binary (of the same
// build folder) crawls it in full with every enricher of the Django profile (GitHub cold), then runs
// `trawl enrich health` (offline) and `trawl enrich github` with a warm cache (no request at all)
// three times each. Prints seconds per run, documents changed, and requests; asserts nothing.
// Targets (issue 20, release build): enrich health ≤ 1.5 s, warm enrich github ≤ 2 s.
//
// Usage: swift run -c release trawl-enrich-bench [--packages 12759] [--runs 3] [--keep]
import Foundation
import TestSupport
import TrawlCore

struct Options {
    var packages = 12_759
    var runs = 3
    /// Keep the store (and print its path) to profile `trawl enrich` on it afterwards.
    var keep = false

    init() {
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let arg = args.next() {
            switch arg {
            case "--packages": packages = Int(args.next() ?? "") ?? packages
            case "--runs": runs = max(1, Int(args.next() ?? "") ?? runs)
            case "--keep": keep = true
            default: print("unknown argument \(arg)"); exit(2)
            }
        }
    }
}

let options = Options()

/// A README-like Markdown text of 300 to 7,000 characters (PyPI descriptions of Django apps run from
/// a line to tens of kilobytes; most are a few kilobytes).
func longText(_ name: String, _ i: Int) -> String {
    let paragraph = "\(name) adds reusable views, models and template tags to a Django project. Install it with pip, add it to INSTALLED_APPS and run the migrations. "
    let sections = 2 + (i * 7919) % 40
    return "# \(name)\n\n" + (0..<sections).map { "## Section \($0)\n\n" + paragraph }.joined(separator: "\n\n")
}

guard await GitHubFake.isAvailable() else {
    print("skipped: python3 with graphql-core not installed (scripts/setup installs it)")
    exit(0)
}
let names = SharedData.names(prefix: "django-", count: options.packages)
let token = "ghp_enrichBenchToken"
let world = names.enumerated().map { i, name in
    var project = FakePyPI.Project(
        name: name, versions: ["1.0", "1.\(i % 5)", "2.\(i % 3)"], classifiers: ["Framework :: Django", "Framework :: Django :: 5.\(i % 3)"],
        requiresDist: ["Django>=4.2"] + (i % 4 == 0 ? [names[(i * 7) % names.count] + ">=1.0"] : []), summary: "Django app \(name)")
    project.projectURLs = ["Source": "https://github.com/owner\(i % 97)/\(name)"]
    project.description = longText(name, i)
    return project
}
let repos = names.enumerated().map { i, name in
    GitHubFake.repo("owner\(i % 97)", name, stars: (i * 37) % 5_000, topics: ["django"], readme: longText(name, i + 1))
}
let github = try await GitHubFake.start(fixture: ["repos": repos, "token": token, "rest_limit": 10_000_000, "graphql_points": 10_000_000])
let fake = try await FakePyPI.start(world)
let directory = TrawlProcess.temporaryDirectory()
let env: [String: String] = [
    "TRAWL_PYPI_URL": fake.baseURL, "TRAWL_STORE": "sqlite:\(directory.appendingPathComponent("enrich.sqlite").path)",
    "TRAWL_CLICKHOUSE_URL": "http://127.0.0.1:1", "TRAWL_PYPISTATS_URL": "http://127.0.0.1:1", "TRAWL_GITHUB_API_URL": github.baseURL,
    "GITHUB_TOKEN": token, "TRAWL_HTTP_BACKOFF_MS": "5", "TRAWL_HTTP_MAX_ATTEMPTS": "2",
]
print("binary \(TrawlProcess.executable.path); \(names.count) Django packages, \(options.runs) runs per enricher")

struct Run {
    var seconds: Double
    var status: Int32
    var summary: [String: Any]
}

func timed(_ arguments: [String]) async throws -> Run {
    let start = ContinuousClock.now
    let result = try await TrawlProcess.run(arguments + ["--json"], environment: env, directory: directory)
    let elapsed = ContinuousClock.now - start
    let summary = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    if summary.isEmpty { print("  \(arguments.joined(separator: " ")): exit \(result.status), \(result.stderr.suffix(500))") }
    return Run(seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, status: result.status, summary: summary)
}

func requests(_ run: Run) -> Int {
    ((run.summary["requests"] as? [String: Any]) ?? [:]).values.compactMap { $0 as? Int }.reduce(0, +)
}

let crawl = try await timed(["crawl", "-p", "django", "--discovery", "scan"])
print(String(format: "full crawl (every enricher, GitHub cold): %7.2f s  exit %d  indexed %d  %d requests",
             crawl.seconds, crawl.status, crawl.summary["indexed"] as? Int ?? -1, requests(crawl)))
for (kind, target) in [("health", 1.5), ("github", 2.0)] {
    var seconds: [Double] = []
    for n in 1...options.runs {
        let run = try await timed(["enrich", kind, "-p", "django"])
        seconds.append(run.seconds)
        print(String(format: "enrich %@ run %d: %6.2f s  exit %d  documents %d  changed %d  %d requests",
                     kind, n, run.seconds, run.status, run.summary["documents"] as? Int ?? -1, run.summary["changed"] as? Int ?? -1, requests(run)))
    }
    let sorted = seconds.sorted()
    print(String(format: "enrich %@: median %.2f s (target ≤ %.1f s), %.1f%% of the full crawl's time",
                 kind, sorted[sorted.count / 2], target, 100 * sorted[sorted.count / 2] / max(crawl.seconds, 0.001)))
}
github.stop()
try await fake.shutdown()
if options.keep {
    print("kept: TRAWL_STORE=\(env["TRAWL_STORE"]!)")
} else {
    try? FileManager.default.removeItem(at: directory)
}
