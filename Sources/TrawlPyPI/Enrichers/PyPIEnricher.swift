public import TrawlCore

/// `pypi`: the metadata fields that come from the project's JSON. The pipeline's fetch step fills
/// them (one request per package); this type states their ownership and keeps derived text tidy.
public struct PyPIEnricher: Enricher {
    public static let descriptor = PluginDescriptor(kind: "pypi", summary: "PyPI metadata (summary, classifiers, releases, …)")
    public static let ownedFields = [
        "name", "normalized_name", "version", "summary", "description", "description_content_type", "author",
        "maintainer", "license", "classifiers", "keywords", "requires_dist", "requires_python", "home_page",
        "docs_url", "project_urls", "upload_timestamp", "yanked", "framework_versions", "python_versions", "vulnerabilities",
    ]

    public init(options: PluginOptions, context: PluginContext) throws {}

    public func enrich(_ batch: inout EnrichmentBatch) async throws {
        for i in batch.documents.indices {
            batch.documents[i].summary = batch.documents[i].summary.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
