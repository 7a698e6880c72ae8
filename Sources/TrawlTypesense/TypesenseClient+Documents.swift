import Foundation
public import TrawlCore

extension TypesenseClient {
    /// `POST /collections/{c}/documents/import?action=upsert` with JSONL lines (one JSON object
    /// each, with an `id`). Typesense answers one result line per document and HTTP 200 even when
    /// some fail, so every line is checked: any rejected document fails the call.
    /// Returns how many documents were accepted.
    @discardableResult
    public func importLines(_ lines: [String], into collection: String, action: String = "upsert") async throws -> Int {
        guard !lines.isEmpty else { return 0 }
        let body = Array(lines.joined(separator: "\n").utf8)
        let path = "/collections/\(Self.escape(collection))/documents/import"
        let response = try await send(
            .POST, path, query: [("action", action), ("batch_size", "1000")], body: body, contentType: "text/plain",
            timeout: .seconds(600))
        try Self.check(response, method: .POST, path: path)
        var accepted = 0, failed = 0
        var firstError: String?
        for line in response.bodyString.split(separator: "\n") where !line.isEmpty {
            guard let result = try? JSONDecoder().decode(ImportLine.self, from: Data(line.utf8)) else {
                throw TypesenseError.badResponse(path: path, message: "import result line is not JSON")
            }
            if result.success { accepted += 1 } else {
                failed += 1
                if firstError == nil { firstError = result.error ?? "unknown error" }
            }
        }
        if failed > 0 { throw TypesenseError.importFailed(collection: collection, failed: failed, firstError: firstError ?? "") }
        guard accepted == lines.count else {
            throw TypesenseError.badResponse(path: path, message: "\(accepted) results for \(lines.count) documents")
        }
        return accepted
    }

    /// Upserts package documents (`id` = normalized name) in chunks that keep each request small.
    @discardableResult
    public func upsert(_ documents: [PackageDocument], into collection: String, chunkSize: Int = 1_000) async throws -> Int {
        var total = 0
        var start = 0
        while start < documents.count {
            let chunk = Array(documents[start..<min(start + chunkSize, documents.count)])
            total += try await importLines(try TypesenseDocument.lines(chunk), into: collection)
            start += chunkSize
        }
        return total
    }

    /// `DELETE /collections/{c}/documents/{id}`; false when there was no such document.
    @discardableResult
    public func deleteDocument(id: String, from collection: String) async throws -> Bool {
        let path = "/collections/\(Self.escape(collection))/documents/\(Self.escape(id))"
        let response = try await send(.DELETE, path)
        if response.status == 404 { return false }
        try Self.check(response, method: .DELETE, path: path)
        return true
    }

    /// `DELETE /collections/{c}/documents?filter_by=…`; returns how many were deleted.
    @discardableResult
    public func deleteDocuments(filter: String, from collection: String) async throws -> Int {
        struct Deleted: Decodable {
            var numDeleted: Int
            enum CodingKeys: String, CodingKey { case numDeleted = "num_deleted" }
        }
        return try await call(
            Deleted.self, .DELETE, "/collections/\(Self.escape(collection))/documents", query: [("filter_by", filter)]).numDeleted
    }

    /// Deletes documents by id, many per request (`filter_by=id:[a,b,…]`).
    @discardableResult
    public func deleteDocuments(ids: [String], from collection: String, chunkSize: Int = 100) async throws -> Int {
        var deleted = 0
        var start = 0
        while start < ids.count {
            let chunk = ids[start..<min(start + chunkSize, ids.count)]
            let list = chunk.map { "`" + $0.replacingOccurrences(of: "`", with: "") + "`" }.joined(separator: ",")
            deleted += try await deleteDocuments(filter: "id:[\(list)]", from: collection)
            start += chunkSize
        }
        return deleted
    }

    /// `GET /collections/{c}/documents/search`.
    public func search(
        _ collection: String, q: String, queryBy: String = TypesensePackageSchema.queryBy, filterBy: String? = nil,
        sortBy: String? = nil, perPage: Int = 10, page: Int = 1
    ) async throws -> TypesenseSearchResult {
        var query: [(String, String)] = [("q", q), ("query_by", queryBy), ("per_page", String(perPage)), ("page", String(page))]
        if let filterBy { query.append(("filter_by", filterBy)) }
        if let sortBy { query.append(("sort_by", sortBy)) }
        return try await call(TypesenseSearchResult.self, .GET, "/collections/\(Self.escape(collection))/documents/search", query: query)
    }
}

extension TypesenseClient {
    /// `GET /collections/{c}/documents/export`: every document as one JSONL line.
    public func exportLines(_ collection: String) async throws -> [String] {
        let path = "/collections/\(Self.escape(collection))/documents/export"
        let response = try await send(.GET, path, timeout: .seconds(600))
        try Self.check(response, method: .GET, path: path)
        return response.bodyString.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }
}
