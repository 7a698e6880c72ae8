import Foundation
import Hummingbird
import TrawlCore

/// Atom feeds of a collection, for feed readers: `/feeds/{c}/new.atom` (packages new to the
/// collection), `/feeds/{c}/releases.atom` (latest releases) and `/feeds/{c}/search.atom?q=…`
/// (any search of the page, with its filters, newest releases first). Access as for the page.
/// Ids are tag URIs built from the collection name asked for (its alias survives a recreate), the
/// package and, for releases, the version: a reader sees each item once however often it polls.
struct FeedRoutes: Sendable {
    let state: ServeState
    static let entries = 50

    func register(on router: Router<BasicRequestContext>) {
        router.get("/feeds/:collection/:feed") { request, context in
            try await self.feed(request, collection: try context.parameters.require("collection"), feed: try context.parameters.require("feed"))
        }
    }

    enum Kind: String {
        case new = "new.atom", releases = "releases.atom", search = "search.atom"
    }

    func feed(_ request: Request, collection asked: String, feed: String) async throws -> Response {
        guard let kind = Kind(rawValue: feed) else { throw APIError.notFound("No feed `\(feed)`: new.atom, releases.atom or search.atom.") }
        let items = QueryItems(request: request)
        let caller = try await state.access.caller(request, query: items)
        if state.options.isPrivate, caller == .anonymous { throw APIError.unauthorized }
        let collection = try await state.resolve(asked)
        try state.access.requireRead(caller, names: [asked, collection])

        var query: SearchQuery
        let title: String
        switch kind {
        case .new:
            query = SearchQuery(sort: .newest, descending: true, perPage: Self.entries)
            title = "New packages — \(asked)"
        case .releases:
            query = SearchQuery(sort: .updated, descending: true, perPage: Self.entries)
            title = "New releases — \(asked)"
        case .search:
            query = try APIQuery.parse(items, defaultPerPage: Self.entries)
            if items["sort"] == nil { query.sort = .updated; query.descending = true }
            query.page = 1
            query.perPage = min(query.perPage, Self.entries)
            title = query.text.isEmpty ? "Search — \(asked)" : "“\(query.text)” — \(asked)"
        }
        query.facets = []
        let results = try await state.search(query, collection: collection)
        let base = Self.origin(request)
        let scope = "tag:trawl.invalid,2026:\(PageRoutes.pathEscape(asked))"
        let entries = results.hits.map { hit -> AtomFeed.Entry in
            let d = hit.document
            let link = base + "/packages/\(PageRoutes.pathEscape(d.normalizedName))?collection=\(PageRoutes.queryEscape(asked))"
            switch kind {
            case .new:
                return AtomFeed.Entry(id: "\(scope)/package/\(PageRoutes.pathEscape(d.normalizedName))", title: d.name,
                                      updated: d.firstSeen, link: link, summary: d.summary, categories: d.frameworkVersions)
            case .releases, .search:
                return AtomFeed.Entry(id: "\(scope)/release/\(PageRoutes.pathEscape(d.normalizedName))/\(PageRoutes.pathEscape(d.version))",
                                      title: "\(d.name) \(d.version)", updated: d.uploadTimestamp, link: link, summary: d.summary,
                                      categories: d.frameworkVersions)
            }
        }
        let path = request.uri.path
        let selfLink = base + path + (kind == .search ? Self.queryString(items) : "")
        let atom = AtomFeed(id: "\(scope)/\(kind.rawValue)" + (kind == .search ? Self.queryString(items) : ""), title: title,
                            selfLink: selfLink, alternateLink: base + "/?collection=\(PageRoutes.queryEscape(asked))", entries: entries)
        return JSONOutput.text(atom.xml, contentType: "application/atom+xml; charset=utf-8")
    }

    /// The search's own parameters, in a stable order (never the key).
    static func queryString(_ items: QueryItems) -> String {
        let pairs = items.items.filter { $0.name != "x-typesense-api-key" && $0.name != "page" }
            .sorted { ($0.name, $0.value) < ($1.name, $1.value) }
        guard !pairs.isEmpty else { return "" }
        return "?" + pairs.map { "\(PageRoutes.queryEscape($0.name))=\(PageRoutes.queryEscape($0.value))" }.joined(separator: "&")
    }

    /// `http://HOST` from the request's Host, when it is a plain host[:port]; else a relative base.
    static func origin(_ request: Request) -> String {
        guard let host = request.head.authority, !host.isEmpty, host.utf8.count <= 255,
            host.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || ".-:[]".unicodeScalars.contains($0) })
        else { return "" }
        return "http://\(host)"
    }
}
