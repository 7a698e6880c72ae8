public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The Python every test and benchmark runs (the loopback fakes, the Typesense wrapper, the client
/// checks): `TRAWL_PYTHON` (set by `scripts/test`), else the project's virtual environment
/// `.venv/bin/python3` (made by `scripts/setup`; Debian's own Python refuses `pip install`,
/// PEP 668), else `python3` on PATH.
public enum Python {
    /// The package root: `<root>/Tests/TestSupport/Python.swift` → `<root>`.
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// An absolute path to the interpreter, or nil when there is none.
    public static var executable: String? {
        let env = ProcessInfo.processInfo.environment
        if let explicit = env["TRAWL_PYTHON"], !explicit.isEmpty {
            if explicit.contains("/") { return FileManager.default.isExecutableFile(atPath: explicit) ? explicit : nil }
            return which(explicit, path: env["PATH"])
        }
        let venv = packageRoot.appendingPathComponent(".venv/bin/python3").path
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        return which("python3", path: env["PATH"])
    }

    /// A process that runs the interpreter with `arguments` (not started). Without an interpreter
    /// it runs `python3` through `env`, which fails to start the way a missing tool does.
    public static func process(_ arguments: [String]) -> Process {
        let process = Process()
        if let executable {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3"] + arguments
        }
        return process
    }

    /// Whether `import MODULE` works, waiting without blocking a thread (spawned by `ChildProcess`).
    public static func has(_ module: String) async -> Bool {
        let (path, arguments) = executable.map { ($0, ["-c", "import \(module)"]) } ?? ("/usr/bin/env", ["python3", "-c", "import \(module)"])
        guard let child = try? ChildProcess.spawn(
            executable: path, arguments: arguments, environment: ProcessInfo.processInfo.environment,
            directory: FileManager.default.temporaryDirectory.path)
        else { return false }
        return await child.exitStatus() == 0
    }

    /// Whether `import MODULE` works (blocking: for synchronous callers and benchmarks).
    public static func hasBlocking(_ module: String) -> Bool {
        let p = process(["-c", "import \(module)"])
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    static func which(_ name: String, path: String?) -> String? {
        for dir in (path ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// A Python loopback fake from `Tests/Fakes/` (`clickhouse_fake.py`, `github_fake.py`): the one
/// launcher both use. It writes the fixture to a temporary folder, starts the script with
/// `--port 0 --data FIXTURE`, waits for its one line `LISTENING <port>`, and kills it on `stop()`.
public final class PythonFake: @unchecked Sendable {
    public let baseURL: String
    let process: Process
    let directory: URL

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    init(baseURL: String, process: Process, directory: URL) {
        self.baseURL = baseURL
        self.process = process
        self.directory = directory
    }

    /// Starts `Tests/Fakes/{script}` and waits (without blocking a thread) until it listens.
    public static func start(script: String, fixture: [String: Any], arguments: [String] = []) async throws -> PythonFake {
        let (process, dir, out) = try spawn(script: script, fixture: fixture, arguments: arguments)
        for _ in 0..<600 {  // up to 30 s: chdb loads a large fixture slowly
            if let fake = try listening(process, dir, out, script) { return fake }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try gaveUp(process, dir, out, script)
    }

    /// The same, waiting on the calling thread (for synchronous callers such as benchmarks).
    public static func startBlocking(script: String, fixture: [String: Any], arguments: [String] = []) throws -> PythonFake {
        let (process, dir, out) = try spawn(script: script, fixture: fixture, arguments: arguments)
        for _ in 0..<600 {
            if let fake = try listening(process, dir, out, script) { return fake }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try gaveUp(process, dir, out, script)
    }

    static func spawn(script: String, fixture: [String: Any], arguments: [String]) throws -> (Process, URL, URL) {
        let path = Python.packageRoot.appendingPathComponent("Tests/Fakes/\(script)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-fake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let data = dir.appendingPathComponent("fixture.json")
        try JSONSerialization.data(withJSONObject: fixture).write(to: data)
        let out = dir.appendingPathComponent("stdout")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let process = Python.process([path.path, "--port", "0", "--data", data.path] + arguments)
        // Output goes to a file, never a pipe: a fake that logs could otherwise fill a pipe and stall.
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, dir, out)
    }

    /// The fake once its `LISTENING <port>` line is complete; nil while it is still starting.
    static func listening(_ process: Process, _ dir: URL, _ out: URL, _ script: String) throws -> PythonFake? {
        let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        if let newline = text.firstIndex(of: "\n") {
            let line = text[..<newline].trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("LISTENING "), let port = Int(line.dropFirst(10)) else {
                kill(process.processIdentifier, SIGKILL)
                throw Unavailable(description: "\(script) did not start (said: '\(line)')")
            }
            return PythonFake(baseURL: "http://127.0.0.1:\(port)", process: process, directory: dir)
        }
        if !process.isRunning { throw Unavailable(description: "\(script) exited before listening (status \(process.terminationStatus))") }
        return nil
    }

    static func gaveUp(_ process: Process, _ dir: URL, _ out: URL, _ script: String) throws -> PythonFake {
        kill(process.processIdentifier, SIGKILL)
        try? FileManager.default.removeItem(at: dir)
        throw Unavailable(description: "\(script) did not start within 30 s")
    }

    /// GET `path` as a JSON object (the fakes' `/_fake/stats`).
    public func json(_ path: String) async throws -> [String: Any] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: baseURL + path)!)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// POST a JSON object to `path` (the fakes' `/_fake/config`).
    public func post(_ path: String, _ object: [String: Any]) async throws {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: object)
        _ = try await URLSession.shared.data(for: request)
    }

    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Tests that need a real server or tool: skipped with a message locally, failed in CI — that is,
/// whenever `CI` is set to any non-empty value (CI services set `CI=true`, `CI=1`, `CI=yes`, …).
public enum RequiredServer {
    public static var inCI: Bool { !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty }
}
