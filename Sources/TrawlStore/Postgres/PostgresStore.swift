import Foundation
public import Logging
import PostgresNIO
public import TrawlCore

/// The store for more than one machine: every worker and server points at one PostgreSQL
/// (`TRAWL_STORE=postgres://…`). Holds what the SQLite store holds, with the same semantics, so the
/// same test suite runs against both.
///
/// Opening is synchronous (like the SQLite store's) and cheap: the connection pool runs in a
/// background task and the migrations run once, before the first query, under an advisory lock so
/// many workers starting together migrate once.
public final class PostgresStore: Store {
    let client: PostgresClient
    let url: PostgresURL
    let logger: Logger
    private let runner: Task<Void, Never>
    private let setup: Task<PostgresFeatures, any Error>

    /// Parses the URL and starts connecting; errors in reaching the server surface on first use.
    public init(url text: String, logger: Logger = Logger(label: "trawl.postgres")) throws {
        let url = try PostgresURL(text)
        self.url = url
        self.logger = logger
        let client = PostgresClient(configuration: url.configuration)
        self.client = client
        runner = Task { await client.run() }
        let where_ = url.redacted
        setup = Task {
            // The pool retries a refused or rejected connection for a minute before failing a query:
            // probe first, so a wrong URL fails within seconds with a message that says where.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try await client.query("SELECT 1", logger: logger).collect() }
                group.addTask {
                    try await Task.sleep(for: Self.connectDeadline)
                    throw PostgresStoreError(description: "cannot connect to PostgreSQL at \(where_) within \(Self.connectDeadline) (is it running, and are the user, password and database right?)")
                }
                try await group.next()
                group.cancelAll()
            }
            return try await PostgresMigrations.migrate(client, logger: logger)
        }
    }

    public var redactedDescription: String { url.redacted }

    public func close() async throws {
        _ = try? await setup.value
        runner.cancel()
        await runner.value
    }

    /// Waits for the migrations (once); rethrows their error, e.g. the server cannot be reached.
    @discardableResult
    func ready() async throws -> PostgresFeatures {
        do {
            return try await setup.value
        } catch {
            throw PostgresStoreError.wrap(error)
        }
    }

    /// The names of the migrations applied, in order.
    public func appliedMigrations() async throws -> [String] {
        try await rows("SELECT name FROM schema_migrations ORDER BY id").map { try $0.decode(String.self) }
    }

    /// Whether trigram matching (pg_trgm) backs up full-text search on this server.
    public func hasTrigramSearch() async throws -> Bool { try await ready().trigram }

    // MARK: Query helpers (errors mapped to readable messages without bound values)

    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await ready()
        do {
            return try await client.query(query, logger: logger).collect()
        } catch {
            throw PostgresStoreError.wrap(error)
        }
    }

    func execute(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }

    /// Runs `body` in one transaction on one connection.
    func transaction<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await ready()
        do {
            return try await client.withConnection { connection in
                try await connection.withTransaction(logger: logger) { connection in try await body(connection) }
            }
        } catch {
            throw PostgresStoreError.wrap(error)
        }
    }

    static let connectDeadline = Duration.seconds(10)

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }
}

struct PostgresFeatures: Sendable {
    var trigram: Bool
}

extension PostgresConnection {
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}

/// A PostgreSQL error in words: the server's message and SQLSTATE, never bound values or passwords
/// (postgres-nio's own description is deliberately generic).
public struct PostgresStoreError: Error, CustomStringConvertible {
    public var description: String

    static func wrap(_ error: any Error) -> any Error {
        if error is PostgresStoreError || error is StoreError || error is SearchError || error is CancellationError { return error }
        if let transaction = error as? PostgresTransactionError {
            if let inner = transaction.closureError { return wrap(inner) }
            if let inner = transaction.beginError ?? transaction.commitError { return wrap(inner) }
        }
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] {
                return PostgresStoreError(description: "PostgreSQL: \(message) (SQLSTATE \(psql.serverInfo?[.sqlState] ?? "?"))")
            }
            var text = "PostgreSQL: \(psql.code)"
            if let underlying = psql.underlying { text += " (\(underlying))" }
            return PostgresStoreError(description: text)
        }
        return error
    }

    /// The SQLSTATE of a server error, e.g. `23505` for a unique violation.
    static func sqlState(_ error: any Error) -> String? {
        if let transaction = error as? PostgresTransactionError, let inner = transaction.closureError { return sqlState(inner) }
        return (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
