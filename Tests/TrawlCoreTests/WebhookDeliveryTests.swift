import Foundation
import Logging
import Synchronization
import TestSupport
import Testing
@testable import TrawlCore

/// Webhook bodies, signatures, event ids, and one delivery against a loopback receiver. Expected
/// digests were computed outside Swift (Python's `hmac`/`hashlib`), and RFC 4231 gives the first.
@Suite struct WebhookDeliveryTests {
    static let payload = WebhookPayload(
        id: "e1", event: .release, collection: "plone", profile: "plone", package: "plone.app.example", version: "2.0",
        previousVersion: "1.2.10", url: "/packages/plone-app-example?collection=plone", occurredAt: 1_700_000_000)

    @Test func hmacMatchesRFC4231TestCase2() {
        let signature = WebhookSignature.sign(Array("what do ya want for nothing?".utf8), secret: Secret("Jefe"))
        #expect(signature == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func bodyBytesAndTheirSignatureAreFixed() throws {
        let body = try Self.payload.encoded()
        #expect(String(decoding: body, as: UTF8.self) == #"{"collection":"plone","event":"release","id":"e1","occurred_at":1700000000,"package":"plone.app.example","previous_version":"1.2.10","profile":"plone","url":"/packages/plone-app-example?collection=plone","version":"2.0"}"#)
        // python3 -c "import hmac,hashlib; print(hmac.new(b'hook-secret', BODY, hashlib.sha256).hexdigest())"
        let expected = "sha256=64a033d43ab636f9a3c7520ed99d7fcf2daada91beba9963fb9aef7b3d658ce2"
        #expect(WebhookSignature.sign(body, secret: Secret("hook-secret")) == expected)
        #expect(WebhookSignature.verify(expected, body: body, secret: Secret("hook-secret")))
        #expect(!WebhookSignature.verify(expected, body: body + [0x20], secret: Secret("hook-secret")))
        #expect(!WebhookSignature.verify(expected, body: body, secret: Secret("other")))
        #expect(!WebhookSignature.verify("sha256=zz", body: body, secret: Secret("hook-secret")))
    }

    @Test func aNewEventHasNoPreviousVersionButAlwaysAURLField() throws {
        var payload = Self.payload
        payload.event = .new
        payload.previousVersion = nil
        payload.url = nil
        let text = String(decoding: try payload.encoded(), as: UTF8.self)
        #expect(!text.contains("previous_version"))
        #expect(text.contains(#""url":null"#))
        #expect(try JSONDecoder().decode(WebhookPayload.self, from: Data(text.utf8)) == payload)
    }

    @Test func eventIDsAreDeterministicPerChangeAndReceiver() {
        let id = WebhookEventID.make(collection: "plone", kind: .release, package: "plone-app-example", version: "2.0", receiver: "https://hooks.example/in")
        // python3 -c "import hashlib; print(hashlib.sha256(b'plone/release/plone-app-example/2.0\nhttps://hooks.example/in').hexdigest())"
        #expect(id == "c474d724a2bc98f349e798fc5027326f8fd1738f1f4a835446486c5412086bea")
        #expect(id != WebhookEventID.make(collection: "plone", kind: .release, package: "plone-app-example", version: "2.0", receiver: "https://other.example/in"))
        #expect(id != WebhookEventID.make(collection: "plone", kind: .new, package: "plone-app-example", version: "2.0", receiver: "https://hooks.example/in"))
    }

    @Test func eventsAreDerivedFromTheStoredAndTheFetchedVersion() {
        var old = PackageDocument(name: "Foo")
        old.version = "1.0"
        var new = old
        #expect(PackageEvent.detect(stored: old, fetched: new) == nil, "same version: no event")
        new.version = "1.1"
        #expect(PackageEvent.detect(stored: old, fetched: new) == PackageEvent(kind: .release, name: "Foo", normalizedName: "foo", version: "1.1", previousVersion: "1.0"))
        #expect(PackageEvent.detect(stored: nil, fetched: new)?.kind == .new)
        new.version = ""
        #expect(PackageEvent.detect(stored: old, fetched: new) == nil, "no version to announce")
    }

