/// One field of a collection schema, as Typesense spells it.
public struct TypesenseField: Codable, Sendable, Equatable {
    public var name: String
    public var type: String
    public var facet: Bool?
    public var optional: Bool?
    public var index: Bool?
    public var sort: Bool?

    public init(_ name: String, _ type: String, facet: Bool? = nil, optional: Bool? = nil, index: Bool? = nil, sort: Bool? = nil) {
        self.name = name
        self.type = type
        self.facet = facet
        self.optional = optional
        self.index = index
        self.sort = sort
    }
}

/// What `POST /collections` takes.
public struct TypesenseSchema: Codable, Sendable, Equatable {
    public var name: String
    public var fields: [TypesenseField]
    public var defaultSortingField: String?
    public var tokenSeparators: [String]?

    public init(name: String, fields: [TypesenseField], defaultSortingField: String? = nil, tokenSeparators: [String]? = nil) {
        self.name = name
        self.fields = fields
        self.defaultSortingField = defaultSortingField
        self.tokenSeparators = tokenSeparators
    }

    enum CodingKeys: String, CodingKey {
        case name, fields
        case defaultSortingField = "default_sorting_field"
        case tokenSeparators = "token_separators"
    }

    /// The same schema under another collection name.
    public func named(_ name: String) -> TypesenseSchema {
        var copy = self
        copy.name = name
        return copy
    }
}

/// A collection as `GET /collections` describes it.
public struct TypesenseCollection: Codable, Sendable, Equatable {
    public var name: String
    public var numDocuments: Int
    public var createdAt: Int64
    public var fields: [TypesenseField]
    public var defaultSortingField: String?

    enum CodingKeys: String, CodingKey {
        case name, fields
        case numDocuments = "num_documents"
        case createdAt = "created_at"
        case defaultSortingField = "default_sorting_field"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        numDocuments = try c.decodeIfPresent(Int.self, forKey: .numDocuments) ?? 0
        createdAt = try c.decodeIfPresent(Int64.self, forKey: .createdAt) ?? 0
        fields = try c.decodeIfPresent([TypesenseField].self, forKey: .fields) ?? []
        defaultSortingField = try c.decodeIfPresent(String.self, forKey: .defaultSortingField)
    }
}

/// An alias: `name` → `collection_name`.
public struct TypesenseAlias: Codable, Sendable, Equatable {
    public var name: String
    public var collectionName: String

    public init(name: String, collectionName: String) {
        self.name = name
        self.collectionName = collectionName
    }

    enum CodingKeys: String, CodingKey {
        case name
        case collectionName = "collection_name"
    }
}

/// An API key. `value` is present only in the answer to its creation; listings show `valuePrefix`.
public struct TypesenseKey: Codable, Sendable, Equatable {
    public var id: Int64
    public var description: String?
    public var actions: [String]
    public var collections: [String]
    public var value: String?
    public var valuePrefix: String?
    public var expiresAt: Int64?

    enum CodingKeys: String, CodingKey {
        case id, description, actions, collections, value
        case valuePrefix = "value_prefix"
        case expiresAt = "expires_at"
    }
}

/// The parts of a search answer Trawl reads.
public struct TypesenseSearchResult: Decodable, Sendable {
    public struct Hit: Decodable, Sendable {
        public var document: PackageHit
    }

    /// The identifying fields of a hit (the rest of the document is left undecoded).
    public struct PackageHit: Decodable, Sendable {
        public var id: String
        public var name: String?
    }

    public var found: Int
    public var outOf: Int?
    public var hits: [Hit]

    enum CodingKeys: String, CodingKey {
        case found, hits
        case outOf = "out_of"
    }
}

/// One line of an import answer.
struct ImportLine: Decodable {
    var success: Bool
    var error: String?
    var document: String?
}
