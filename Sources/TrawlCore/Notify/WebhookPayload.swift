import Foundation

/// The JSON body POSTed to a receiver for one event. Its bytes are what the signature covers, so it
/// is encoded one way only (`encoded()`: sorted keys, unescaped slashes).
public struct WebhookPayload: Codable, Sendable, Equatable {
    /// Deterministic per (collection, event, package, version, receiver): receivers drop repeats by it.
    public var id: String
    public var event: NotifyEventKind
    public var collection: String
    public var profile: String
    public var package: String
    public var version: String
    /// The version stored before (`release` only; absent from `new` bodies).
    public var previousVersion: String?
    /// The package's page on a `trawl serve` of this store, as a path (the server's own address is
    /// not known to a crawl); null when there is none.
    public var url: String?
    /// Unix seconds when the crawl saw the change.
    public var occurredAt: Int64

    public init(
        id: String, event: NotifyEventKind, collection: String, profile: String, package: String, version: String,
        previousVersion: String?, url: String?, occurredAt: Int64
    ) {
        self.id = id
        self.event = event
        self.collection = collection
        self.profile = profile
        self.package = package
        self.version = version
        self.previousVersion = previousVersion
        self.url = url
        self.occurredAt = occurredAt
    }

    enum CodingKeys: String, CodingKey {
        case id, event, collection, profile, package, version, url
        case previousVersion = "previous_version"
        case occurredAt = "occurred_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(event, forKey: .event)
        try c.encode(collection, forKey: .collection)
        try c.encode(profile, forKey: .profile)
        try c.encode(package, forKey: .package)
        try c.encode(version, forKey: .version)
        try c.encodeIfPresent(previousVersion, forKey: .previousVersion)
        try c.encode(url, forKey: .url)  // explicit null: the field is always there
        try c.encode(occurredAt, forKey: .occurredAt)
    }

    /// The exact bytes sent and signed.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    /// The page path `trawl serve` answers for a package of a collection.
    public static func pagePath(package normalizedName: String, collection: String) -> String {
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "collection", value: collection)]
        let name = normalizedName.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? normalizedName
        return "/packages/\(name)?\(query.percentEncodedQuery ?? "")"
    }
}
