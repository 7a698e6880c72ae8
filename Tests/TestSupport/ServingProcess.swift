public import Foundation

/// A long-running `trawl` process that listens (`serve --port 0 …`): started with its output in
/// files, ready once it printed "listening on http://127.0.0.1:PORT" on standard error, stopped
/// with SIGTERM. For tests that drive the built binary the way users leave it running.
public struct ServingProcess: Sendable {
    public let process: ChildProcess
    public let port: Int
    public let directory: URL
    public let stderrURL: URL
    public let stdoutURL: URL

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// The process and its port, for callers that keep them apart.
    public var started: (ChildProcess, Int) { (process, port) }
    public var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    public enum StartError: Error { case didNotStart(String) }

    /// Starts `trawl ARGS` (the build's own, or `executable`) and waits until it listens and, with
    /// `readyWhen`, until its standard error also says that (benchmarks wait for "search index loaded").
    public static func start(
        _ arguments: [String], environment: [String: String], directory: URL, executable: URL? = nil, readyWhen marker: String? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> ServingProcess {
        let stderrURL = directory.appendingPathComponent("serve.stderr"), stdoutURL = directory.appendingPathComponent("serve.stdout")
        let process = try TrawlProcess.spawn(
            arguments, environment: environment, directory: directory, stdout: stdoutURL, stderr: stderrURL, executable: executable)
        var port: Int?
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
            if port == nil, let range = text.range(of: "listening on http://127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix(while: \.isNumber))
            }
            if let port, marker.map(text.contains) ?? true {
                return ServingProcess(process: process, port: port, directory: directory, stderrURL: stderrURL, stdoutURL: stdoutURL)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.terminate()
        throw StartError.didNotStart(String(((try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "").suffix(2_000)))
    }

    /// `trawl serve` (`binary`, e.g. the release build) over a SQLite store, ready once its in-memory
    /// index is loaded (or, with `loaded: false`, as soon as it listens): how the search benchmarks
    /// start the side they measure.
    public static func indexed(store: String, binary: URL, adminKey: String, directory: URL, loaded: Bool = true) async throws -> ServingProcess {
        try await start(
            ["serve", "--port", "0", "--store", "sqlite:\(store)"], environment: ["HOME": directory.path, "TRAWL_ADMIN_KEY": adminKey],
            directory: directory, executable: binary, readyWhen: loaded ? "search index loaded" : nil, timeout: .seconds(600))
    }

    /// SIGTERM, then waits (without blocking a thread) for the exit status.
    public func stop() async -> Int32 {
        if process.isRunning { process.terminate() }
        return await process.exitStatus()
    }
}
