import Foundation
import PostgresNIO

/// A `postgres://user:pass@host:port/db?sslmode=…` URL turned into a client configuration.
/// The password goes only into the configuration, never into a description.
struct PostgresURL: Sendable {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    /// `disable`, `prefer` (default) or `require`.
    var sslMode: String

    init(_ text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql", let host = components.host, !host.isEmpty
        else { throw StoreError.unsupportedURL(StoreLocator.redact(text)) }
        self.host = host
        port = components.port ?? 5432
        user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? user : path
        sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        guard ["disable", "prefer", "require", "allow"].contains(sslMode) else {
            throw StoreError.unsupportedURL(StoreLocator.redact(text) + " (sslmode must be disable, prefer or require)")
        }
    }

    var configuration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "require": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = 10
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// `postgres://user@host:port/db`: what logs and errors may show.
    var redacted: String { "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)" }
}
