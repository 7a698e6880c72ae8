public import TrawlCore

/// `flags`: `is_new` (first release within 30 days) and `is_verified` (official, or on the index
/// with a version, > 100 downloads in 30 days, a release within 180 days, a license, a summary of
/// 30+ characters, and topics or keywords). `is_official` comes from the sources: the crawler sets
/// it for packages a source marked `official` (the monorepo of the framework's own organisation);
/// this enricher reads it, never clears it. Run it after `downloads`.
public struct FlagsEnricher: Enricher {
    public static let descriptor = PluginDescriptor(kind: "flags", summary: "is_new, is_verified (and is_official from the sources)")
    public static let ownedFields = ["is_new", "is_verified", "is_official"]

    public init(options: PluginOptions, context: PluginContext) throws {}

    public func enrich(_ batch: inout EnrichmentBatch) async throws {
        let now = Days.now()
        for i in batch.documents.indices {
            // Without its releases a package keeps its flag: "unknown" must not read as "old".
            if let releases = batch.releases[batch.documents[i].normalizedName] {
                batch.documents[i].isNew = PackageFlags.isNew(releases: releases, now: now)
            }
            batch.documents[i].isVerified = PackageFlags.isVerified(batch.documents[i], now: now)
        }
    }
}
