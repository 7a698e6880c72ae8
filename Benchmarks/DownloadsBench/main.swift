// Downloads benchmark (issue: downloads, health score and flags). A store holds N packages (3,000 by
// default); the chdb fake of ClickHouse's public endpoint holds 60 days of daily downloads for each
// (with unmerged duplicate rows, as the SummingMergeTree has); the real `trawl` binary runs
// `trawl enrich downloads` in a child process. Prints the ClickHouse queries made and the seconds
// taken (target: ≤ 3 queries, ≤ 5 s for 3,000 packages). Figures are printed, never asserted.
//
// Usage: trawl-downloads-bench [--packages N] [--days D]
import Foundation
import TestSupport
import TrawlCore
import TrawlStore

var packages = 3_000
var days = 60
var args = CommandLine.arguments.dropFirst().makeIterator()
while let arg = args.next() {
    switch arg {
    case "--packages": packages = Int(args.next() ?? "") ?? packages
    case "--days": days = Int(args.next() ?? "") ?? days
    default: print("unknown argument \(arg)"); exit(2)
    }
}

guard ClickHouseFake.isAvailable else {
    print("skipped: python3 with chdb not installed (pip install chdb)")
    exit(0)
}

func date(_ back: Int) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let day = calendar.date(byAdding: .day, value: -back, to: calendar.date(from: DateComponents(year: 2026, month: 11, day: 20))!)!
    let c = calendar.dateComponents([.year, .month, .day], from: day)
    return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
}

// 1. The store: N packages in the `flask` collection.
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-downloads-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
let storePath = dir.appendingPathComponent("bench.sqlite").path
let names = (0..<packages).map { String(format: "flask-bench-%05d", $0) }
let store = try SQLiteStore(path: storePath)
try await store.upsert(names.map { name in
    var d = PackageDocument(name: name)
    d.version = "1.0"
    d.summary = "Benchmark package \(name)"
    return StoredPackage(document: d)
}, collection: "flask")
try await store.close()

// 2. ClickHouse: `days` rows per package, plus an unmerged duplicate on the latest day for every tenth.
var rows: [[String: Any]] = []
rows.reserveCapacity(packages * days + packages / 10)
for (i, name) in names.enumerated() {
    for back in 0..<days { rows.append(["date": date(back), "project": name, "count": (i % 50) + back % 3]) }
    if i % 10 == 0 { rows.append(["date": date(0), "project": name, "count": 1]) }
}
print("fixture: \(packages) packages, \(rows.count) download rows; starting the chdb fake …")
let fake = try ClickHouseFake.start(fixture: ["projects": [], "downloads": rows])

// 3. The real binary.
let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("trawl")
let process = Process()
process.executableURL = binary
process.arguments = ["enrich", "downloads", "-p", "flask", "--json", "--quiet"]
process.environment = [
    "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin", "HOME": NSTemporaryDirectory(),
    "TRAWL_STORE": "sqlite:\(storePath)", "TRAWL_CLICKHOUSE_URL": fake.baseURL, "TRAWL_PYPISTATS_URL": "http://127.0.0.1:1",
]
process.currentDirectoryURL = dir
let out = Pipe()
process.standardOutput = out
let start = ContinuousClock.now
try process.run()
let data = out.fileHandleForReading.readDataToEndOfFile()
process.waitUntilExit()
let elapsed = ContinuousClock.now - start
let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

let summary = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
let queries = await fake.queryCount()
let check = try SQLiteStore(path: storePath)
var filled = 0
for name in names {
    if try await check.document(name, collection: "flask")?.downloadSource == "clickhouse" { filled += 1 }
}
try await check.close()
print(String(format: "downloads for %d packages: %d ClickHouse queries, %.2f s in the enricher, %.2f s for the whole process; %d filled (exit %d)",
             packages, queries, summary["seconds"] as? Double ?? -1, wall, filled, process.terminationStatus))
print("target: ≤ 3 queries and ≤ 5 s for 3,000 packages")
fake.stop()
try? FileManager.default.removeItem(at: dir)
