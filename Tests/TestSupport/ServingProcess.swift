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
    public var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    public enum StartError: Error { case didNotStart(String) }

    public static func start(_ arguments: [String], environment: [String: String], directory: URL) async throws -> ServingProcess {
        let stderrURL = directory.appendingPathComponent("serve.stderr"), stdoutURL = directory.appendingPathComponent("serve.stdout")
        let process = try TrawlProcess.spawn(arguments, environment: environment, directory: directory, stdout: stdoutURL, stderr: stderrURL)
        for _ in 0..<600 {
            let text = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix(while: \.isNumber)
                if let port = Int(digits) {
                    return ServingProcess(process: process, port: port, directory: directory, stderrURL: stderrURL, stdoutURL: stdoutURL)
                }
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.terminate()
        throw StartError.didNotStart((try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "")
    }

    /// SIGTERM, then waits (without blocking a thread) for the exit status.
    public func stop() async -> Int32 {
        if process.isRunning { process.terminate() }
        return await process.exitStatus()
    }
}
