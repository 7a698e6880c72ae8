import Foundation
import Synchronization
public import TrawlCore

/// The index's HTTP APIs: project JSON, the simple index (PEP 691 JSON or PEP 503 HTML, chosen by
/// the answer's Content-Type), RSS feeds and XML-RPC changelog. Per-package trouble comes back as a
/// value (the crawl goes on); index-wide trouble throws.
public struct PyPIClient: Sendable {
    public let http: HTTPFetcher
    /// Where the project JSON lives: `{baseURL}/pypi/{name}/json`.
    public let baseURL: String
    /// The simple index, with a trailing slash: `{base}/simple/`, or a devpi index's `…/+simple/`.
    public let simpleURL: String
    /// Whether the index serves project JSON: learnt from the first answers (see `project`).
    let jsonAPI: JSONAPIState

    /// `baseURL` as `TrawlConfig.pypiURL()` gives it (see `PyPIIndexResolver.locate`).
    public init(http: HTTPFetcher, baseURL: String) {
        self.http = http
        let location = PyPIIndexResolver.locate(baseURL)
        self.baseURL = location.base
        self.simpleURL = location.simple
        self.jsonAPI = JSONAPIState()
    }

    final class JSONAPIState: Sendable {
        enum Known { case unknown, present, missing(String) }
        let state = Mutex<Known>(.unknown)
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

    /// One GET of the project's JSON. `etag` (the one stored with the collection's document) makes it
    /// conditional: a 304 says that document is current. The answer's ETag lands in `pypiETag`.
    public func project(_ name: String, etag: String? = nil, frameworks: [String] = []) async -> ProjectResult {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if let etag, !etag.isEmpty { headers.append(("If-None-Match", etag)) }
        let request = FetchRequest(projectURL(name), upstream: .pypi, headers: headers)
        let response: FetchedResponse
        do {
            response = try await http.fetch(request)
        } catch let error as HTTPFetchError {
            if case .rateLimited = error { return .failed(kind: PendingPackage.rateLimited, message: "\(error)") }
            return .failed(kind: "pypi-unreachable", message: "\(error)")
        } catch {
            return .failed(kind: "pypi-unreachable", message: LogText.capped("\(error)"))
        }
        if response.status == 304 { return .notModified }
        if response.status == 404 || response.status == 410 {
            if let missing = await missingJSONAPI(after404: name) { return .failed(kind: "pypi-no-json-api", message: missing) }
            return .notFound
        }
        guard response.isSuccess else { return .failed(kind: "pypi-http", message: "HTTP \(response.status) for \(LogText.url(request.url))") }
        jsonAPI.state.withLock { $0 = .present }
        do {
            var parsed = try ProjectMetadata.parse(response.body, frameworks: frameworks)
            parsed.document.pypiETag = response.header("ETag").flatMap { $0.utf8.count <= 256 ? $0 : nil } ?? ""
            return .fetched(parsed)
        } catch {
            return .failed(kind: "pypi-json", message: "\(error)")
        }
    }

    /// After a 404 for a project's JSON, while it is not known whether the index serves project
    /// JSON at all: asks the simple index for the project. Listed with files → the index has no
    /// JSON API (a mirror serving only the simple index; a devpi index): the message says so, and
    /// the 404 must not count as "removed". Learnt once per client: a JSON answer settles it too.
    func missingJSONAPI(after404 name: String) async -> String? {
        switch jsonAPI.state.withLock({ $0 }) {
        case .present: return nil
        case .missing(let message): return message
        case .unknown: break
        }
        guard let files = try? await simpleProject(name) else { return nil }
        guard !files.isEmpty else { return nil }  // a project without files has no JSON either: a real 404
        let message = PyPIError.noJSONAPI(base: baseURL, simple: simpleURL, project: PackageName.normalize(name)).description
        jsonAPI.state.withLock { $0 = .missing(message) }
        return message
    }

    /// The Accept header of PEP 691: JSON preferred, HTML (PEP 503) accepted.
    static let simpleAccept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"

    enum SimpleFormat { case json, html }

