import Logging
import TrawlCore

/// The `scan` discovery strategy shared by the index-wide sources: walk the whole simple index
/// and read every project's JSON (bounded concurrency), keeping those a predicate accepts. Slow,
/// but needs nothing beyond the index itself, so it is also the fallback when ClickHouse is down.
///
/// A repeat scan reads only what changed: the index lists each project's serial, and the serial
/// of the previous scan is kept per collection and source configuration. A project not changed
/// since then either was not a match (skipped) or is stored with that serial (emitted unchanged).
struct IndexScan {
    let client: PyPIClient
    let concurrency: Int
    let frameworks: [String]
    let logger: Logger
    let store: any Store
    let collection: String

    init(context: PluginContext, client: PyPIClient) {
        self.client = client
        self.concurrency = context.http.configuration.limit(for: .pypi)
        self.frameworks = context.frameworks
        self.logger = context.logger
        self.store = context.store
        self.collection = context.collection
    }

    /// Emits a candidate (with the fetched metadata attached) for every project `accepts` takes.
    /// `signature` names the source's configuration: a changed configuration scans everything again.
    func run(
        source: String, signature: String, reason: @escaping @Sendable (PackageDocument) -> String,
        accepts: @escaping @Sendable (PackageDocument) -> Bool,
        emit: @escaping @Sendable (Candidate) async throws -> Void
    ) async throws -> DiscoveryReport {
        let checkpoint = CrawlCheckpoints(collection: collection).scan(signature: signature)
        let previous = try await store.checkpoint(checkpoint).flatMap { Int64($0) }
        var stored: [String: (name: String, serial: Int64)] = [:]
        if previous != nil {
            var cursor: String?
            while true {
                let page = try await store.documents(collection: collection, after: cursor, limit: 1000)
                guard let last = page.last else { break }
                for d in page { stored[d.normalizedName] = (d.name, d.lastSerial) }
                cursor = last.normalizedName
            }
        }
        var toFetch: [String] = []
        var unchanged: [String] = []
        var total = 0
        let known = stored
        let indexSerial = try await client.simpleIndex { entry in
            total += 1
            let key = PackageName.normalize(entry.name)
            if let previous, entry.serial > 0, entry.serial <= previous {
                if let doc = known[key], doc.serial == entry.serial { unchanged.append(doc.name) }
                else if known[key] != nil { toFetch.append(entry.name) }
                // else: unchanged since the last scan, and it was not a match then
            } else {
                toFetch.append(entry.name)
            }
        }
        logger.info("scanning the simple index", metadata: [
            "projects": "\(total)", "to-read": "\(toFetch.count)", "unchanged": "\(unchanged.count)", "serial": "\(indexSerial)",
        ])
        var report = DiscoveryReport()
        for name in unchanged {
            report.candidates += 1
            try await emit(Candidate(name: name, source: source, reason: "unchanged since the last scan", unchanged: true))
        }
        let all = toFetch
        var next = 0
        let frameworks = frameworks
        try await withThrowingTaskGroup(of: (String, PyPIClient.ProjectResult).self) { group in
            func launch() {
                guard next < all.count else { return }
                let name = all[next]
                next += 1
                group.addTask { (name, await client.project(name, frameworks: frameworks)) }
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
                case .failed("pypi-no-json-api", let message):
                    // Every project would fail the same way: stop the scan, saying why.
                    throw IndexScanStopped(message: message)
                case .failed(let kind, let message):
                    report.problems.append(Problem(package: name, kind: kind, message: message, seenAt: 0))
                    report.undecided.append(name)
                default:
                    break
                }
            }
        }
        // Only a scan that read everything it had to may vouch for the next one, and only once the
        // crawl has stored every match (the pipeline saves this at the end of a complete run).
        if report.problems.isEmpty, indexSerial > 0 {
            report.checkpointsOnSuccess[checkpoint] = String(indexSerial)
        }
        return report
    }
}

/// A scan that cannot go on (the index has no JSON API); the message is the whole explanation.
struct IndexScanStopped: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
