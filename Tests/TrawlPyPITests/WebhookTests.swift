import Crypto
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing
import TrawlCore
import TrawlStore

/// Webhooks end to end: crawls queue `notify` jobs for new packages and releases, and a worker
/// delivers them to a loopback receiver that fails on purpose. Every event arrives; after dropping
/// repeats by id, each arrives once; every body is signed; the secret is never written anywhere.
@Suite struct WebhookTests {
    static let secretVariable = "TRAWL_TEST_HOOK_SECRET"

    /// The Plone test profile with one receiver (credentials written into its URL, as some receivers want).
    static func profile(receiver: String) -> Profile {
        var profile = CrawlHarness.plone
        let url = receiver.replacingOccurrences(of: "http://", with: "http://hookuser:hookpass@") + "/hook"
        profile.notify = [NotifyTarget(url: url, events: [.new, .release], secretEnv: secretVariable)]
        return profile
    }

    /// A receiver that answers 500 to the first attempt of every event (after reading it: a receiver
    /// that processed a delivery but failed to acknowledge it), resets the connection on the second
    /// attempt of about half of them, and accepts after that.
    static func failingReceiver() async throws -> LoopbackServer {
        let attempts = Mutex<[String: Int]>([:])
        return try await LoopbackServer.start { request in
            let id = request.header("X-Trawl-Event-Id") ?? ""
            let attempt = attempts.withLock { seen -> Int in
                seen[id, default: 0] += 1
                return seen[id]!
            }
            switch attempt {
            case 1: return .status(500)
            case 2 where id.first.map { "01234567".contains($0) } == true: return .reset
            default: return .status(204)
            }
        }
    }

    @Test func everyEventArrivesSignedAndOncePerIDThroughAFailingReceiver() async throws {
        let receiver = try await Self.failingReceiver()
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        let profile = Self.profile(receiver: receiver.baseURL)
        let secret = "whsec-\(UUID().uuidString)"

        // The first crawl imports 23 packages into an empty collection: an import announces nothing
        // (every package would be "new"). The second sees eight releases and two newcomers (and a
        // release of a package outside the profile, which is nobody's event).
        let full = try await h.crawler(.full, profile: profile).run()
        #expect(try await h.store.jobs(status: nil, limit: 1000).filter { $0.kind == JobKind.notify }.isEmpty, "an import announces nothing")
        let before = try await Self.versions(h.store)
        var expected: Set<String> = []
        for (i, name) in before.keys.sorted().filter({ $0 != "plone.app.example" }).prefix(7).enumerated() {
            h.fake.release(name, version: "9.\(i)")
            expected.insert("release \(name) 9.\(i) from \(before[name]!)")
        }
        h.fake.release("plone.app.example", version: "2.0")
        expected.insert("release plone.app.example 2.0 from 1.2.10")
        for name in ["collective.newcomer", "collective.other-newcomer"] {
            h.fake.add(.init(name: name, versions: ["0.1"], classifiers: ["Framework :: Plone"]))
            expected.insert("new \(name) 0.1")
        }
        h.fake.release("flask-thing1", version: "9.9")
        let incremental = try await h.crawler(.incremental, profile: profile).run()
        let after = try await Self.versions(h.store)
        #expect(full.indexed == 23 && incremental.indexed == 10, "\(full) \(incremental)")
        // Queueing never contacted the receiver: the crawls did not wait on it at all.
        #expect(receiver.requestCount == 0)
        let queued = try await h.store.jobs(status: .pending, limit: 1000).filter { $0.kind == JobKind.notify }
        #expect(queued.count == 10)
        #expect(after["collective.newcomer"] == "0.1" && after["plone.app.example"] == "2.0")

        // The worker drains the queue: no backoff, so each retry is runnable at once.
        let capture = LogCapture()
        let logger = capture.logger()
        // A long deadline: a delivery timed out under load is an extra failed attempt the counts below do not expect.
        var http = WebhookDelivery.httpConfiguration(timeout: TestTimeouts.request)
        http.connectTimeout = TestTimeouts.connect
        let runner = NotifyJobRunner(
            profile: { $0 == profile.key ? profile : nil }, environment: { $0 == Self.secretVariable ? secret : nil },
            http: http, logger: logger)
        var handlers = JobHandlers()
        handlers.register(JobKind.notify) { job in try await runner.run(job) }
        let worker = QueueWorker(
            queue: h.store, handlers: handlers,
            configuration: .init(idlePoll: .milliseconds(10), once: true, schedule: false, backoff: JobBackoff(base: 0), maxAttempts: 8),
            logger: logger)
        var summary = QueueWorker.Summary()
        for _ in 0..<NotifyJob.maxAttempts {  // `once` stops when nothing is runnable; a retry is runnable at once
            let pass = try await worker.run()
            summary.completed += pass.completed
            summary.failed += pass.failed
            summary.dead += pass.dead
            if try await h.store.jobs(status: nil, limit: 1000).allSatisfy({ $0.status == .done }) { break }
        }
        let jobs = try await h.store.jobs(status: nil, limit: 1000)
        let requests = receiver.requests()
        try await h.shutdown()
        try await receiver.shutdown()

        #expect(summary.completed == expected.count && summary.dead == 0, "\(summary)")
        #expect(summary.failed >= expected.count, "every event failed at least once")
        #expect(jobs.allSatisfy { $0.status == .done && $0.attempts >= 2 }, "\(jobs.map { ($0.status, $0.attempts, $0.lastError ?? "") })")

        // What arrived, de-duplicated by event id.
        var byID: [String: [UInt8]] = [:]
        var repeats = 0
        for request in requests {
            #expect(request.method == "POST" && request.path == "/hook")
            #expect(request.header("Content-Type") == "application/json")
            #expect(request.header("Authorization") == "Basic " + Data("hookuser:hookpass".utf8).base64EncodedString())
            let signature = try #require(request.header("X-Trawl-Signature"))
            #expect(signature == Self.expectedSignature(request.body, secret: secret), "the signature covers the exact body bytes")
            let id = try #require(request.header("X-Trawl-Event-Id"))
            let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            #expect(body["id"] as? String == id)
            #expect(body["event"] as? String == request.header("X-Trawl-Event"))
            if let earlier = byID[id] {
                repeats += 1
                #expect(earlier == request.body, "a retry sends the same bytes")
            }
            byID[id] = request.body
        }
        #expect(repeats >= expected.count, "duplicates before de-duplication: every event was sent at least twice")
        #expect(byID.count == expected.count)
        var delivered: Set<String> = []
        for body in byID.values {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
            #expect(event["collection"] as? String == "plone" && event["profile"] as? String == "plone")
            #expect((event["occurred_at"] as? Int ?? 0) > 1_700_000_000)
            let package = event["package"] as? String ?? "", version = event["version"] as? String ?? ""
            #expect(event["url"] as? String == "/packages/\(PackageName.normalize(package))?collection=plone")
            switch event["event"] as? String {
            case "new":
                #expect(event["previous_version"] == nil)
                delivered.insert("new \(package) \(version)")
            case "release":
                delivered.insert("release \(package) \(version) from \(event["previous_version"] as? String ?? "?")")
            default:
                Issue.record("unexpected event \(event)")
            }
        }
        #expect(delivered == expected, "missing: \(expected.subtracting(delivered)); extra: \(delivered.subtracting(expected))")

        // The secret and the URL's password are nowhere: not in logs, not in the queue's records.
        let logs = capture.text
        #expect(logs.contains("webhook delivered") && logs.contains("job failed"), "the capture saw the worker")
        let stored = jobs.map { "\($0.arguments) \($0.uniqueKey ?? "") \($0.lastError ?? "")" }.joined(separator: "\n")
        #expect(jobs.contains { $0.lastError?.contains("HTTP 500") == true }, "failures are recorded")
        for needle in [secret, "hookpass", Data("hookuser:hookpass".utf8).base64EncodedString()] {
            #expect(!logs.contains(needle), "\(needle) leaked into the logs")
            #expect(!stored.contains(needle), "\(needle) leaked into the queue")
        }
    }

