public import TrawlCore

/// Opens the store a `--store`/`TRAWL_STORE` URL names: `sqlite:PATH` (the default), a plain path,
/// or `postgres://user:pass@host:port/db` (also `postgresql://`, optional `?sslmode=disable|prefer|require`).
public enum StoreLocator {
    public static func open(_ url: String) throws -> any Store {
        if url.hasPrefix("sqlite://") { return try SQLiteStore(path: String(url.dropFirst("sqlite://".count))) }
        if url.hasPrefix("sqlite:") { return try SQLiteStore(path: String(url.dropFirst("sqlite:".count))) }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return try PostgresStore(url: url) }
        if !url.contains("://") { return try SQLiteStore(path: url) }
        throw StoreError.unsupportedURL(redact(url))
    }

    /// The URL with any password replaced, for messages.
    public static func redact(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://"), scheme.upperBound < at else { return url }
        let credentials = url[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}
