import Foundation
public import Logging

/// Keeps every document's `dependents_count` equal to how many packages of its collection require it.
///
/// A package's count changes when *another* package starts or stops requiring it, joins or leaves
/// the collection, so no enricher of that package can keep it. The run that writes a batch does,
/// just before the write and in the same upsert: the batch gets its counts, and every other
/// document whose count the batch changed is added to the write. Documents whose count changes are
/// rescored by the enrichers that read it (`Enricher.readsDependents`, the health score), so the
/// score never lags behind the count.
///
/// It holds the collection's requirement graph (names only) for the length of one run, loaded on the
/// first batch that can change it — a new package, a changed `requires_dist`, a removal. A run whose
/// batches change nobody's requirements (most refreshes, most releases) never reads the collection.
///
/// Several writers (a crawl, a worker in another process) each settle from their own snapshot of
/// the graph; every graph-changing batch recounts the whole collection from that snapshot, so a
/// count written from a stale snapshot is corrected by the next such batch of any run.
public actor DependentsKeeper {
    /// What keeping the counts cost in this run (`trawl crawl --verbose`, the benchmark).
    public struct Statistics: Sendable, Equatable {
        /// Times the collection's graph was read (at most once per run).
        public var loads = 0
        public var loadSeconds = 0.0
        /// Batches that could change the graph, recounted.
        public var settles = 0
        public var settleSeconds = 0.0
        /// Documents outside their batch rewritten because their count changed.
        public var rewritten = 0
    }

    let store: any Store
    let collection: String
    let rescorers: [any Enricher]
    let logger: Logger
    /// Package → the normalized names its requirements name (itself excluded); nil until loaded.
    private var requires: [String: Set<String>]?
    /// Package → the count its stored document carries (as far as this run knows).
    private var stored: [String: Int] = [:]
    public private(set) var statistics = Statistics()

    public init(store: any Store, collection: String, enrichers: [any Enricher], logger: Logger) {
        self.store = store
        self.collection = collection
        self.rescorers = enrichers.filter { type(of: $0).readsDependents }
        self.logger = logger
    }

    /// The names a document's requirements name, normalized (RequirementLine's reading: extras and
    /// markers make a requirement conditional, not absent).
    static func requirements(of document: PackageDocument) -> Set<String> {
        requirements(document.requiresDist, of: document.normalizedName)
    }

    static func requirements(_ requiresDist: [String], of name: String) -> Set<String> {
        var names = Set(requiresDist.compactMap { RequirementLine.parse($0)?.name })
        names.remove(name)
        return names
    }

    /// Whether writing `document` over `previous` (nil: a new package) can change anybody's count.
    public static func changesGraph(_ document: PackageDocument, previous: PackageDocument?) -> Bool {
        guard let previous else { return true }
        return previous.requiresDist != document.requiresDist && requirements(of: previous) != requirements(of: document)
    }

    /// Settles the counts around a write. `packages` are about to be written, `removed` have just
    /// been removed; `changesGraph` says whether any of them can change the graph (see
    /// ``changesGraph(_:previous:)``). Returns what to write: `packages` with their counts set, and
    /// the other documents whose count changed, each rescored where its count moved.
    public func settle(_ packages: [StoredPackage], changesGraph: Bool, removed: [String] = []) async throws -> [StoredPackage] {
        if requires == nil {
            guard changesGraph || !removed.isEmpty else { return packages }
            try await load()
        }
        let clock = ContinuousClock.now
        var graph = requires ?? [:]
        for package in packages { graph[package.document.normalizedName] = Self.requirements(of: package.document) }
        for name in removed {
            graph[name] = nil
            stored[name] = nil
        }
        requires = graph

        var desired: [String: Int] = [:]
        desired.reserveCapacity(graph.count)
        for name in graph.keys { desired[name] = 0 }
        for targets in graph.values {
            for target in targets where desired[target] != nil { desired[target]! += 1 }
        }

        var out = packages
        var moved: [Int] = []
        for i in out.indices {
            let name = out[i].document.normalizedName
            let want = desired[name] ?? 0
            if out[i].document.dependentsCount != want {
                out[i].document.dependentsCount = want
                moved.append(i)
            }
            stored[name] = want
        }
        let inBatch = Set(packages.map(\.document.normalizedName))
        let others = desired.filter { !inBatch.contains($0.key) && stored[$0.key] != $0.value }.map(\.key).sorted()
        if !others.isEmpty {
            let documents = try await store.documents(others, collection: collection)
            let releases = try await store.releases(others, collection: collection)
            for name in others {
                guard var document = documents[name] else {
                    // Removed meanwhile by another writer.
                    requires?[name] = nil
                    stored[name] = nil
                    continue
                }
                let want = desired[name] ?? 0
                stored[name] = want
                guard document.dependentsCount != want else { continue }
                document.dependentsCount = want
                out.append(StoredPackage(document: document, releases: releases[name] ?? []))
                moved.append(out.count - 1)
                statistics.rewritten += 1
            }
        }
        if !moved.isEmpty && !rescorers.isEmpty {
            var batch = EnrichmentBatch(documents: moved.map { out[$0].document })
            for i in moved { batch.releases[out[i].document.normalizedName] = out[i].releases }
            await batch.run(rescorers, logger: logger, now: Int64(Date().timeIntervalSince1970))
            for (k, i) in moved.enumerated() { out[i].document = batch.documents[k] }
        }
        statistics.settles += 1
        statistics.settleSeconds += Crawler.seconds(since: clock)
        return out
    }

    /// Reads the collection's requirements (`Store.requirementRows`: no whole document decoded in SQLite).
    private func load() async throws {
        let clock = ContinuousClock.now
        var graph: [String: Set<String>] = [:]
        for row in try await store.requirementRows(collection: collection) {
            graph[row.name] = Self.requirements(row.requiresDist, of: row.name)
            stored[row.name] = row.dependentsCount
        }
        requires = graph
        statistics.loads += 1
        statistics.loadSeconds += Crawler.seconds(since: clock)
        logger.debug("dependents: read the collection's requirements", metadata: [
            "collection": "\(collection)", "packages": "\(graph.count)", "seconds": "\(statistics.loadSeconds)",
        ])
    }
}
