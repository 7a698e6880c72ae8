import Logging
import TrawlCore

/// The `scan` discovery strategy shared by the index-wide sources: walk the whole simple index
/// and read every project's JSON (bounded concurrency), keeping those a predicate accepts. Slow,
/// but needs nothing beyond the index itself, so it is also the fallback when ClickHouse is down.
struct IndexScan {
    let client: PyPIClient
    let concurrency: Int
    let frameworks: [String]
    let logger: Logger

    /// Emits a candidate (with the fetched metadata attached) for every project `accepts` takes.
    func run(
        source: String, reason: @escaping @Sendable (PackageDocument) -> String,
        accepts: @escaping @Sendable (PackageDocument) -> Bool,
        emit: @escaping @Sendable (Candidate) async throws -> Void
    ) async throws -> DiscoveryReport {
        var names: [String] = []
        let serial = try await client.simpleIndex { names.append($0.name) }
        logger.info("scanning the simple index", metadata: ["projects": "\(names.count)", "serial": "\(serial)"])
        let all = names
        var report = DiscoveryReport()
        var next = 0
        try await withThrowingTaskGroup(of: (String, PyPIClient.ProjectResult).self) { group in
            func launch() {
                guard next < all.count else { return }
                let name = all[next]
                next += 1
                group.addTask { (name, await client.project(name, revalidate: false, frameworks: frameworks)) }
            }
            for _ in 0..<max(1, concurrency) { launch() }
            while let (name, result) = try await group.next() {
                launch()
                switch result {
                case .fetched(let parsed) where accepts(parsed.document):
                    report.candidates += 1
                    try await emit(Candidate(
                        name: parsed.document.name, source: source, reason: reason(parsed.document),
                        prefetched: StoredPackage(document: parsed.document, releases: parsed.releases)))
                case .failed(let kind, let message):
                    report.problems.append(Problem(package: name, kind: kind, message: message, seenAt: 0))
                default:
                    break
                }
            }
        }
        return report
    }
}
