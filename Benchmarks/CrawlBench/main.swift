// Crawl benchmark (issue: PyPI crawling). A loopback fake serves every project of
// ../shared/data/pypi-projects.tsv.gz (886k names) with a fixed latency per response; ~22k of them
// (django*, flask*, plone*, collective*, flet*) carry the classifier `Framework :: Bench`. The real
// `trawl` binary crawls it in a child process; this prints throughput, requests per matched package
// and the child's peak memory, for ClickHouse discovery (chdb fake) and for a scan of the index.
//
// Usage: trawl-bench [--data FILE] [--latency-ms 5] [--mode clickhouse|scan|both] [--index-limit N]
import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/pypi-projects.tsv.gz").path
    var latencyMS = 5
    var modes = ["clickhouse", "scan"]
    var indexLimit = Int.max

    init() {
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let arg = args.next() {
            switch arg {
            case "--data": data = args.next() ?? data
            case "--latency-ms": latencyMS = Int(args.next() ?? "") ?? latencyMS
            case "--mode": let m = args.next() ?? "both"; modes = m == "both" ? ["clickhouse", "scan"] : [m]
            case "--index-limit": indexLimit = Int(args.next() ?? "") ?? indexLimit
            default: print("unknown argument \(arg)"); exit(2)
            }
        }
    }
}

let options = Options()
let matchingPrefixes = ["django", "flask", "plone", "collective", "flet"]

// 1. The index.
print("loading \(options.data) …")
let gunzip = Process()
gunzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
gunzip.arguments = ["gzip", "-dc", options.data]
let pipe = Pipe()
gunzip.standardOutput = pipe
try gunzip.run()
let raw = pipe.fileHandleForReading.readDataToEndOfFile()
gunzip.waitUntilExit()

struct Entry: Sendable { var version: String; var summary: String; var matches: Bool; var serial: Int }
var projects: [String: Entry] = [:]
var order: [String] = []
for (i, line) in raw.split(separator: UInt8(ascii: "\n")).enumerated() where i > 0 {
    let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
    guard fields.count >= 2 else { continue }
    let name = String(decoding: fields[0], as: UTF8.self)
    let matches = matchingPrefixes.contains { name.hasPrefix($0) }
    projects[name] = Entry(version: String(decoding: fields[1], as: UTF8.self),
                           summary: fields.count > 4 ? String(decoding: fields[4], as: UTF8.self) : "", matches: matches,
                           serial: order.count + 1)
    order.append(name)
    if order.count >= options.indexLimit { break }
}
let matching = order.filter { projects[$0]!.matches }
print("index: \(order.count) projects, \(matching.count) matching")

var simple = Data("{\"meta\":{\"api-version\":\"1.1\",\"_last-serial\":99999999},\"projects\":[".utf8)
for (i, name) in order.enumerated() {
    if i > 0 { simple.append(UInt8(ascii: ",")) }
    simple.append(contentsOf: Array("{\"name\":\"\(name)\",\"_last-serial\":\(projects[name]!.serial)}".utf8))
}
simple.append(contentsOf: Array("]}".utf8))
let simpleBody = [UInt8](simple)
let table = projects

func projectJSON(_ name: String, _ e: Entry) -> [UInt8] {
    let classifiers = e.matches ? #"["Framework :: Bench", "Programming Language :: Python :: 3.12"]"# : #"["Programming Language :: Python :: 3"]"#
    let summary = e.summary.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    return Array("""
        {"info":{"name":"\(name)","version":"\(e.version)","summary":"\(summary)","description":"","author":"A","license":"MIT",\
        "classifiers":\(classifiers),"keywords":"","requires_dist":null,"requires_python":">=3.9","home_page":"","project_urls":null,"yanked":false},\
        "last_serial":\(e.serial),"releases":{"\(e.version)":[{"upload_time_iso_8601":"2025-01-01T00:00:00.000000Z","yanked":false}]},"urls":[]}
        """.utf8)
}

let latency = Duration.milliseconds(options.latencyMS)
let server = try await LoopbackServer.start { request in
    let body: LoopbackResponse
    if request.path == "/simple/" {
        body = .respond(status: 200, headers: [("Content-Type", "application/vnd.pypi.simple.v1+json")], body: simpleBody)
    } else if request.path.hasPrefix("/pypi/"), request.path.hasSuffix("/json") {
        let name = String(request.path.dropFirst(6).dropLast(5))
        if table[name] != nil, request.header("If-None-Match") == "\"1\"" {
            body = .status(304, headers: [("ETag", "\"1\"")])
        } else if let e = table[name] {
            body = .respond(status: 200, headers: [("Content-Type", "application/json"), ("ETag", "\"1\"")], body: projectJSON(name, e))
        } else {
            body = .json("{}", status: 404)
        }
    } else if request.path == "/pypi" {
        body = .text("<?xml version='1.0'?><methodResponse><params><param><value><int>99999999</int></value></param></params></methodResponse>", contentType: "text/xml")
    } else {
        body = .status(404)
    }
    return latency > .zero ? .delayed(latency, body) : body
}