    /// JSON or HTML by the answer's Content-Type; without a usable one, by the first byte.
    static func format(contentType: String?, body: [UInt8]) -> SimpleFormat? {
        let type = (contentType ?? "").lowercased()
        if type.contains("json") { return .json }
        if type.contains("html") { return .html }
        guard let first = body.first(where: { !SimpleIndexHTML.isSpace($0) }) else { return nil }
        if first == UInt8(ascii: "{") { return .json }
        if first == UInt8(ascii: "<") { return .html }
        return nil
    }

    /// Every project of the simple index, and the index's serial (0 when an HTML index gives none).
    /// A non-empty answer that lists no project is an error, not an empty world.
    public func simpleIndex(_ emit: (SimpleIndexScanner.Entry) throws -> Void) async throws -> Int64 {
        let response = try await http.fetch(FetchRequest(
            simpleURL, upstream: .pypi, headers: [("Accept", Self.simpleAccept)], timeout: .seconds(600)))
        guard response.isSuccess else { throw PyPIError.http(response.status, response.url) }
        let contentType = response.header("Content-Type")
        var count = 0
        let serial: Int64
        switch Self.format(contentType: contentType, body: response.body) {
        case .json:
            var scanner = SimpleIndexScanner()
            try scanner.scan(response.body) { entry in
                count += 1
                try emit(entry)
            }
            serial = scanner.indexSerial
        case .html:
            try SimpleIndexHTML.projects(response.body) { name in
                count += 1
                try emit(SimpleIndexScanner.Entry(name: name, serial: 0))
            }
            serial = response.header("X-PyPI-Last-Serial").flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) } ?? 0
        case nil:
            throw PyPIError.unreadableIndex(url: simpleURL, contentType: contentType ?? "none", bytes: response.body.count)
        }
        if count == 0, response.body.contains(where: { !SimpleIndexHTML.isSpace($0) }) {
            throw PyPIError.emptyIndex(url: simpleURL, contentType: contentType ?? "none", bytes: response.body.count)
        }
        return serial
    }

    /// One project's files from its simple index page (PEP 691 JSON or PEP 503 HTML); nil on 404.
    public func simpleProject(_ name: String) async throws -> [SimpleIndexFile]? {
        let url = simpleURL + PackageName.normalize(name) + "/"
        let response = try await http.fetch(FetchRequest(url, upstream: .pypi, headers: [("Accept", Self.simpleAccept)]))
        if response.status == 404 || response.status == 410 { return nil }
        guard response.isSuccess else { throw PyPIError.http(response.status, url) }
        let contentType = response.header("Content-Type")
        switch Self.format(contentType: contentType, body: response.body) {
        case .json: return try SimpleProjectJSON.files(response.body)
        case .html: return SimpleIndexHTML.files(response.body)
        case nil: throw PyPIError.unreadableIndex(url: url, contentType: contentType ?? "none", bytes: response.body.count)
        }
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
    /// The simple index answered a body with no project in it.
    case emptyIndex(url: String, contentType: String, bytes: Int)
    /// The simple index answered something that is neither PEP 691 JSON nor PEP 503 HTML.
    case unreadableIndex(url: String, contentType: String, bytes: Int)
    /// The simple index lists a project whose JSON answers 404: the index has no JSON API.
    case noJSONAPI(base: String, simple: String, project: String)

    public var description: String {
        switch self {
        case .http(let status, let url): "HTTP \(status) from \(url)"
        case .emptyIndex(let url, let type, let bytes):
            "the simple index at \(url) answered \(bytes) bytes (\(type)) that list no project: "
                + "not a PEP 691 JSON or PEP 503 HTML project list (check TRAWL_PYPI_URL)"
        case .unreadableIndex(let url, let type, let bytes):
            "the simple index at \(url) answered \(bytes) bytes of \(type), neither PEP 691 JSON nor PEP 503 HTML (check TRAWL_PYPI_URL)"
        case .noJSONAPI(let base, let simple, let project):
            "the index at \(simple) has no JSON API: \(base)/pypi/\(project)/json answers 404 while the simple index lists "
                + "\(project) with files. Trawl reads each project's JSON (one request per package); set TRAWL_PYPI_URL "
                + "to an index that serves {base}/pypi/NAME/json (a full mirror or a proxy of the public index)"
        }
    }
}
