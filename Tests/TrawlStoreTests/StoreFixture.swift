import Foundation
import TestSupport
import Testing
import TrawlCore
@testable import TrawlStore

/// The stores the shared suite runs against: every test takes a `StoreKind` argument.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }
}

/// A fresh, empty store of one kind and the URL that reopens it.
struct StoreFixture {
    let kind: StoreKind
    let url: String
    let store: any Store

    /// nil (with a message) when PostgreSQL is not installed here; in CI that is a failure.
    static func make(_ kind: StoreKind) async throws -> StoreFixture? {
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-store-\(UUID().uuidString)/t.sqlite").path
            return StoreFixture(kind: kind, url: "sqlite:\(path)", store: try StoreLocator.open("sqlite:\(path)"))
        case .postgres:
            guard let url = try await postgresURL() else { return nil }
            return StoreFixture(kind: kind, url: url, store: try StoreLocator.open(url))
        }
    }

    /// A new database on the test process's PostgreSQL, or nil where there is none.
    static func postgresURL() async throws -> String? {
        guard let server = try await PostgresServer.running() else {
            if RequiredServer.inCI { Issue.record("PostgreSQL is required in CI (scripts/setup installs Debian's postgresql)") }
            print("skipped: PostgreSQL is not installed (apt-get install postgresql)")
            return nil
        }
        return try await server.database()
    }

    func reopen() throws -> any Store { try StoreLocator.open(url) }

    /// The migrations a store has applied, in order.
    static func appliedMigrations(_ store: any Store) async throws -> [String] {
        if let sqlite = store as? SQLiteStore { return try sqlite.appliedMigrations() }
        if let postgres = store as? PostgresStore { return try await postgres.appliedMigrations() }
        return []
    }
}
