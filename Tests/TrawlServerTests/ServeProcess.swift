import Foundation
import TestSupport
import Testing

/// `trawl serve --port 0` as a child process over a seeded store (`ServingProcess` runs it).
struct ServeProcess {
    let serving: ServingProcess
    var process: ChildProcess { serving.process }
    var port: Int { serving.port }
    var directory: URL { serving.directory }
    var stderrURL: URL { serving.stderrURL }
    var baseURL: String { serving.baseURL }

    /// What the server printed on standard output so far.
    var stdout: String { serving.stdout }

    static func start(extraArguments: [String] = [], environment: [String: String] = [:]) async throws -> ServeProcess {
        let directory = TrawlProcess.temporaryDirectory()
        let store = try await ServerHarness.seededStore(at: directory)
        try await store.close()
        var env = ["TRAWL_ADMIN_KEY": ServerHarness.adminKey]
        env.merge(environment) { _, new in new }
        let arguments = ["serve", "--port", "0", "--store", "sqlite:\(directory.appendingPathComponent("trawl.sqlite").path)"] + extraArguments
        return ServeProcess(serving: try await ServingProcess.start(arguments, environment: env, directory: directory))
    }

    /// SIGTERM, then waits (without blocking a thread) for the exit status.
    func stop() async -> Int32 {
        let status = await serving.stop()
        try? FileManager.default.removeItem(at: directory)
        return status
    }
}

/// Runs another program (python3, chromium) without blocking a thread; output goes to files.
enum Subprocess {
    struct Result {
        var status: Int32
        var output: String
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        let scratch = TrawlProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        // Tools that leave caches behind (schemathesis) leave them in the scratch folder.
        let child = try ChildProcess.spawn(
            executable: executable, arguments: arguments, environment: env, directory: scratch.path, stdout: outURL.path, stderr: outURL.path)
        let status = await child.exitStatus()
        return Result(status: status, output: String(decoding: try Data(contentsOf: outURL), as: UTF8.self))
    }

    /// The absolute path of a program on PATH, or nil.
    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// True when the test Python (`Python.executable`: TRAWL_PYTHON, the project's .venv, python3) imports MODULE.
    static func pythonHas(_ module: String) async -> Bool {
        await Python.has(module)
    }

    /// A missing tool: skipped with a message locally, a failure in CI.
    static func missing(_ what: String) {
        if RequiredServer.inCI { Issue.record("\(what) is required in CI (scripts/setup installs it)") }
        print("skipped: \(what) not installed")
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
