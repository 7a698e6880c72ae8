import Foundation
import Hummingbird
import TrawlCore

/// Packages side by side: `GET /api/v1/{collection}/compare?names=a,b,c` (JSON) and
/// `GET /compare?p=a,b,c&collection=C` (the page; `p` may also repeat, as the compare checkboxes of
/// the results send it). Both show `CompareTable`, so they never disagree.
struct CompareRoutes: Sendable {
    let state: ServeState
    let pages: PageRoutes

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/v1/:collection/compare") { request, context in
            try await self.api(request, collection: try context.parameters.require("collection"))
        }
        router.get("/compare") { request, _ in try await self.page(request) }
    }

    /// The names asked for (at most `CompareTable.maxPackages`) and the table of those found.
    func table(_ values: [String], collection: String) async throws -> (table: CompareTable, missing: [String]) {
        let asked = CompareTable.requested(values)
        guard !asked.isEmpty else { throw APIError.badRequest("Name the packages to compare, e.g. names=a,b,c.") }
        guard asked.count <= CompareTable.maxPackages else {
            throw APIError.badRequest("At most \(CompareTable.maxPackages) packages can be compared; \(asked.count) were asked for.")
        }
        guard asked.allSatisfy({ $0.utf8.count <= RequestLimits.nameCharacters }) else {
            throw APIError.badRequest("A package name is longer than \(RequestLimits.nameCharacters) characters.")
        }
        let found = try await state.store.documents(asked, collection: collection)
        let graph = try await state.dependencyGraph(collection)
        return (CompareTable(asked.compactMap { found[$0] }, graph: graph), asked.filter { found[$0] == nil })
    }

    func api(_ request: Request, collection asked: String) async throws -> Response {
        let items = QueryItems(request: request)
        let caller = try await state.access.caller(request, query: items)
        if state.options.isPrivate, caller == .anonymous { throw APIError.unauthorized }
        let collection = try await state.resolve(asked)
        try state.access.requireRead(caller, names: [asked, collection])
        let (table, missing) = try await table(items.all("names"), collection: collection)
        return try JSONOutput.response(CompareTable.Answer(collection: collection, table: table, missing: missing))
    }

    func page(_ request: Request) async throws -> Response {
        let items = QueryItems(request: request)
        let prepared: (collection: String, base: [String: Any])
        switch try await pages.prepare(request, items: items) {
        case .failure(let failure): return failure.response
        case .success(let value): prepared = value
        }
        var context = prepared.base
        let compared: (table: CompareTable, missing: [String])
        do {
            compared = try await table(items.all("p"), collection: prepared.collection)
        } catch let error as APIError {
            return pages.message("Nothing to compare", error.message, status: error.status, base: context)
        }
        let table = compared.table
        let collection = prepared.collection
        context["title"] = "Compare \(table.names.joined(separator: ", ")) — Trawl"
        context["heading"] = "Compare \(table.names.count) packages"
        context["columns"] = zip(table.names, table.packages).map { name, normalized in
            ["name": name, "url": "/packages/\(PageRoutes.pathEscape(normalized))?collection=\(PageRoutes.queryEscape(collection))"]
        }
        context["rows"] = table.rows.map { row in ["label": row.label, "cells": row.values.map { ["value": $0] }] as [String: Any] }
        context["missing"] = compared.missing.isEmpty ? nil : compared.missing.joined(separator: ", ")
        return pages.html(state.pages.render("compare", context))
    }
}
