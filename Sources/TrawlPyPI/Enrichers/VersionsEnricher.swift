public import TrawlCore

/// `versions`: PEP 440 fields of the latest version, with a key whose byte order is PEP 440 order
/// (the seed's regex turned `1.2.10` into `0.0.0`).
public struct VersionsEnricher: Enricher {
    public static let descriptor = PluginDescriptor(kind: "versions", summary: "PEP 440 version fields (major/minor/bugfix, sortable key)")
    public static let ownedFields = ["version_major", "version_minor", "version_bugfix", "version_sortable"]

    public init(options: PluginOptions, context: PluginContext) throws {}

    public func enrich(_ batch: inout EnrichmentBatch) async throws {
        for i in batch.documents.indices {
            let fields = PEP440Version.documentFields(batch.documents[i].version)
            batch.documents[i].versionMajor = fields.versionMajor
            batch.documents[i].versionMinor = fields.versionMinor
            batch.documents[i].versionBugfix = fields.versionBugfix
            batch.documents[i].versionSortable = fields.versionSortable
        }
    }
}
