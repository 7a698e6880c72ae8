import Foundation
import Synchronization
import TestSupport
import Testing
import TrawlCore
import TrawlStore

/// `trawl worker` delivers queued webhook events as a process: the receiver and secret come from
/// the profile and the environment it loaded, and neither the secret nor the URL's password shows
/// in its `--verbose` output or in `trawl queue stats`.
@Suite struct WebhookCLITests {
    @Test func theWorkerDeliversANotifyJobAndNeverPrintsTheSecret() async throws {
        let first = Mutex(true)
        let receiver = try await LoopbackServer.start { _ in
            first.withLock { isFirst in defer { isFirst = false }; return isFirst } ? .status(503) : .status(204)
        }
        let dir = TrawlProcess.temporaryDirectory()
        let profiles = dir.appendingPathComponent("profiles")
        try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
        let url = receiver.baseURL.replacingOccurrences(of: "http://", with: "http://hookuser:pw-never-shown@") + "/in"
        try """
            key: hooks
            name: Hooks
            sources:
              - kind: pypi-names
                names: [hooks-*]
            notify:
              - url: \(url)
                events: [release]
                secret_env: TRAWL_TEST_HOOK_SECRET
            """.write(to: profiles.appendingPathComponent("hooks.yaml"), atomically: true, encoding: .utf8)
        let storeURL = "sqlite:" + dir.appendingPathComponent("t.sqlite").path
        let secret = "whsec-cli-\(UUID().uuidString)"
        let profile = Profile(
            key: "hooks", name: "Hooks", sources: [], enrichers: [],
            notify: [NotifyTarget(url: url, events: [.release], secretEnv: "TRAWL_TEST_HOOK_SECRET")], origin: ProfileOrigin(path: "t", layer: .dropIn))
        let event = PackageEvent(kind: .release, name: "hooks-one", normalizedName: "hooks-one", version: "2.0", previousVersion: "1.0")
        let store = try StoreLocator.open(storeURL)
        let now = Int64(Date().timeIntervalSince1970)
        try await store.enqueue(try NotifyJob.jobs(for: [event], profile: profile, collection: "hooks", now: now), now: now)

        var env = WorkerCLITests.environment(store: storeURL)
        env["TRAWL_PROFILES_DIR"] = profiles.path
        env["TRAWL_TEST_HOOK_SECRET"] = secret
        let worker = try await TrawlProcess.run(["worker", "--once", "--no-schedule", "-p", "hooks", "-v"], environment: env, directory: dir)
        let stats = try await TrawlProcess.run(["queue", "stats", "--json"], environment: env, directory: dir)
        let jobs = try await store.jobs(status: nil, limit: 10)
        try await store.close()
        let requests = receiver.requests()
        try await receiver.shutdown()

        #expect(worker.status == 3, "a job failed once (then was delivered): \(worker.stderr)")
        #expect(jobs.count == 1 && jobs.first?.status == .done && jobs.first?.attempts == 2, "\(jobs)")
        #expect(requests.count == 2)
        for request in requests {
            #expect(request.header("X-Trawl-Event") == "release")
            #expect(WebhookSignature.verify(request.header("X-Trawl-Signature") ?? "", body: request.body, secret: Secret(secret)))
        }
        let printed = worker.stdout + worker.stderr + stats.stdout + stats.stderr
        #expect(printed.contains("HTTP 503"), "the failure is reported: \(worker.stderr)")
        #expect(printed.contains("webhook delivered"))
        for needle in [secret, "pw-never-shown"] {
            #expect(!printed.contains(needle), "\(needle) was printed")
            #expect(!(jobs.first.map { "\($0)" } ?? "").contains(needle), "\(needle) was stored")
        }
    }
}
