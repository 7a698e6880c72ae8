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
        let process = makeProcess(arguments, environment: environment, directory: directory ?? temporaryDirectory())
        // Output goes to files, not pipes: a chatty process can never block on a full pipe.
        let scratch = temporaryDirectory()
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try out.close()
        try err.close()
        defer { try? FileManager.default.removeItem(at: scratch) }
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Starts `trawl ARGS` without waiting (for tests that kill it mid-run); output is discarded.
    public static func spawn(_ arguments: [String], environment: [String: String] = [:], directory: URL) throws -> Process {
        let process = makeProcess(arguments, environment: environment, directory: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// `trawl ARGS` in `directory`, with `environment` over a minimal one (PATH, HOME): nothing
    /// from the developer's own shell (a real GITHUB_TOKEN, TRAWL_STORE) leaks into a test.
    public static func makeProcess(_ arguments: [String], environment: [String: String], directory: URL) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
        env.merge(environment) { _, new in new }
        process.environment = env
        process.currentDirectoryURL = directory
        return process
    }

    /// A new empty folder.
    public static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
