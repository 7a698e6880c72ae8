public import Foundation

/// Runs the built `trawl` executable, the way a user or script would, and captures what it says.
public struct TrawlProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `trawl` binary beside the test bundle (both live in the build products folder).
    public static var executable: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("trawl")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        // Fall back to the package's default build folder.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/trawl")
    }

    /// Runs `trawl ARGS` in `directory` with `environment` added to a minimal one (PATH, HOME).
    /// Waits without blocking a thread: tests run fakes in this process on the same small pool.
    public static func run(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) async throws -> Result {
        // Output goes to files, not pipes: a chatty process can never block on a full pipe.
        let scratch = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        let child = try spawn(arguments, environment: environment, directory: directory ?? temporaryDirectory(), stdout: outURL, stderr: errURL)
        let status = await child.exitStatus()
        return Result(
            status: status,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Starts `trawl ARGS` in `directory` without waiting (servers, workers, tests that kill it
    /// mid-run), with `environment` over a minimal one (PATH, HOME): nothing from the developer's
    /// own shell (a real GITHUB_TOKEN, TRAWL_STORE) leaks into a test. Output is discarded unless
    /// files are given.
    public static func spawn(
        _ arguments: [String], environment: [String: String] = [:], directory: URL, stdout: URL? = nil, stderr: URL? = nil,
        executable: URL? = nil
    ) throws -> ChildProcess {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
        env.merge(environment) { _, new in new }
        return try ChildProcess.spawn(
            executable: (executable ?? Self.executable).path, arguments: arguments, environment: env, directory: directory.path, stdout: stdout?.path, stderr: stderr?.path)
    }

    /// A new empty folder.
    public static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
