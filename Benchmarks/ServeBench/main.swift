import AsyncHTTPClient
import Foundation
import Logging
import TrawlCore
import TrawlServer
import TrawlStore

// `swift run -c release trawl-serve-bench [packages] [seconds] [connections]`: search latency and
// throughput of `trawl serve` over a generated collection (default 20,000 packages, 20 s, 64
// concurrent connections). Prints figures; asserts nothing. `--store PATH` keeps the seeded store
// (reused when it exists) so an external tool such as wrk can be pointed at `trawl serve` too.

let arguments = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("--") }
let packages = arguments.count > 0 ? Int(arguments[arguments.startIndex]) ?? 20_000 : 20_000
let seconds = arguments.count > 1 ? Double(arguments[arguments.startIndex + 1]) ?? 20 : 20
let connections = arguments.count > 2 ? Int(arguments[arguments.startIndex + 2]) ?? 64 : 64
let storeArgument = CommandLine.arguments.firstIndex(of: "--store").map { CommandLine.arguments[$0 + 1] }

let words = ["async", "admin", "api", "auth", "cache", "celery", "cms", "cors", "debug", "filter", "forms", "graphql", "i18n",
             "json", "jwt", "maps", "markdown", "media", "oauth", "orm", "pdf", "rest", "search", "seo", "storage", "tasks",
             "tables", "theme", "upload", "widgets"]

func document(_ i: Int) -> StoredPackage {
    let a = words[i % words.count], b = words[(i / words.count) % words.count]
    var d = PackageDocument(name: "django-\(a)-\(b)-\(i)")
    d.version = "\(i % 5).\(i % 11).\(i % 3)"
    d.summary = "A \(a) and \(b) toolkit for Django projects, number \(i)"
    d.description = "# django-\(a)-\(b)\n\nProvides \(a) helpers with \(b) support. " + String(repeating: "Lorem ipsum dolor sit amet. ", count: 20)
    d.descriptionContentType = "text/markdown"
    d.keywords = [a, b, "django"]
    d.githubStars = (i * 7919) % 30_000
    d.downloadLastMonth = (i * 104_729) % 5_000_000
    d.downloadLastWeek = d.downloadLastMonth / 4 + (i % 13) * 100
    d.healthScore = (i * 31) % 101
    d.frameworkVersions = [["4.2", "5.0", "5.1"][i % 3]]
    d.pythonVersions = ["3.10", "3.11", "3.12"].suffix(1 + i % 3).map { $0 }
    d.isOfficial = i % 97 == 0
    d.uploadTimestamp = 1_700_000_000 + Int64(i * 600)
    d.githubURL = i % 4 == 0 ? "" : "https://github.com/example/\(d.normalizedName)"
    return StoredPackage(document: d)
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-serve-bench-\(getpid())")
let path = storeArgument ?? directory.appendingPathComponent("bench.sqlite").path
let store = try SQLiteStore(path: path)
if try await store.documentCount(collection: "bench") < packages {
    let seedStart = ContinuousClock.now
    for start in stride(from: 0, to: packages, by: 1_000) {
        try await store.upsert((start..<min(start + 1_000, packages)).map(document), collection: "bench")
    }
    print("seeded \(packages) packages in \(ContinuousClock.now - seedStart)")
}

var logger = Logger(label: "bench")
logger.logLevel = .error
let server = try TrawlHTTPServer(store: store, options: ServerOptions(port: 0, profiles: [ProfileSummary(key: "bench", name: "Bench")]))
let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
let serverTask = Task { try await server.run(logger: logger, signals: []) { portContinuation.yield($0) } }
var boundPort = 0
for await value in ports {
    boundPort = value
    break
}
let port = boundPort

let queries = [
    "/api/v1/bench/packages?q=rest", "/api/v1/bench/packages?q=django+cache&sort=stars",
    "/api/v1/bench/packages?q=jwt+auth&framework_version=5.0", "/api/v1/bench/packages?sort=downloads&page=3",
    "/api/v1/bench/packages?q=markdwon", "/api/v1/bench/packages?q=celery&min_health=50&official=false",
]
var configuration = HTTPClient.Configuration()
configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)

// Warm up (first queries fill SQLite's page cache), then one request at a time per query.
for query in queries { _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(query)"), timeout: .seconds(120)) }
for query in queries {
    let t0 = ContinuousClock.now
    let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(query)"), timeout: .seconds(120))
    _ = try await response.body.collect(upTo: 8 << 20)
    print("alone: \(ContinuousClock.now - t0)  \(query)")
}

let deadline = ContinuousClock.now + .seconds(seconds)
let started = ContinuousClock.now
let latencies = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
    for worker in 0..<connections {
        group.addTask {
            var samples: [Double] = []
            var failures = 0
            var i = worker
            while ContinuousClock.now < deadline {
                let t0 = ContinuousClock.now
                let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(queries[i % queries.count])"), timeout: .seconds(120))
                _ = try await response.body.collect(upTo: 8 << 20)
                if response.status.code != 200 { failures += 1 }
                let elapsed = ContinuousClock.now - t0
                samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                i += 1
            }
            return (samples, failures)
        }
    }
    var all: [Double] = []
    var failures = 0
    for try await (samples, failed) in group {
        all += samples
        failures += failed
    }
    if failures > 0 { print("non-200 answers: \(failures)") }
    return all.sorted()
}
let wall = ContinuousClock.now - started
let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
print(String(format: "packages %d, connections %d, %.1f s: %d requests, %.0f req/s, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms",
             packages, connections, wallSeconds, latencies.count, Double(latencies.count) / wallSeconds, percentile(0.5), percentile(0.9), percentile(0.99)))

try await client.shutdown()
serverTask.cancel()
_ = try? await serverTask.value
try await store.close()
if storeArgument == nil { try? FileManager.default.removeItem(at: directory) }