func trawlBinary() -> String {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("trawl").path
}

/// The crawl's own peak resident memory (VmHWM), read from /proc while it runs: rusage of
/// children would also count the `python3 -c "import chdb"` probe.
func peakRSSMB(_ pid: Int32) -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return nil }
    return Double(line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0) / 1024
}

final class PeakBox: @unchecked Sendable { var value = 0.0 }

/// One crawl into the store in `dir` (a second call on the same folder shows the cost of a repeat run).
func runCrawl(mode: String, clickhouseURL: String, dir: URL, label: String) async throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: trawlBinary())
    process.arguments = ["crawl", "--classifier", "Framework :: Bench", "--target", "bench", "--full", "--discovery", mode, "--json", "--quiet"]
    process.environment = [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin", "TRAWL_PYPI_URL": server.baseURL,
        "TRAWL_STORE": "sqlite:\(dir.path)/bench.sqlite", "TRAWL_CLICKHOUSE_URL": clickhouseURL,
    ]
    let out = Pipe()
    process.standardOutput = out
    let start = ContinuousClock.now
    try process.run()
    let peak = PeakBox()
    let pid = process.processIdentifier
    let watcher = Task.detached {
        while !Task.isCancelled {
            if let mb = peakRSSMB(pid) { peak.value = max(peak.value, mb) }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    watcher.cancel()
    let seconds = Double((ContinuousClock.now - start).components.attoseconds) / 1e18 + Double((ContinuousClock.now - start).components.seconds)
    let summary = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    let indexed = summary["indexed"] as? Int ?? 0
    let requests = (summary["requests"] as? [String: Any]) ?? [:]
    let pypi = requests["pypi"] as? Int ?? 0
    let ch = requests["clickhouse"] as? Int ?? 0
    print(String(format: "%@ — %@ discovery: indexed %d of %d matching in %.1f s → %.0f packages/s; %d index + %d ClickHouse requests = %.3f requests per matched package; peak RSS %.0f MB (exit %d)",
                 label, mode, indexed, matching.count, seconds, Double(indexed) / seconds, pypi, ch, Double(pypi + ch) / Double(max(indexed, 1)),
                 peak.value, process.terminationStatus))
    let discovery = summary["discovery_seconds"] as? Double ?? 0
    let crawlSeconds = summary["seconds"] as? Double ?? seconds
    print(String(format: "  discovery %.1f s; fetch+enrich+store %.1f s → %.0f packages/s fetch throughput",
                 discovery, crawlSeconds - discovery, Double(indexed + (summary["unchanged"] as? Int ?? 0)) / max(crawlSeconds - discovery, 0.001)))
    if summary["unchanged"] as? Int ?? 0 > 0 { print("  unchanged: \(summary["unchanged"]!), fetched: \(summary["fetched"] ?? 0)") }
}

func freshDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

for mode in options.modes {
    if mode == "clickhouse" {
        guard ClickHouseFake.isAvailable else { print("clickhouse: skipped (pip install chdb)"); continue }
        let rows: [[String: Any]] = matching.map { ["name": $0, "version": table[$0]!.version, "classifiers": ["Framework :: Bench"]] }
        let fake = try ClickHouseFake.start(fixture: ["projects": rows, "downloads": []])
        let dir = try freshDirectory()
        try await runCrawl(mode: "clickhouse", clickhouseURL: fake.baseURL, dir: dir, label: "first run")
        try await runCrawl(mode: "clickhouse", clickhouseURL: fake.baseURL, dir: dir, label: "repeat run")
        print("  ClickHouse queries (both runs): \(await fake.queryCount())")
        fake.stop()
        try? FileManager.default.removeItem(at: dir)
    } else {
        let dir = try freshDirectory()
        try await runCrawl(mode: "scan", clickhouseURL: "http://127.0.0.1:1", dir: dir, label: "first run")
        try await runCrawl(mode: "scan", clickhouseURL: "http://127.0.0.1:1", dir: dir, label: "repeat run")
        try? FileManager.default.removeItem(at: dir)
    }
}
try await server.shutdown()