    @Test func notifyJobsAreOnePerWantedReceiverAndCarryNoSecret() throws {
        var profile = Profile(key: "plone", name: "Plone", sources: [], enrichers: [], origin: ProfileOrigin(path: "t", layer: .dropIn))
        let events = [
            PackageEvent(kind: .new, name: "A", normalizedName: "a", version: "1.0"),
            PackageEvent(kind: .release, name: "B", normalizedName: "b", version: "2.0", previousVersion: "1.0"),
        ]
        #expect(try NotifyJob.jobs(for: events, profile: profile, collection: "plone", now: 1).isEmpty, "no notify: no jobs")
        profile.notify = [
            NotifyTarget(url: "https://u:pw-in-url@all.example/in", events: [.new, .release], secretEnv: "ALL_SECRET"),
            NotifyTarget(url: "https://releases.example/in", events: [.release], secretEnv: "REL_SECRET"),
        ]
        let jobs = try NotifyJob.jobs(for: events, profile: profile, collection: "plone", now: 1)
        #expect(jobs.count == 3)
        #expect(Set(jobs.map(\.uniqueKey)).count == 3)
        #expect(jobs.allSatisfy { $0.kind == JobKind.notify && $0.profile == "plone" && $0.maxAttempts == NotifyJob.maxAttempts })
        #expect(!jobs.contains { $0.arguments.contains("pw-in-url") || $0.arguments.contains("u:") }, "URL credentials stay in the profile")
        let decoded = try jobs.map { try NotifyJob.decode($0.arguments) }
        #expect(decoded.map(\.receiver) == ["https://all.example/in", "https://all.example/in", "https://releases.example/in"])
        #expect(zip(jobs, decoded).allSatisfy { job, notify in job.uniqueKey == "notify:" + notify.payload.id })
        #expect(decoded[1].payload.previousVersion == "1.0")
        #expect(decoded[0].payload.url == "/packages/a?collection=plone")
    }

    /// One delivery: the headers and signature a receiver sees, Basic credentials from the URL, and
    /// every non-2xx answer (a redirect included) thrown for the queue to retry.
    @Test func deliveryPostsSignedJSONAndThrowsOnAnythingButA2xx() async throws {
        let answers = Mutex<[LoopbackResponse]>([.status(500), .reset, .status(302, headers: [("Location", "/elsewhere")]), .status(204)])
        let receiver = try await LoopbackServer.start { request in
            if request.path == "/elsewhere" { return .status(200) }
            return answers.withLock { $0.isEmpty ? .status(200) : $0.removeFirst() }
        }
        // A long deadline: each delivery is one attempt, and a timeout under load would be a wrong error case.
        var configuration = WebhookDelivery.httpConfiguration(timeout: TestTimeouts.request)
        configuration.connectTimeout = TestTimeouts.connect
        let http = HTTPFetcher(configuration: configuration)
        let delivery = WebhookDelivery(http: http, timeout: TestTimeouts.request)
        let url = receiver.baseURL + "/hook"
        let secret = Secret("hook-secret")
        await #expect(throws: HTTPFetchError.self) { try await delivery.deliver(Self.payload, to: url, secret: secret) }
        await #expect(throws: HTTPFetchError.self) { try await delivery.deliver(Self.payload, to: url, secret: secret) }
        await #expect(throws: WebhookDeliveryError.self) { try await delivery.deliver(Self.payload, to: url, secret: secret) }
        try await delivery.deliver(Self.payload, to: url, secret: secret, authorization: Secret("Basic dTpw"))
        try await http.shutdown()
        let requests = receiver.requests()
        try await receiver.shutdown()

        #expect(requests.map(\.path) == ["/hook", "/hook", "/hook", "/hook"], "one attempt per delivery, no redirect followed")
        let last = try #require(requests.last)
        #expect(last.method == "POST")
        #expect(last.header("Content-Type") == "application/json")
        #expect(last.header("X-Trawl-Event") == "release")
        #expect(last.header("X-Trawl-Event-Id") == "e1")
        #expect(last.header("Authorization") == "Basic dTpw")
        #expect(last.body == (try Self.payload.encoded()))
        #expect(last.header("X-Trawl-Signature") == "sha256=64a033d43ab636f9a3c7520ed99d7fcf2daada91beba9963fb9aef7b3d658ce2")
        #expect(requests.allSatisfy { $0.header("X-Trawl-Signature") == last.header("X-Trawl-Signature") })
    }
}