    @Test func aProfileWithoutNotifyQueuesNothing() async throws {
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        _ = try await h.crawler(.full).run()
        h.fake.release("plone.app.example", version: "2.0")
        h.fake.add(.init(name: "collective.newcomer", versions: ["0.1"], classifiers: ["Framework :: Plone"]))
        let incremental = try await h.crawler(.incremental).run()
        let counts = try await h.store.jobCounts()
        try await h.shutdown()
        #expect(incremental.indexed == 2)
        #expect(counts.isEmpty, "\(counts)")
    }

    /// A change seen twice (a crawl resumed after dying between queueing and storing) is queued once.
    @Test func theSameChangeDetectedTwiceIsQueuedOnce() async throws {
        let receiver = try await LoopbackServer.start { _ in .status(204) }
        let h = try await CrawlHarness.start(CrawlHarness.sampleProjects())
        let profile = Self.profile(receiver: receiver.baseURL)
        let events = [PackageEvent(kind: .release, name: "plone.app.example", normalizedName: "plone-app-example", version: "2.0", previousVersion: "1.2.10")]
        let first = try NotifyJob.jobs(for: events, profile: profile, collection: "plone", now: 1_800_000_000)
        let again = try NotifyJob.jobs(for: events, profile: profile, collection: "plone", now: 1_800_000_060)
        let added = try await h.store.enqueue(first, now: 1_800_000_000)
        let addedAgain = try await h.store.enqueue(again, now: 1_800_000_060)
        let jobs = try await h.store.jobs(status: nil, limit: 10)
        try await h.shutdown()
        try await receiver.shutdown()
        #expect(added == 1 && addedAgain == 0)
        #expect(jobs.count == 1)
    }

    static func versions(_ store: SQLiteStore) async throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try await store.documentNames(collection: "plone") {
            if let doc = try await store.document(name, collection: "plone") { out[doc.name] = doc.version }
        }
        return out
    }

    /// HMAC-SHA256 computed here with swift-crypto directly, not through Trawl's signer.
    static func expectedSignature(_ body: [UInt8], secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}

/// Every log line (message and metadata) at every level, to search for leaks.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func logger() -> Logger {
        var logger = Logger(label: "webhook-test") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append("\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 }) \(event.error.map { "\($0)" } ?? "")")
        }
    }
}
