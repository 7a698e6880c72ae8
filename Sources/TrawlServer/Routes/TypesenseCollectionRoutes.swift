import Hummingbird
import TrawlCore

/// `GET /collections`, `/collections/{c}`, `/aliases`, `/aliases/{name}` in Typesense's shapes
/// (admin key only, as in Typesense).
struct TypesenseCollectionRoutes: Sendable {
    let state: ServeState

    func register(on router: Router<BasicRequestContext>) {
        router.get("/collections") { request, _ in
            try await self.admin(request)
            let collections = try await self.state.store.collections()
            return try JSONOutput.response(collections.map(CollectionSchema.init))
        }
        router.get("/collections/:collection") { request, context in
            let asked = try context.parameters.require("collection")
            try await self.admin(request)
            let name = try await self.state.resolve(asked)
            guard let info = try await self.state.store.collections().first(where: { $0.name == name }) else {
                throw APIError.notFound("Collection `\(asked)` not found.")
            }
            return try JSONOutput.response(CollectionSchema(info))
        }
        router.get("/aliases") { request, _ in
            try await self.admin(request)
            let aliases = try await self.state.store.aliases().sorted { $0.key < $1.key }
            return try JSONOutput.response(["aliases": aliases.map { AliasOut(collection_name: $0.value, name: $0.key) }])
        }
        router.get("/aliases/:name") { request, context in
            let name = try context.parameters.require("name")
            try await self.admin(request)
            guard let target = try await self.state.store.aliases()[name] else {
                throw APIError.notFound("Could not find that `name`.")
            }
            return try JSONOutput.response(AliasOut(collection_name: target, name: name))
        }
    }

    func admin(_ request: Request) async throws {
        try state.access.requireAdmin(try await state.access.caller(request, query: QueryItems(request: request)))
    }

    struct AliasOut: Encodable {
        var collection_name: String
        var name: String
    }
}

/// A collection as Typesense describes it: the document fields with their types and facets.
struct CollectionSchema: Encodable {
    var created_at: Int64
    var default_sorting_field = "download_last_month"
    var enable_nested_fields = false
    var fields: [Field]
    var name: String
    var num_documents: Int
    var symbols_to_index: [String] = []
    var token_separators: [String] = []

    struct Field: Encodable {
        var facet: Bool
        var index = true
        var infix = false
        var locale = ""
        var name: String
        var optional: Bool
        var sort: Bool
        var type: String
    }

    init(_ info: CollectionInfo) {
        created_at = info.createdAt
        name = info.name
        num_documents = info.documents
        var fields: [Field] = []
        for text in ["name", "normalized_name", "summary", "description", "author", "version"] {
            fields.append(Field(facet: false, name: text, optional: text != "name", sort: false, type: "string"))
        }
        fields.append(Field(facet: false, name: "keywords", optional: true, sort: false, type: "string[]"))
        for facet in SearchFields.facetable where facet != "keywords" {
            fields.append(Field(facet: true, name: facet, optional: true, sort: false, type: facet == "package_type" ? "string" : "string[]"))
        }
        for number in SearchFields.numeric {
            fields.append(Field(facet: false, name: number, optional: true, sort: true, type: "int64"))
        }
        for flag in SearchFields.flags {
            fields.append(Field(facet: false, name: flag, optional: true, sort: false, type: "bool"))
        }
        self.fields = fields
    }
}
