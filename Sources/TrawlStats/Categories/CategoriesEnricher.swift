public import TrawlCore

/// `categories`: facets from the profile's own rules — `categories[]` from `categories:` and one
/// `package_type` from `types:` (each `name: {topics: [...], keywords: [...]}`), so a directory
/// such as Flet's can offer its package types and categories as search facets.
/// A package no type matches gets the `default-type` option's value (or none).
public struct CategoriesEnricher: Enricher {
    public static let descriptor = PluginDescriptor(
        kind: "categories", summary: "category and package-type facets from the profile's rules",
        options: [OptionSpec("default-type", .string, help: "package_type of a package no `types:` rule matches")])
    public static let ownedFields = ["categories", "package_type"]

    let categories: CategoryMatcher
    let types: CategoryMatcher
    let defaultType: String

    public init(options: PluginOptions, context: PluginContext) throws {
        categories = CategoryMatcher(context.categories)
        types = CategoryMatcher(context.types)
        defaultType = options.string("default-type") ?? ""
        if !defaultType.isEmpty && !context.types.isEmpty && context.types[defaultType] == nil {
            throw PluginError.badOption(
                kind: Self.descriptor.kind,
                message: "default-type '\(defaultType)' is not one of the profile's types: \(context.types.keys.sorted().joined(separator: ", "))")
        }
    }

    public func enrich(_ batch: inout EnrichmentBatch) async throws {
        for i in batch.documents.indices {
            batch.documents[i].categories = categories.all(batch.documents[i])
            batch.documents[i].packageType = types.best(batch.documents[i]) ?? defaultType
        }
    }
}
