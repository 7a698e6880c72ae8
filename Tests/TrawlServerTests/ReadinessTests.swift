import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import Testing
import TestSupport
import TrawlCore
@testable import TrawlServer
import TrawlStore

/// `/readyz` and `/healthz` while the in-memory index loads and after, and `SearchAdmission`'s
/// contract: arrival order, never more than the limit at once, a grown limit admits the waiting.
@Suite struct ReadinessTests {
    /// The application alone, without `run`'s background load: the index loads only when the test says.
    @Test func readyOnlyOnceTheIndexIsLoadedAndSearchesAnswerMeanwhile() async throws {
        let directory = TrawlProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await ServerHarness.seededStore(at: directory)
        var options = ServerOptions(host: "127.0.0.1", port: 0, isPrivate: false, adminKey: Secret(ServerHarness.adminKey), profiles: [])
        options.inMemoryIndex = true
        options.indexWait = .milliseconds(200)  // the index never loads here until the test says: the store answers
        let server = try TrawlHTTPServer(store: store, options: options)
        var logger = Logger(label: "readiness-test")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let services = ServiceGroup(configuration: .init(
            services: [server.application(logger: logger) { continuation.yield($0) }], gracefulShutdownSignals: [], logger: logger))
        let shutdown = ShutdownTrigger()
        await shutdown.attach(services)
        let task = Task { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        func get(_ path: String) async throws -> (status: Int, json: [String: Any], text: String) {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: TestTimeouts.clientRequest)
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:], String(buffer: body))
        }
        do {
            let loading = try await get("/readyz")
            #expect(loading.status == 503 && loading.json["status"] as? String == "loading" && loading.json["ready"] as? Bool == false)
            let live = try await get("/healthz")
            #expect(live.status == 200 && live.json["ok"] as? Bool == true && live.json["ready"] as? Bool == false, "alive while loading, and says so")
            #expect(try await get("/metrics").text.contains("trawl_search_index_ready 0"))
            let fromStore = try await get("/api/v1/django-1/packages?q=rest")
            #expect(fromStore.status == 200 && (fromStore.json["found"] as? Int ?? 0) > 0, "searches are answered from the store meanwhile")

            try await server.refreshIndex()
            let ready = try await get("/readyz")
            #expect(ready.status == 200 && ready.json["status"] as? String == "ready" && ready.json["ready"] as? Bool == true)
            let fromIndex = try await get("/api/v1/django-1/packages?q=rest")
            #expect(fromIndex.json["found"] as? Int == fromStore.json["found"] as? Int)
            #expect(try await get("/healthz").json["ready"] as? Bool == true)
            let metrics = try await get("/metrics").text
            #expect(metrics.contains("trawl_search_index_ready 1") && metrics.contains("trawl_searches_waiting 0"), "\(metrics.prefix(600))")
        } catch {
            await shutdown.trigger()
            _ = try? await task.value
            try? await store.close()
            throw error
        }
        await shutdown.trigger()
        _ = try? await task.value
        try await store.close()
    }

    /// Many tasks ask at once; each records when it ran. Order of admission is order of arrival, and
    /// the number running never exceeds the limit.
    @Test func admissionIsFirstComeFirstServedUnderTheLimit() async throws {
        let admission = SearchAdmission()
        let log = Recorder()
        // Hold the only slot so every later arrival queues, then let them arrive one after another.
        let gate = AsyncStream.makeStream(of: Void.self)
        let holder = Task { try await admission.run(limit: 1) { for await _ in gate.stream { break } } }
        while admission.load.running == 0 { await Task.yield() }
        var tasks: [Task<Void, any Error>] = []
        for i in 0..<20 {
            tasks.append(Task { try await admission.run(limit: 1) { await log.enter(i); await Task.yield(); await log.leave() } })
            while admission.load.waiting < i + 1 { await Task.yield() }
        }
        gate.continuation.yield()
        try await holder.value
        for task in tasks { try await task.value }
        #expect(await log.order == Array(0..<20), "served in arrival order")
        #expect(await log.peak == 1)
        #expect(admission.load.running == 0 && admission.load.waiting == 0)
    }

    @Test func aGrownLimitAdmitsTheWaitingAndNeverMoreThanItAllows() async throws {
        let admission = SearchAdmission()
        let log = Recorder()
        let limit = LimitBox(1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<40 {
                group.addTask {
                    if i == 10 { await limit.set(3) }
                    try await admission.run(limit: await limit.value) {
                        await log.enter(i)
                        try await Task.sleep(for: .milliseconds(2))
                        await log.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await log.order.count == 40)
        #expect(await log.peak <= 3, "never more than the largest limit at once")
        #expect(admission.load.running == 0 && admission.load.waiting == 0, "every slot given back")
    }

    actor Recorder {
        var order: [Int] = []
        var running = 0
        var peak = 0
        func enter(_ i: Int) {
            order.append(i)
            running += 1
            peak = max(peak, running)
        }
        func leave() { running -= 1 }
    }

    actor LimitBox {
        var value: Int
        init(_ value: Int) { self.value = value }
        func set(_ v: Int) { value = v }
    }
}
