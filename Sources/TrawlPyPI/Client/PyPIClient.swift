import Foundation
public import TrawlCore

/// The index's HTTP APIs: project JSON, the PEP 691 simple index, RSS feeds and XML-RPC changelog.
/// Per-package trouble comes back as a value (the crawl goes on); index-wide trouble throws.
public struct PyPIClient: Sendable {
    public let http: HTTPFetcher
    public let baseURL: String

    public init(http: HTTPFetcher, baseURL: String) {
        self.http = http
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
    }

    public enum ProjectResult: Sendable {
        case fetched(ProjectMetadata.Parsed)
        /// 304: the stored document is current.
        case notModified
        case notFound
        /// Bad body or a failure that outlived the retries; the message says which.
        case failed(kind: String, message: String)
    }

    public func projectURL(_ name: String) -> String {
        "\(baseURL)/pypi/\(PackageName.normalize(name))/json"
    }

    /// One GET of the project's JSON. `revalidate` sends the stored ETag.
    public func project(_ name: String, revalidate: Bool, frameworks: [String] = []) async -> ProjectResult {
        let request = FetchRequest(projectURL(name), upstream: .pypi, headers: [("Accept", "application/json")],
                                   validators: revalidate ? .revalidateOnly : .recordOnly)
        let response: FetchedResponse
        do {
            response = try await http.fetch(request)
        } catch {
            return .failed(kind: "pypi-unreachable", message: "\(error)")
        }
        if response.status == 304 { return .notModified }
        if response.status == 404 || response.status == 410 { return .notFound }
        guard response.isSuccess else { return .failed(kind: "pypi-http", message: "HTTP \(response.status) for \(request.url)") }
        do {
            return .fetched(try ProjectMetadata.parse(response.body, frameworks: frameworks))
        } catch {
            return .failed(kind: "pypi-json", message: "\(error)")
        }
    }

    /// Every project of the simple index (PEP 691 JSON), and the index's serial.
    public func simpleIndex(_ emit: (SimpleIndexScanner.Entry) throws -> Void) async throws -> Int64 {
        let response = try await http.fetch(FetchRequest(
            "\(baseURL)/simple/", upstream: .pypi, headers: [("Accept", "application/vnd.pypi.simple.v1+json")], timeout: .seconds(600)))
        guard response.isSuccess else { throw PyPIError.http(response.status, response.url) }
        var scanner = SimpleIndexScanner()
        try scanner.scan(response.body, emit: emit)
        return scanner.indexSerial
    }

    public func feed(newProjects: Bool) async throws -> [FeedItem] {
        let url = "\(baseURL)/rss/\(newProjects ? "packages" : "updates").xml"
        let response = try await http.fetch(FetchRequest(url, upstream: .pypi))
        guard response.isSuccess else { throw PyPIError.http(response.status, url) }
        return try RSSFeed.parse(response.body, newProjects: newProjects)
    }

    /// One changelog event: `[name, version, timestamp, action, serial]`.
    public struct ChangelogEntry: Sendable, Equatable {
        public var name: String
        public var version: String?
        public var timestamp: Int64
        public var action: String
        public var serial: Int64
    }

    public func changelog(since serial: Int64) async throws -> [ChangelogEntry] {
        let value = try await xmlrpc("changelog_since_serial", [.int(serial)])
        guard let rows = value.array else { throw XMLRPC.Malformed(message: "changelog is not an array") }
        return rows.compactMap { row in
            guard let f = row.array, f.count >= 5, let name = f[0].string, let serial = f[4].int else { return nil }
            return ChangelogEntry(name: name, version: f[1].string, timestamp: f[2].int ?? 0, action: f[3].string ?? "", serial: serial)
        }
    }

    public func lastSerial() async throws -> Int64 {
        guard let serial = try await xmlrpc("changelog_last_serial", []).int else {
            throw XMLRPC.Malformed(message: "changelog_last_serial is not an integer")
        }
        return serial
    }

    private func xmlrpc(_ method: String, _ params: [XMLRPC.Value]) async throws -> XMLRPC.Value {
        let response = try await http.fetch(FetchRequest(
            "\(baseURL)/pypi", method: .POST, upstream: .pypi, headers: [("Content-Type", "text/xml")],
            body: XMLRPC.call(method, params)))
        guard response.isSuccess else { throw PyPIError.http(response.status, "\(baseURL)/pypi (\(method))") }
        return try XMLRPC.parseResponse(response.body)
    }
}

public enum PyPIError: Error, CustomStringConvertible {
    case http(Int, String)

    public var description: String {
        switch self {
        case .http(let status, let url): "HTTP \(status) from \(url)"
        }
    }
}
