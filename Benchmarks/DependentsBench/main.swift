// `swift run -c release trawl-dependents-bench [PACKAGES]`: what keeping `dependents_count`
// current costs on a Django-sized collection (12,759 packages by default: the names starting
// `django-` in ../shared/data, else generated), in a SQLite store, written the way a crawl writes:
// batches of 200, each settled by `DependentsKeeper` and upserted in one transaction. Requirements
// are generated (every package requires `django`, plus 0–4 members, popular ones more often, some
// behind extras or markers). Prints seconds per batch for the keeper beside the upsert it rides
// with; asserts nothing.
import Foundation
import Logging
import TrawlCore
import TestSupport
import TrawlStore

let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 12_759
var logger = Logger(label: "bench")
logger.logLevel = .error

var names = SharedData.names(prefix: "django-", count: count - 1)
names.insert("django", at: 0)

struct LCG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state
    }
}
var random = LCG(state: 0x5EED)
/// Popular packages are required more often: the square of a uniform pick skews to the front.
@MainActor func popularMember() -> String {
    let u = Double.random(in: 0..<1, using: &random)
    return names[1 + Int(u * u * Double(names.count - 1))]
}
@MainActor func requirements(for name: String) -> [String] {
    var lines = ["Django>=4.2"]
    for _ in 0..<Int.random(in: 0...4, using: &random) {
        let target = popularMember()
        guard target != name else { continue }
        lines.append(target + [">=1.0", "", "[extra]"].randomElement(using: &random)!
            + ["", "", "; extra == \"full\"", "; python_version < \"3.11\""].randomElement(using: &random)!)
    }
    return lines
}

let path = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-dependents-bench-\(UUID().uuidString).sqlite").path
defer { try? FileManager.default.removeItem(atPath: path) }
let store = try SQLiteStore(path: path)
let collection = "django"
try await store.ensureCollection(collection, profile: "django")

@MainActor func document(_ name: String) -> PackageDocument {
    var d = PackageDocument(name: name)
    d.version = "1.0"
    d.summary = "A package of the Django ecosystem"
    d.description = String(repeating: "Some documentation. ", count: 60)
    d.requiresDist = requirements(for: name)
    return d
}

@MainActor final class Timing {
    var keeper = 0.0
    var upsert = 0.0
    var batches = 0
}
@MainActor func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// Writes `documents` as a crawl batch: settle, then one upsert. Returns (keeper s, upsert s).
@MainActor func write(_ documents: [PackageDocument], keeper: DependentsKeeper, timing: Timing) async throws {
    let previous = try await store.documents(documents.map(\.normalizedName), collection: collection)
    var packages: [StoredPackage] = []
    var changes = false
    for var d in documents {
        if let old = previous[d.normalizedName] { d.carryEnrichment(from: old) }
        changes = changes || DependentsKeeper.changesGraph(d, previous: previous[d.normalizedName])
        packages.append(StoredPackage(document: d))
    }
    var settled: [StoredPackage] = []
    timing.keeper += try await seconds { settled = try await keeper.settle(packages, changesGraph: changes) }
    timing.upsert += try await seconds { try await store.upsert(settled, collection: collection) }
    timing.batches += 1
}

@MainActor func report(_ label: String, _ t: Timing, _ keeper: DependentsKeeper) async {
    let s = await keeper.statistics
    print(String(format: "%@\n  %d batches: keeper %.3f s (%.1f ms/batch; graph read %d× in %.3f s; %d others rewritten), upsert %.3f s (%.1f ms/batch); keeper/upsert %.2f",
                 label, t.batches, t.keeper, 1000 * t.keeper / Double(max(1, t.batches)), s.loads, s.loadSeconds, s.rewritten,
                 t.upsert, 1000 * t.upsert / Double(max(1, t.batches)), t.keeper / max(t.upsert, 1e-9)))
}

print("keeping dependents_count current: \(names.count) packages, SQLite, batches of 200")

// 1. A first full crawl into an empty collection.
var documents = names.map(document)
let first = Timing()
let crawl = DependentsKeeper(store: store, collection: collection, enrichers: [], logger: logger)
for start in stride(from: 0, to: documents.count, by: 200) {
    try await write(Array(documents[start..<min(start + 200, documents.count)]), keeper: crawl, timing: first)
}
await report("1. first full crawl (every batch adds packages)", first, crawl)

// 2. A refresh where 5% of the packages changed their requirements.
let refresh = Timing()
let refreshKeeper = DependentsKeeper(store: store, collection: collection, enrichers: [], logger: logger)
for start in stride(from: 0, to: documents.count, by: 200) {
    for i in start..<min(start + 200, documents.count) where Int.random(in: 0..<20, using: &random) == 0 {
        documents[i].requiresDist = requirements(for: documents[i].normalizedName)
    }
    try await write(Array(documents[start..<min(start + 200, documents.count)]), keeper: refreshKeeper, timing: refresh)
}
await report("2. refresh, 5% of packages with changed requirements", refresh, refreshKeeper)

// 3. A refresh where nobody's requirements changed.
let quiet = Timing()
let quietKeeper = DependentsKeeper(store: store, collection: collection, enrichers: [], logger: logger)
for start in stride(from: 0, to: documents.count, by: 200) {
    try await write(Array(documents[start..<min(start + 200, documents.count)]), keeper: quietKeeper, timing: quiet)
}
await report("3. refresh, no requirement changed", quiet, quietKeeper)

// 4. Worker release jobs: one package each, a new run (new keeper) per job.
for changed in [false, true] {
    let job = Timing()
    var last: DependentsKeeper?
    for n in 0..<20 {
        let keeper = DependentsKeeper(store: store, collection: collection, enrichers: [], logger: logger)
        let i = 1 + (n * 613) % (documents.count - 1)
        documents[i].version = "2.\(n)"
        if changed { documents[i].requiresDist = requirements(for: documents[i].normalizedName) + ["django-extra-\(n)"] }
        try await write([documents[i]], keeper: keeper, timing: job)
        last = keeper
    }
    await report("4\(changed ? "b" : "a"). 20 release jobs (one package, one run each), requirements \(changed ? "changed" : "unchanged")", job, last!)
}
