import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TestSupport
import Testing
import TrawlCore
import TrawlServer
import TrawlStore

/// A server on a free loopback port over a temporary SQLite store filled with the fixtures.
struct ServerHarness: Sendable {
    static let adminKey = "test-admin-key-0123456789"

    let store: SQLiteStore
    let server: TrawlHTTPServer
    let port: Int
    let task: Task<Void, any Error>
    let shutdown: ShutdownTrigger
    let directory: URL

    var baseURL: String { "http://127.0.0.1:\(port)" }

    static func seededStore(at directory: URL) async throws -> SQLiteStore {
        let store = try SQLiteStore(path: directory.appendingPathComponent("trawl.sqlite").path)
        try await store.ensureCollection("django-1", profile: "django")
        try await store.upsert(Fixtures.django, collection: "django-1")
        try await store.setAlias("django", target: "django-1")
        try await store.ensureCollection("flask", profile: "flask")
        try await store.upsert(Fixtures.flask, collection: "flask")
        try await store.recordProblems([Problem(package: "channels", kind: "github-404", message: "repository not found", seenAt: Fixtures.now)], collection: "django-1")
        return store
    }

    /// `inMemoryIndex`: searches answered by the in-memory index (loaded before the first request,
    /// so tests see it, not the SQL fallback), or by SQL alone.
    static func start(isPrivate: Bool = false, seed: Bool = true, inMemoryIndex: Bool = true, store given: SQLiteStore? = nil) async throws -> ServerHarness {
        let directory = TrawlProcess.temporaryDirectory()
        let store: SQLiteStore
        if let given {
            store = given
        } else {
            store = seed ? try await seededStore(at: directory) : try SQLiteStore(path: directory.appendingPathComponent("trawl.sqlite").path)
        }
        var options = ServerOptions(
            host: "127.0.0.1", port: 0, isPrivate: isPrivate, adminKey: Secret(adminKey),
            profiles: [ProfileSummary(key: "django", name: "Django"), ProfileSummary(key: "flask", name: "Flask")])
        options.inMemoryIndex = inMemoryIndex
        let server = try TrawlHTTPServer(store: store, options: options)
        try await server.refreshIndex()
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "test-server")
        logger.logLevel = .warning
        let shutdown = ShutdownTrigger()
        let task = Task {
            try await server.run(logger: logger, signals: [], shutdown: shutdown) { port in continuation.yield(port) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return ServerHarness(store: store, server: server, port: port, task: task, shutdown: shutdown, directory: directory)
    }

    /// Stops the server gracefully (see `ShutdownTrigger`: cancelling can end the test process);
    /// a server still running 20 s later (a client holding a request open) is cancelled.
    func stop() async {
        await shutdown.trigger()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { _ = try? await task.value }
            group.addTask {
                try? await Task.sleep(for: .seconds(20))
                task.cancel()
            }
            await group.next()
            group.cancelAll()
        }
        _ = try? await task.value
        try? await store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    struct Reply: Sendable {
        var status: Int
        var body: String
        var headers: [String: String]

        func json() throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "not a JSON object: \(body.prefix(200))")
        }

        func jsonArray() throws -> [[String: Any]] {
            try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]], "not a JSON array: \(body.prefix(200))")
        }
    }

    func request(_ path: String, method: HTTPMethod = .GET, key: String? = nil, body: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let key { request.headers.add(name: "X-TYPESENSE-API-KEY", value: key) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: TestTimeouts.clientRequest)
        let buffer = try await response.body.collect(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), body: String(buffer: buffer), headers: headers)
    }

    func get(_ path: String, key: String? = nil) async throws -> Reply {
        try await request(path, key: key)
    }

    /// Runs `body` against a fresh server and always stops it.
    static func with(isPrivate: Bool = false, _ body: (ServerHarness) async throws -> Void) async throws {
        let server = try await start(isPrivate: isPrivate)
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

extension Dictionary where Key == String, Value == Any {
    func array(_ key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }
    func object(_ key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
}
