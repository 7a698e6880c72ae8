import Synchronization

/// What one run of the `downloads` enricher has learnt about its upstreams. A crawl calls the
/// enricher once per batch; without this memory every batch would pay the full retry cost of a
/// ClickHouse that is down, or hammer a pypistats that already said "come back later".
final class DownloadsRunState: Sendable {
    private struct State {
        var clickhouseDown = false
        var pypistatsStopped = false
        var pypistatsRequests = 0
    }

    private let state = Mutex(State())
    let pypistatsLimit: Int

    init(pypistatsLimit: Int) {
        self.pypistatsLimit = pypistatsLimit
    }

    var clickhouseDown: Bool { state.withLock { $0.clickhouseDown } }
    func markClickHouseDown() { state.withLock { $0.clickhouseDown = true } }

    var pypistatsStopped: Bool { state.withLock { $0.pypistatsStopped } }
    func stopPyPIStats() { state.withLock { $0.pypistatsStopped = true } }

    /// Takes one request from the run's pypistats allowance; false once it is spent or stopped.
    func takePyPIStatsRequest() -> Bool {
        state.withLock { s in
            guard !s.pypistatsStopped, s.pypistatsRequests < pypistatsLimit else { return false }
            s.pypistatsRequests += 1
            return true
        }
    }
}
