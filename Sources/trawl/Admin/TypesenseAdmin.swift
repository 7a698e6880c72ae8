import ArgumentParser
import Foundation
import TrawlCore
import TrawlTypesense

/// The Typesense server's collections and aliases, for the admin commands (`--typesense`).
struct TypesenseAdmin: CollectionAdmin {
    let client: TypesenseClient
    let http: HTTPFetcher
    var place: String { "Typesense at \(client.baseURL)" }

    /// Needs TRAWL_TYPESENSE_URL; exits 2 without it.
    static func open(_ env: CLIEnvironment) throws -> TypesenseAdmin {
        guard let url = env.config.typesenseURL else {
            Console.error("--typesense needs TRAWL_TYPESENSE_URL (and TRAWL_TYPESENSE_API_KEY)")
            throw ExitCode(2)
        }
        let http = HTTPFetcher(configuration: env.config.httpConfiguration(), logger: env.logger)
        return TypesenseAdmin(client: TypesenseClient(baseURL: url, apiKey: env.config.typesenseAPIKey ?? Secret(""), http: http), http: http)
    }

    func collections() async throws -> [AdminCollection] {
        try await client.collections().map { AdminCollection(name: $0.name, documents: $0.numDocuments, createdAt: $0.createdAt) }
    }

    func aliases() async throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try await client.aliases().map { ($0.name, $0.collectionName) })
    }

    func setAlias(_ name: String, target: String) async throws {
        guard try await client.collection(target) != nil, try await client.alias(target) == nil else {
            throw StoreErrorText("no collection named '\(target)' on Typesense")
        }
        try await client.upsertAlias(name, collection: target)
    }

    func migrate(from: String, to: String) async throws -> Int {
        guard let source = try await client.collection(from) else { throw StoreErrorText("no collection named '\(from)' on Typesense") }
        if try await client.collection(to) == nil {
            try await client.createCollection(TypesenseSchema(name: to, fields: source.fields, defaultSortingField: source.defaultSortingField))
        }
        let lines = try await client.exportLines(from)
        var copied = 0
        var start = 0
        while start < lines.count {
            copied += try await client.importLines(Array(lines[start..<min(start + 1_000, lines.count)]), into: to)
            start += 1_000
        }
        return copied
    }

    func deleteCollection(_ name: String) async throws -> Bool {
        guard try await client.alias(name) == nil else { throw StoreErrorText("'\(name)' is an alias, not a collection") }
        return try await client.deleteCollection(name)
    }

    func close() async { try? await http.shutdown() }
}
