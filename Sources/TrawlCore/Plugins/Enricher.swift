/// Adds fields to package documents (GitHub activity, downloads, health, …).
///
/// Enrichers work on batches because the upstreams that feed them answer many packages per request
/// (GraphQL aliases, one SQL query per batch); each declares the document fields it owns so two
/// enrichers never fight over one field and `--no-enrich` knows what it skips.
public protocol Enricher: Sendable {
    static var descriptor: PluginDescriptor { get }
    /// The DESIGN §6 field names this enricher writes.
    static var ownedFields: [String] { get }
    init(options: PluginOptions, context: PluginContext) throws

    /// Updates the documents of `batch` in place; per-package trouble goes into `batch.problems`.
    func enrich(_ batch: inout EnrichmentBatch) async throws
}

extension Enricher {
    public var kind: String { Self.descriptor.kind }
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
