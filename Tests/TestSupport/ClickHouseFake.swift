public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Starts `Tests/Fakes/clickhouse_fake.py`: real ClickHouse SQL (PyPI `chdb`) behind a loopback
/// HTTP server with the public endpoint's 1,000-row truncation, so the queries Trawl sends are
/// executed, not pattern-matched.
public final class ClickHouseFake: @unchecked Sendable {
    public let baseURL: String
    let process: Process
    let directory: URL

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Whether this machine can run the fake (python3 with chdb). In CI a missing fake is a failure.
    public static var isAvailable: Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import chdb"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    /// `fixture` is `{"projects": [...], "downloads": [...]}` as the script documents.
    public static func start(fixture: [String: Any], arguments: [String] = []) throws -> ClickHouseFake {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("Fakes/clickhouse_fake.py")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-ch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let data = dir.appendingPathComponent("fixture.json")
        try JSONSerialization.data(withJSONObject: fixture).write(to: data)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--port", "0", "--data", data.path] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The script prints exactly one line, `LISTENING <port>`, once it serves.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("LISTENING "), let port = Int(text.dropFirst(10)) else {
            process.terminate()
            throw Unavailable(description: "clickhouse_fake.py did not start (said: '\(text)')")
        }
        return ClickHouseFake(baseURL: "http://127.0.0.1:\(port)", process: process, directory: dir)
    }

    init(baseURL: String, process: Process, directory: URL) {
        self.baseURL = baseURL
        self.process = process
        self.directory = directory
    }

    /// `{"queries": N, "last_queries": [...]}` from the fake.
    public func stats() async throws -> [String: Any] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: baseURL + "/_fake/stats")!)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    public func queryCount() async -> Int { ((try? await stats())?["queries"] as? Int) ?? -1 }

    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Tests that need a real server: skipped with a message locally, failed loudly in CI.
public enum RequiredServer {
    public static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
}
