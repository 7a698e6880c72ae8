import TrawlCore

/// The collection schema for package documents, compatible with the seed's: declared types for
/// every field that is searched, sorted or faceted (so a sort on `health_score` or a facet on
/// `framework_versions` works on the first document), everything else stored but not indexed.
public enum TypesensePackageSchema {
    /// The fields a plain text search looks in, most telling first.
    public static let queryBy = "name,summary,keywords,description"

    /// Popularity is the natural default order.
    public static let defaultSortingField = "download_last_month"

    /// The `sort_by` the README recommends to front ends searching a real Typesense (InstantSearch):
    /// Typesense's own text match first (it already puts an exact name first), ties broken by
    /// Trawl's popularity prior rather than by downloads alone. Text-match buckets
    /// (`_text_match(buckets: 10)`) were measured and are not recommended: they let popular partial
    /// matches pass an exact name (`trawl-relevance-bench`: exact name first 55 % against 97.5 %).
    public static let recommendedSortBy = "_text_match:desc,popularity:desc"

    public static func schema(name: String) -> TypesenseSchema {
        TypesenseSchema(name: name, fields: fields, defaultSortingField: defaultSortingField, tokenSeparators: ["-", "_", "."])
    }

    /// The schema with only `indexed` fields indexed; every other field is stored with `index: false`
    /// (no facet, no sort). With `indexedByTrawl`, Typesense indexes what Trawl's own search does —
    /// what a side-by-side benchmark needs for its memory figures to compare like with like.
    public static func schema(name: String, indexingOnly indexed: Set<String>) -> TypesenseSchema {
        var schema = schema(name: name)
        schema.fields = schema.fields.map { field in
            guard !indexed.contains(field.name) else { return field }
            return TypesenseField(field.name, field.type, optional: true, index: false)
        }
        return schema
    }

    /// The fields Trawl's own search indexes: the searched text, the names it sorts by, and the
    /// filter, facet and sort fields of `SearchFields` (plus `popularity`, its ranking prior).
    public static let indexedByTrawl: Set<String> = Set(queryBy.split(separator: ",").map(String.init))
        .union(["name", "normalized_name", "popularity"])
        .union(SearchFields.numeric).union(SearchFields.flags).union(SearchFields.facetable)

    static let fields: [TypesenseField] = {
        var f: [TypesenseField] = [
            .init("name", "string", sort: true),
            .init("normalized_name", "string", sort: true),
            .init("version", "string", optional: true),
            .init("version_sortable", "string", optional: true, sort: true),
            .init("summary", "string", optional: true),
            .init("description", "string", optional: true),
            .init("author", "string", optional: true),
            .init("maintainer", "string", optional: true),
            .init("license", "string", facet: true, optional: true),
            .init("keywords", "string[]", optional: true),
            .init("classifiers", "string[]", facet: true, optional: true),
            .init("requires_python", "string", optional: true),
            .init("github_url", "string", optional: true),
            .init("package_type", "string", facet: true, optional: true),
        ]
        for facet in ["framework_versions", "python_versions", "topics", "categories", "profiles", "discovered_by"] {
            f.append(.init(facet, "string[]", facet: true, optional: true))
        }
        for number in ["version_major", "version_minor", "version_bugfix"] {
            f.append(.init(number, "int32", facet: true, optional: true))
        }
        f.append(.init("download_last_month", "int64"))
        // Trawl's popularity prior in hundredths (see `TypesenseDocument.popularity`), for `recommendedSortBy`.
        f.append(.init("popularity", "int64", optional: true))
        for number in [
            "upload_timestamp", "github_stars", "github_watchers", "github_forks", "github_open_issues", "github_updated",
            "download_last_day", "download_last_week", "download_total", "download_updated", "health_score", "first_seen",
            "last_synced", "dependents_count",
        ] {
            f.append(.init(number, "int64", optional: true))
        }
        for flag in ["is_official", "is_verified", "is_new", "yanked", "stale", "github_archived"] {
            f.append(.init(flag, "bool", facet: true, optional: true))
        }
        return f
    }()
}
