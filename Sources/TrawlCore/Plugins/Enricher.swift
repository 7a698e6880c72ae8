public import Logging

/// Adds fields to package documents (GitHub activity, downloads, health, …).
///
/// Enrichers work on batches because the upstreams that feed them answer many packages per request
/// (GraphQL aliases, one SQL query per batch); each declares the document fields it owns so two
/// enrichers never fight over one field and `--no-enrich` knows what it skips.
public protocol Enricher: Sendable {
    static var descriptor: PluginDescriptor { get }
    /// The docs/design.md §6 field names this enricher writes.
    static var ownedFields: [String] { get }
    init(options: PluginOptions, context: PluginContext) throws

    /// Updates the documents of `batch` in place; per-package trouble goes into `batch.problems`.
    func enrich(_ batch: inout EnrichmentBatch) async throws

    /// Offline enricher kinds that read what this one writes: a run of this one over stored
    /// documents reruns them after it (when the profile lists them). Default: none.
    static var refreshesAfter: [String] { get }

    /// Whether what this enricher writes depends on `dependents_count`. Such an enricher is rerun
    /// on a document whenever `DependentsKeeper` changes its count (another package started or
    /// stopped requiring it), so what it wrote never lags behind the count. Default: false.
    static var readsDependents: Bool { get }

    /// Packages of `collection` whose enrichment an earlier run left unfinished (GitHub's budget
    /// spent mid-run): a crawl enriches them again first, since it only enriches what it fetches.
    func unfinished(store: any Store, collection: String) async throws -> [String]

    /// What the end of a run says about this enricher's work (cache use; what is left and when it
    /// can resume). Default: nothing.
    func closingReport() -> RunReport
}

extension Enricher {
    public var kind: String { Self.descriptor.kind }
    public static var refreshesAfter: [String] { [] }
    public static var readsDependents: Bool { false }
    public func unfinished(store: any Store, collection: String) async throws -> [String] { [] }
    public func closingReport() -> RunReport { RunReport() }
}

/// Closing lines of a run: `lines` for standard output (quiet and `--json` drop them), `warnings` for
/// standard error (always shown: they say what is left undone).
public struct RunReport: Sendable, Equatable {
    public var lines: [String]
    public var warnings: [String]

    public init(lines: [String] = [], warnings: [String] = []) {
        self.lines = lines
        self.warnings = warnings
    }
}

/// The documents an enricher works on, with their releases and the problems found so far.
public struct EnrichmentBatch: Sendable {
    public var documents: [PackageDocument]
    /// Releases by normalized name.
    public var releases: [String: [Release]]
    public var problems: [Problem]

    public init(documents: [PackageDocument], releases: [String: [Release]] = [:], problems: [Problem] = []) {
        self.documents = documents
        self.releases = releases
        self.problems = problems
    }
}

extension EnrichmentBatch {
    /// Runs `enrichers` in order. One that throws leaves the batch to the next and records an
    /// `enrich-KIND` problem for each document: a failing upstream never loses a batch.
    public mutating func run(_ enrichers: [any Enricher], logger: Logger, now: Int64) async {
        for enricher in enrichers {
            do {
                try await enricher.enrich(&self)
            } catch {
                logger.warning("enricher failed for a batch; the batch is stored without it", metadata: ["enricher": "\(enricher.kind)", "error": "\(error)"])
                problems += documents.map { Problem(package: $0.name, kind: "enrich-\(enricher.kind)", message: "\(error)", seenAt: now) }
            }
        }
    }
}
