import Foundation
public import Logging

/// Runs enrichers over documents already in the store (`trawl enrich`, and the worker's scheduled
/// downloads and GitHub jobs): pages of up to `pageSize` documents in name order, each page enriched as one
/// batch (so the downloads enricher makes one ClickHouse query per page) and upserted with the
/// releases it already had. Only documents that changed are written, and only their changed parts.
public struct StoredEnrichment: Sendable {
    public let store: any Store
    public let collection: String
    public let enrichers: [any Enricher]
    public let pageSize: Int
    public let logger: Logger
    /// Where changed documents are mirrored (Typesense when configured).
    public var publisher: (any Publisher)?

    public init(store: any Store, collection: String, enrichers: [any Enricher], pageSize: Int = 1_000, logger: Logger) {
        self.store = store
        self.collection = collection
        self.enrichers = enrichers
        self.pageSize = max(1, pageSize)
        self.logger = logger
    }

    /// What a run did, for `trawl enrich --json`.
    public struct Summary: Codable, Sendable, Equatable {
        public var collection: String
        public var enrichers: [String]
        /// Documents read and handed to the enrichers.
        public var documents = 0
        /// Documents whose fields changed (and were written).
        public var changed = 0
        public var problems = 0
        public var requests = CrawlSummary.Requests()
        public var seconds = 0.0
        /// Pending packages (earlier failed fetches) fetched first, and those still left, by reason.
        public var pendingRetried = 0
        public var pending = 0
        public var pendingReasons: [String: Int] = [:]

        enum CodingKeys: String, CodingKey {
            case collection, enrichers, documents, changed, problems, requests, seconds
            case pendingRetried = "pending_retried", pending, pendingReasons = "pending_reasons"
        }
    }

    public struct NotFound: Error, CustomStringConvertible {
        public var names: [String]
        public var collection: String
        public var description: String { "not in collection '\(collection)': \(names.joined(separator: ", "))" }
    }

    /// Enriches the named packages (any spelling), or every document (at most `limit`).
    public func run(names: [String] = [], limit: Int? = nil, counters: RequestCounters? = nil) async throws -> Summary {
        let clock = ContinuousClock.now
        var summary = Summary(collection: collection, enrichers: enrichers.map(\.kind))
        if !names.isEmpty {
            var documents: [PackageDocument] = []
            var missing: [String] = []
            for name in names {
                if let document = try await store.document(name, collection: collection) { documents.append(document) } else { missing.append(name) }
            }
            guard missing.isEmpty else { throw NotFound(names: missing, collection: collection) }
            try await enrich(documents, &summary)
        } else {
            // The next page is read (and decoded) while this one is enriched and written: on two cores
            // that halves a whole-collection pass, most of which is decoding and scoring. The first page
            // is read while the dependents are recounted.
            let store = self.store, collection = self.collection
            var budget = limit ?? Int.max
            let firstSize = min(pageSize, budget)
            async let firstPage = store.documents(collection: collection, after: nil, limit: firstSize)
            var recounted: [String: PackageDocument] = [:]
            if enrichers.contains(where: { type(of: $0).readsDependents }) {
                // A whole-collection pass of a rule that reads `dependents_count` recounts first, so
                // a store written before the counts existed gets them here (the pass rescores).
                let keeper = DependentsKeeper(store: store, collection: collection, enrichers: [], logger: logger)
                let settled = try await keeper.settle([], changesGraph: true)
                try await store.upsert(settled, collection: collection)
                try await publisher?.publish(collection: collection, upserted: settled.map(\.document), removed: [])
                for package in settled { recounted[package.document.normalizedName] = package.document }
            }
            // The first page may have been read before the recount was written: its recounted
            // documents are taken as written, not as read.
            var page = try await firstPage.map { recounted[$0.normalizedName] ?? $0 }
            while let last = page.last {
                budget -= page.count
                let size = min(pageSize, budget)
                async let following = size > 0
                    ? store.documents(collection: collection, after: last.normalizedName, limit: size) : []
                try await enrich(page, &summary)
                page = try await following
            }
        }
        if let counters { summary.requests = CrawlSummary.Requests(counters) }
        let elapsed = ContinuousClock.now - clock
        summary.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return summary
    }

    func enrich(_ documents: [PackageDocument], _ summary: inout Summary) async throws {
        var batch = EnrichmentBatch(documents: documents)
        batch.releases = try await store.releases(documents.map(\.normalizedName), collection: collection)
        await batch.run(enrichers, logger: logger, now: Int64(Date().timeIntervalSince1970))
        // Only what changed is written, and of that only the parts that changed (`DocumentChange`):
        // enrichers never touch releases, and rarely the searched text.
        let changed = zip(documents, batch.documents).filter { $0 != $1 }.map { DocumentChange(before: $0, after: $1) }
        try await store.update(changed, collection: collection)
        try await publisher?.publish(collection: collection, upserted: changed.map(\.document), removed: [])
        // This run's verdict replaces the previous one for the kinds it ran (an enricher records
        // per-package problems under its own kind; a failed run under `enrich-KIND`).
        let names = documents.map(\.normalizedName)
        for kind in enrichers.map(\.kind) {
            try await store.clearProblems(packages: names, kind: kind, collection: collection)
            try await store.clearProblems(packages: names, kind: "enrich-\(kind)", collection: collection)
        }
        try await store.recordProblems(batch.problems, collection: collection)
        summary.documents += documents.count
        summary.changed += changed.count
        summary.problems += batch.problems.count
    }
}
