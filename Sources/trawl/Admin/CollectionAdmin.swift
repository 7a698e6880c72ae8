import ArgumentParser
import Foundation
import TrawlCore
import TrawlTypesense

/// One row of `trawl admin collections`, whichever side it comes from.
struct AdminCollection: Codable, Equatable {
    var name: String
    var documents: Int
    var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case name, documents
        case createdAt = "created_at"
    }
}

/// What the admin commands do to collections and aliases, on the local store or on Typesense:
/// each command is written once against this seam.
protocol CollectionAdmin: Sendable {
    /// "the local store" or "Typesense at URL", for messages.
    var place: String { get }
    func collections() async throws -> [AdminCollection]
    /// Alias name → collection.
    func aliases() async throws -> [String: String]
    func setAlias(_ name: String, target: String) async throws
    /// Copies every document of `from` into `to` (created when missing); returns how many.
    func migrate(from: String, to: String) async throws -> Int
    /// False when there was no such collection.
    func deleteCollection(_ name: String) async throws -> Bool
    func close() async
}

/// `--typesense`: act on the server at TRAWL_TYPESENSE_URL instead of the local store.
struct AdminTarget: ParsableArguments {
    @Flag(name: .long, help: "Act on the Typesense server at TRAWL_TYPESENSE_URL (key: TRAWL_TYPESENSE_API_KEY) instead of the local store.")
    var typesense = false

    func open(_ env: CLIEnvironment) throws -> any CollectionAdmin {
        if typesense { return try TypesenseAdmin.open(env) }
        return LocalCollectionAdmin(store: try env.openStore())
    }
}

/// The local store's collections and aliases (SQLite or PostgreSQL).
struct LocalCollectionAdmin: CollectionAdmin {
    let store: any Store
    var place: String { "the local store" }

    func collections() async throws -> [AdminCollection] {
        try await store.collections().map { AdminCollection(name: $0.name, documents: $0.documents, createdAt: $0.createdAt) }
    }

    func aliases() async throws -> [String: String] { try await store.aliases() }

    func setAlias(_ name: String, target: String) async throws { try await store.setAlias(name, target: target) }

    func migrate(from: String, to: String) async throws -> Int {
        guard try await store.collections().contains(where: { $0.name == from }) else { throw StoreErrorText("no collection named '\(from)'") }
        let profile = try await store.collections().first { $0.name == from }?.profile
        try await store.ensureCollection(to, profile: profile)
        var cursor: String?
        var copied = 0
        while true {
            let page = try await store.documents(collection: from, after: cursor, limit: 500)
            guard let last = page.last else { break }
            var packages: [StoredPackage] = []
            for doc in page {
                packages.append(StoredPackage(document: doc, releases: try await store.releases(doc.normalizedName, collection: from)))
            }
            try await store.upsert(packages, collection: to)
            copied += page.count
            cursor = last.normalizedName
        }
        return copied
    }

    func deleteCollection(_ name: String) async throws -> Bool {
        guard try await store.collections().contains(where: { $0.name == name }) else { return false }
        try await store.deleteCollection(name)
        return true
    }

    func close() async { try? await store.close() }
}

/// A plain error message for the admin commands.
struct StoreErrorText: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}
