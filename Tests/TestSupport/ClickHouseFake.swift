import Foundation

/// `Tests/Fakes/clickhouse_fake.py`: real ClickHouse SQL (PyPI `chdb`) behind a loopback HTTP
/// server with the public endpoint's 1,000-row truncation, so the queries Trawl sends are
/// executed, not pattern-matched. Started by the shared `PythonFake` launcher.
public final class ClickHouseFake: Sendable {
    let fake: PythonFake
    public var baseURL: String { fake.baseURL }

    public typealias Unavailable = PythonFake.Unavailable

    init(_ fake: PythonFake) { self.fake = fake }

    /// Whether this machine can run the fake (the test Python with chdb). In CI a missing fake is a failure.
    public static var isAvailable: Bool { Python.hasBlocking("chdb") }

    /// `fixture` is `{"projects": [...], "downloads": [...]}` as the script documents.
    public static func start(fixture: [String: Any], arguments: [String] = []) throws -> ClickHouseFake {
        ClickHouseFake(try PythonFake.startBlocking(script: "clickhouse_fake.py", fixture: fixture, arguments: arguments))
    }

    /// `{"queries": N, "last_queries": [...]}` from the fake.
    public func stats() async throws -> [String: Any] { try await fake.json("/_fake/stats") }

    public func queryCount() async -> Int { ((try? await stats())?["queries"] as? Int) ?? -1 }

    public func stop() { fake.stop() }
}
