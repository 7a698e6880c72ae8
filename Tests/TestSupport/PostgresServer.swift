public import Foundation

/// A real PostgreSQL for tests: `initdb` + `pg_ctl` into a temporary folder on a free loopback port,
/// started once per test process on first use and stopped when the process exits. Each test gets
/// its own database (`database()`), so tests running in parallel never see each other's rows.
///
/// `initdb` refuses to run as root, so as root the cluster belongs to the `postgres` user.
public actor PostgresServer {
    public let port: Int
    let binDirectory: String
    let directory: URL
    private var counter = 0
    /// The `pg_ctl start` process, kept so Foundation does not tear down its monitoring early.
    nonisolated(unsafe) let launcher: Process?

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    private init(port: Int, binDirectory: String, directory: URL, launcher: Process?) {
        self.launcher = launcher
        self.port = port
        self.binDirectory = binDirectory
        self.directory = directory
    }

    /// The PostgreSQL binaries' folder (Debian's /usr/lib/postgresql/N/bin, newest first), or nil.
    public static var binDirectory: String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        for version in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/initdb") {
            return String(dir)
        }
        return nil
    }

    public static var isAvailable: Bool { binDirectory != nil }

    private static let shared = SharedStart()

    /// The server of this test process (started on first call); nil when PostgreSQL is not installed.
    public static func running() async throws -> PostgresServer? {
        guard let bin = binDirectory else { return nil }
        return try await shared.server(bin: bin)
    }

    /// A new empty database; returns its `postgres://` URL.
    public func database() async throws -> String {
        counter += 1
        let name = "trawl_\(ProcessInfo.processInfo.processIdentifier)_\(counter)_\(UInt32.random(in: 0...UInt32.max))"
        let result = try await Self.run("\(binDirectory)/createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", name])
        guard result.status == 0 else { throw Unavailable(description: "createdb failed: \(result.output)") }
        return url(database: name)
    }

    public func url(database: String) -> String {
        "postgres://postgres:secret-pw@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    actor SharedStart {
        var task: Task<PostgresServer, any Error>?

        func server(bin: String) async throws -> PostgresServer {
            if let task { return try await task.value }
            let task = Task { try await PostgresServer.start(bin: bin) }
            self.task = task
            return try await task.value
        }
    }

    static var isRoot: Bool { getuid() == 0 }

    /// Runs a PostgreSQL tool, as the `postgres` user when we are root.
    static func tool(_ bin: String, _ name: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        if isRoot { return try await run("/usr/sbin/runuser", ["-u", "postgres", "--", "\(bin)/\(name)"] + arguments) }
        return try await run("\(bin)/\(name)", arguments)
    }

    static func start(bin: String) async throws -> PostgresServer {
        let dir = URL(fileURLWithPath: "/tmp").appendingPathComponent("trawl-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if isRoot { try FileManager.default.setAttributes([.ownerAccountName: "postgres", .groupOwnerAccountName: "postgres"], ofItemAtPath: dir.path) }
        let data = dir.appendingPathComponent("data").path
        let initdb = try await tool(bin, "initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"])
        guard initdb.status == 0 else { throw Unavailable(description: "initdb failed: \(initdb.output)") }
        for _ in 0..<10 {
            let port = try ServerPorts.free()  // below the ephemeral range the loopback fakes are given
            let options = "-p \(port) -k \(dir.path) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"
            let log = dir.appendingPathComponent("log-\(port)")
            // Not awaited: the server inherits the descriptor Foundation watches for the child's exit,
            // so pg_ctl's end would be seen only when the server stops. Readiness is polled instead,
            // through this cluster's own socket folder (never another server on the same port).
            let launcher = launch(isRoot ? "/usr/sbin/runuser" : "\(bin)/pg_ctl",
                                  (isRoot ? ["-u", "postgres", "--", "\(bin)/pg_ctl"] : []) + ["-D", data, "-o", options, "-l", log.path, "start"])
            for _ in 0..<150 {
                try await Task.sleep(for: .milliseconds(100))
                let ready = try await run("\(bin)/pg_isready", ["-q", "-h", dir.path, "-p", "\(port)", "-U", "postgres"])
                if ready.status == 0 {
                    StopAtExit.register(bin: bin, data: data, directory: dir.path)
                    return PostgresServer(port: port, binDirectory: bin, directory: dir, launcher: launcher)
                }
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if text.contains("could not bind") || text.contains("could not create") { break }  // port taken: try another
            }
            // Not ready: make sure nothing half-started is left behind before the next port.
            _ = try? await tool(bin, "pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
        }
        let logs = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasPrefix("log") }
            .compactMap { try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }.joined(separator: "\n")
        throw Unavailable(description: "pg_ctl could not start PostgreSQL: \(logs.suffix(2000))")
    }

    /// Starts a process without waiting for it.
    static func launch(_ executable: String, _ arguments: [String]) -> Process? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        process.currentDirectoryURL = URL(fileURLWithPath: "/tmp")
        return (try? process.run()) == nil ? nil : process
    }

    /// Runs a process to its end without blocking a thread; returns status and combined output.
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-pg-out-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: scratch.path, contents: nil)
        // World-writable so a tool run as `postgres` may write it; never a pipe (pg_ctl's server keeps it open).
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: scratch.path)
        let handle = try FileHandle(forWritingTo: scratch)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        process.currentDirectoryURL = URL(fileURLWithPath: "/tmp")
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try handle.close()
        defer { try? FileManager.default.removeItem(at: scratch) }
        return (process.terminationStatus, String(decoding: (try? Data(contentsOf: scratch)) ?? Data(), as: UTF8.self))
    }
}

/// Stops the cluster when the test process exits (an `atexit` handler cannot capture, hence the globals).
enum StopAtExit {
    nonisolated(unsafe) static var command: [String] = []
    nonisolated(unsafe) static var directory = ""

    static func register(bin: String, data: String, directory: String) {
        let stop = ["\(bin)/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]
        command = PostgresServer.isRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + stop : stop
        self.directory = directory
        atexit {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: StopAtExit.command[0])
            process.arguments = Array(StopAtExit.command.dropFirst())
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
            process.waitUntilExit()  // at exit: no cooperative pool left to block
            try? FileManager.default.removeItem(atPath: StopAtExit.directory)
        }
    }
}
