import Foundation
public import TrawlCore

/// A small client for the Typesense 0.24 HTTP API, over the shared `HTTPFetcher` so requests get
/// the same retries, limits and counters as every other upstream. The API key travels only in the
/// `X-TYPESENSE-API-KEY` header and is held as a `Secret`, so it never reaches a log or an error.
public struct TypesenseClient: Sendable {
    public let baseURL: String
    let apiKey: Secret
    let http: HTTPFetcher

    public init(baseURL: String, apiKey: Secret, http: HTTPFetcher) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        self.http = http
    }

    /// The client `TRAWL_TYPESENSE_URL`/`TRAWL_TYPESENSE_API_KEY` describe, or nil when no URL is set.
    public static func from(config: TrawlConfig, http: HTTPFetcher) -> TypesenseClient? {
        guard let url = config.typesenseURL else { return nil }
        return TypesenseClient(baseURL: url, apiKey: config.typesenseAPIKey ?? Secret(""), http: http)
    }

    /// `GET /health`: true when the node answers `{"ok": true}`.
    public func health() async throws -> Bool {
        let response = try await send(.GET, "/health")
        guard response.isSuccess else { return false }
        return (try? JSONDecoder().decode(Health.self, from: Data(response.body)))?.ok ?? false
    }

    struct Health: Decodable { var ok: Bool }

    // MARK: - Plumbing

    /// Sends one request; the body is JSON unless `contentType` says otherwise.
    func send(
        _ method: FetchRequest.Method, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
        contentType: String = "application/json", timeout: Duration? = nil
    ) async throws -> FetchedResponse {
        var url = baseURL + path
        if !query.isEmpty {
            url += "?" + query.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
        }
        var headers: [(name: String, value: String)] = [(name: "X-TYPESENSE-API-KEY", value: apiKey.value)]
        if body != nil { headers.append((name: "Content-Type", value: contentType)) }
        return try await http.fetch(FetchRequest(url, method: method, upstream: .typesense, headers: headers, body: body, timeout: timeout))
    }

    /// Sends and decodes a 2xx answer; any other status becomes `TypesenseError.status` with the
    /// server's message (which never contains the key).
    func call<T: Decodable>(
        _ type: T.Type, _ method: FetchRequest.Method, _ path: String, query: [(String, String)] = [], json: (any Encodable)? = nil
    ) async throws -> T {
        let body = try json.map { Array(try JSONEncoder().encode($0)) }
        let response = try await send(method, path, query: query, body: body)
        try Self.check(response, method: method, path: path)
        do {
            return try JSONDecoder().decode(T.self, from: Data(response.body))
        } catch {
            throw TypesenseError.badResponse(path: path, message: "\(error)")
        }
    }

    static func check(_ response: FetchedResponse, method: FetchRequest.Method, path: String) throws {
        guard response.isSuccess else {
            let message = (try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body)))?.message ?? response.bodyString
            throw TypesenseError.status(method: method.rawValue, path: path, status: response.status, message: message)
        }
    }

    struct ErrorBody: Decodable { var message: String }

    /// Percent-encodes a path segment or query value (names may hold any character Typesense allows).
    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Why a Typesense call failed. Carries the path and the server's message, never the API key.
public enum TypesenseError: Error, Sendable, CustomStringConvertible, Equatable {
    case status(method: String, path: String, status: Int, message: String)
    case badResponse(path: String, message: String)
    /// Some lines of a JSONL import were rejected.
    case importFailed(collection: String, failed: Int, firstError: String)
    case notFound(String)

    public var description: String {
        switch self {
        case .status(let method, let path, let status, let message): "Typesense \(method) \(path): HTTP \(status): \(message)"
        case .badResponse(let path, let message): "Typesense \(path): unexpected answer: \(message)"
        case .importFailed(let collection, let failed, let first): "Typesense import into '\(collection)': \(failed) documents rejected (first: \(first))"
        case .notFound(let what): "Typesense: \(what) not found"
        }
    }

    /// The HTTP status of a `.status` error.
    public var httpStatus: Int? {
        if case .status(_, _, let status, _) = self { return status }
        return nil
    }
}
