import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Starts `Tests/Fakes/github_fake.py`: GitHub's REST API (ETags, 304s that cost nothing, rate-limit
/// headers, secondary limits, 301 renames, search with its 1,000-result cap) and GraphQL executed
/// by `graphql-core` over a subset of GitHub's schema, so a malformed query fails as on GitHub.
public final class GitHubFake: @unchecked Sendable {
    public let baseURL: String
    let process: Process
    let directory: URL

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Whether python3 with graphql-core is here (awaited, never blocking a thread). In CI a missing
    /// fake is a failure, not a skip.
    public static func isAvailable() async -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import graphql"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                p.terminationHandler = { _ in c.resume() }
                do { try p.run() } catch { c.resume(throwing: error) }
            }
        } catch { return false }
        return p.terminationStatus == 0
    }

    /// `fixture` as the script documents: `repos`, `token`, `graphql_points`, `rest_limit`, …
    public static func start(fixture: [String: Any]) async throws -> GitHubFake {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("Fakes/github_fake.py")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-gh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let data = dir.appendingPathComponent("fixture.json")
        try JSONSerialization.data(withJSONObject: fixture).write(to: data)
        let outURL = dir.appendingPathComponent("stdout")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--port", "0", "--data", data.path]
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The script prints exactly one line, `LISTENING <port>`, once it serves.
        for _ in 0..<300 {
            let text = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
            if text.hasSuffix("\n") {
                let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard line.hasPrefix("LISTENING "), let port = Int(line.dropFirst(10)) else { break }
                return GitHubFake(baseURL: "http://127.0.0.1:\(port)", process: process, directory: dir)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(process.processIdentifier, SIGKILL)
        throw Unavailable(description: "github_fake.py did not start")
    }

    init(baseURL: String, process: Process, directory: URL) {
        self.baseURL = baseURL
        self.process = process
        self.directory = directory
    }

    /// The fake's counters: requests, graphql_queries, graphql_points, rest_requests,
    /// rest_not_modified, search_requests, repo_fetches {key: n}, authorization_seen, …
    public func stats() async throws -> [String: Any] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: baseURL + "/_fake/stats")!)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    public func stat(_ name: String) async -> Int { ((try? await stats())?[name] as? Int) ?? -1 }

    /// Fetches of one repository (`owner/repo`, lowercase) answered with data, REST or GraphQL.
    public func fetches(of key: String) async -> Int {
        (((try? await stats())?["repo_fetches"] as? [String: Int])?[key]) ?? 0
    }

    /// Changes settings while running (e.g. `["graphql_points": 5000]` refills the budget).
    public func configure(_ settings: [String: Any]) async throws {
        var request = URLRequest(url: URL(string: baseURL + "/_fake/config")!)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: settings)
        _ = try await URLSession.shared.data(for: request)
    }

    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        try? FileManager.default.removeItem(at: directory)
    }

    /// A repository of the fixture.
    public static func repo(
        _ owner: String, _ name: String, stars: Int = 1, topics: [String] = [], created: String = "2022-01-01T00:00:00Z",
        readme: String? = nil, changelog: String? = nil, extra: [String: Any] = [:]
    ) -> [String: Any] {
        var r: [String: Any] = [
            "owner": owner, "name": name, "stars": stars, "watchers": stars / 2, "forks": stars / 3, "open_issues": 2,
            "open_prs": 5, "topics": topics, "created_at": created, "pushed_at": "2026-10-01T12:00:00Z",
        ]
        if let readme { r["readme"] = readme }
        if let changelog { r["changelog"] = changelog }
        r.merge(extra) { _, new in new }
        return r
    }
}
