import Foundation
import Hummingbird
import TrawlCore

/// The web page: `/` (search, sort, facets, results, pages) and `/packages/{name}`. Works without
/// JavaScript; package text is always escaped, the README sanitized.
struct PageRoutes: Sendable {
    let state: ServeState

    static let facetLabels: [(field: String, parameter: String, label: String)] = [
        ("framework_versions", "framework_version", "Framework version"),
        ("python_versions", "python_version", "Python version"),
        ("categories", "category", "Category"),
    ]
    static let sortLabels: [(SearchSort, String)] = [
        (.relevance, "Relevance"), (.downloads, "Downloads"), (.stars, "Stars"), (.health, "Health"),
        (.updated, "Recently released"), (.newest, "Newest"), (.trending, "Trending"), (.dependents, "Most used"), (.name, "Name"),
    ]
    static let perPage = 20

    func register(on router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in try await self.state.admitted { try await self.home(request) } }
        router.get("/packages/:name") { request, context in
            try await self.package(request, name: try context.parameters.require("name"))
        }
    }

    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var response = JSONOutput.text(text, contentType: "text/html; charset=utf-8", status: status)
        // Defence in depth: even if markup slipped through, the browser runs no script and loads no plugin.
        response.headers[.contentSecurityPolicy] = "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        return response
    }

    func message(_ heading: String, _ text: String, status: HTTPResponse.Status, base: [String: Any]) -> Response {
        var context = base
        context["title"] = "\(heading) — Trawl"
        context["heading"] = heading
        context["message"] = text
        return html(state.pages.render("message", context), status: status)
    }

    /// Resolves the page's collection and checks access; a failure becomes a page, not JSON.
    func prepare(_ request: Request, items: QueryItems) async throws -> Result<(collection: String, base: [String: Any]), PageFailure> {
        var base: [String: Any] = ["title": "Trawl", "collection": "", "collectionName": ""]
        let collections = try await state.store.collections().map(\.name)
        base["collections"] = collections.map { ["name": $0] }
        base["hasCollections"] = collections.count > 1
        let caller: Caller
        do { caller = try await state.access.caller(request, query: items) } catch {
            return .failure(PageFailure(response: message("Key not accepted", "The API key sent with this request is not valid.", status: .unauthorized, base: base)))
        }
        let asked = items.nonEmpty("collection")
        let resolved: String?
        if let asked { resolved = try await state.store.resolveCollection(asked) } else { resolved = try await state.defaultCollection() }
        guard let collection = resolved else {
            return .failure(PageFailure(response: message("No such collection", asked.map { "There is no collection named “\($0)”." } ?? "Nothing has been crawled yet: run `trawl crawl -p PROFILE` first.", status: .notFound, base: base)))
        }
        do { try state.access.requireRead(caller, names: [asked ?? collection, collection]) } catch {
            return .failure(PageFailure(response: message("Key needed", "This server is private: send an API key that may read “\(collection)”.", status: .unauthorized, base: base)))
        }
        base["collection"] = collection
        base["collectionName"] = state.options.profiles.first(where: { $0.key == collection || collection.hasPrefix($0.key + "-") })?.name ?? collection
        return .success((collection, base))
    }

    struct PageFailure: Error {
        var response: Response
    }

    func home(_ request: Request) async throws -> Response {
        let items = QueryItems(request: request)
        let prepared: (collection: String, base: [String: Any])
        switch try await prepare(request, items: items) {
        case .failure(let failure): return failure.response
        case .success(let value): prepared = value
        }
        var context = prepared.base
        let collection = prepared.collection
        let query: SearchQuery
        do {
            query = try APIQuery.parse(items, defaultPerPage: Self.perPage)
        } catch let error as APIError {
            return message("Bad search", error.message, status: .badRequest, base: context)
        }
        let results = try await state.search(query, collection: collection)
        let collectionName = context["collectionName"] as? String ?? collection
        let text = query.text.trimmingCharacters(in: .whitespaces)
        context["title"] = text.isEmpty ? "\(collectionName) packages — Trawl" : "“\(text)” — \(collectionName) packages — Trawl"
        context["heading"] = text.isEmpty ? "\(collectionName) packages" : "Results for “\(text)”"
        context["q"] = query.text
        context["sorts"] = Self.sortLabels.map { ["value": $0.0.rawValue, "label": $0.1, "selected": $0.0 == query.sort] as [String: Any] }
        context["official"] = items["official"] == "true"
        context["verified"] = items["verified"] == "true"
        context["facets"] = Self.facetLabels.compactMap { facet -> [String: Any]? in
            let chosen = Set(items.all(facet.parameter))
            let counts = results.facets[facet.field] ?? []
            guard !counts.isEmpty else { return nil }
            return [
                "label": facet.label, "parameter": facet.parameter,
                "values": counts.prefix(12).map { ["value": $0.value, "count": $0.count, "checked": chosen.contains($0.value)] as [String: Any] },
            ]
        }
        context["foundText"] = results.total == 1 ? "1 package" : "\(results.total) packages"
        context["hasResults"] = !results.hits.isEmpty
        context["results"] = results.hits.map { hit -> [String: Any] in
            let d = hit.document
            return [
                "name": d.name, "normalized": d.normalizedName, "version": d.version, "summary": d.summary,
                "url": "/packages/\(Self.pathEscape(d.normalizedName))?collection=\(Self.queryEscape(collection))",
                "official": d.isOfficial, "verified": d.isVerified, "new": d.isNew,
                "stars": PageRenderer.number(d.githubStars), "downloads": PageRenderer.number(d.downloadLastMonth),
                "health": d.healthScore, "released": PageRenderer.date(d.uploadTimestamp),
            ]
        }
        let pages = max(1, (results.total + query.perPage - 1) / query.perPage)
        context["page"] = query.page
        context["pages"] = pages
        if query.page > 1 { context["previous"] = Self.pageLink(items, page: query.page - 1) }
        if query.page < pages { context["next"] = Self.pageLink(items, page: query.page + 1) }
        return html(state.pages.render("home", context))
    }

    func package(_ request: Request, name: String) async throws -> Response {
        let items = QueryItems(request: request)
        let prepared: (collection: String, base: [String: Any])
        switch try await prepare(request, items: items) {
        case .failure(let failure): return failure.response
        case .success(let value): prepared = value
        }
        var context = prepared.base
        let collection = prepared.collection
        guard let d = try await state.store.document(name, collection: collection) else {
            return message("Package not found", "There is no package named “\(name)” in \(collection).", status: .notFound, base: context)
        }
        let releases = try await state.store.releases(d.normalizedName, collection: collection)
        let collectionName = context["collectionName"] as? String ?? collection
        context["title"] = "\(d.name) \(d.version) — \(collectionName) packages — Trawl"
        context["name"] = d.name
        context["version"] = d.version
        context["summary"] = d.summary
        context["official"] = d.isOfficial
        context["verified"] = d.isVerified
        context["new"] = d.isNew
        context["stars"] = PageRenderer.number(d.githubStars)
        context["health"] = d.healthScore
        context["released"] = PageRenderer.date(d.uploadTimestamp)
        let safeLinks = Self.links(d).map { ["label": $0.label, "url": $0.url] as [String: Any] }
        context["links"] = safeLinks
        context["hasLinks"] = !safeLinks.isEmpty
        var meta: [(String, String)] = [
            ("Author", d.author), ("Maintainer", d.maintainer), ("License", String(d.license.prefix(200))),
            ("Requires Python", d.requiresPython), ("Framework versions", d.frameworkVersions.joined(separator: ", ")),
            ("Python versions", d.pythonVersions.joined(separator: ", ")), ("Keywords", d.keywords.joined(separator: ", ")),
            ("Categories", d.categories.joined(separator: ", ")), ("Classifiers", d.classifiers.joined(separator: "; ")),
        ]
        meta = meta.filter { !$0.1.isEmpty }
        context["meta"] = meta.map { ["label": $0.0, "value": $0.1] }
        context["downloadsDay"] = PageRenderer.number(d.downloadLastDay)
        context["downloadsWeek"] = PageRenderer.number(d.downloadLastWeek)
        context["downloadsMonth"] = PageRenderer.number(d.downloadLastMonth)
        context["downloadsTotal"] = PageRenderer.number(d.downloadTotal)
        context["hasHealth"] = !d.healthScoreBreakdown.isEmpty
        let graph = try await state.dependencyGraph(collection)
        func edges(_ list: [DependencyGraph.Edge]) -> [[String: Any]] {
            list.map { edge in
                var item: [String: Any] = ["name": edge.name, "url": "/packages/\(Self.pathEscape(edge.name))?collection=\(Self.queryEscape(collection))"]
                if let condition = edge.condition {
                    item["condition"] = condition == .extra ? "with an extra" : condition == .platform ? "on some platforms" : "under a marker"
                }
                return item
            }
        }
        let dependents = graph.dependents(of: d.normalizedName), dependencies = graph.dependencies(of: d.normalizedName)
        context["usedBy"] = dependents.isEmpty ? nil : "Used by \(dependents.count) package\(dependents.count == 1 ? "" : "s") of this ecosystem"
        context["dependents"] = edges(dependents)
        context["dependencies"] = edges(dependencies)
        context["hasDependencies"] = !dependencies.isEmpty
        context["healthRules"] = d.healthScoreBreakdown.sorted { $0.key < $1.key }.map {
            // A penalty rule (max 0) shows its deduction alone: "−40", not "-40/0".
            let points = $0.value.max == 0 ? ($0.value.points < 0 ? "−\(-$0.value.points)" : "0") : "\($0.value.points)/\($0.value.max)"
            return ["rule": $0.key, "points": points, "why": $0.value.why] as [String: Any]
        }
        context["hasVulnerabilities"] = !d.vulnerabilities.isEmpty
        context["vulnerabilities"] = d.vulnerabilities.map { v -> [String: Any] in
            var entry: [String: Any] = [
                "id": v.id, "aliases": v.aliases.joined(separator: ", "), "summary": v.summary,
                "fixedIn": v.fixedIn.joined(separator: ", "),
            ]
            if let safe = SafeMarkdown.safeURL(v.link, image: true) { entry["link"] = safe }
            return entry
        }
        context["hasReleases"] = !releases.isEmpty
        context["releases"] = releases.prefix(50).map {
            ["version": $0.version, "date": PageRenderer.date($0.uploadTimestamp), "python": $0.requiresPython, "yanked": $0.yanked] as [String: Any]
        }
        if !d.description.isEmpty {
            context["readme"] = SafeMarkdown.render(d.description, contentType: d.descriptionContentType)
        } else if !d.readme.isEmpty {
            context["readme"] = SafeMarkdown.render(d.readme, contentType: "text/markdown")
        } else {
            context["readme"] = "<p>No description.</p>"
        }
        return html(state.pages.render("package", context))
    }

    /// The package's links, each place once: the same address written with another scheme, a
    /// trailing slash, `.git` or `www.` (the GitHub repository is often both `github_url` and a
    /// project URL) counts once, under its first label. Only http(s) and mail links.
    static func links(_ d: PackageDocument) -> [(label: String, url: String)] {
        var candidates: [(String, String)] = [("Home page", d.homePage), ("Documentation", d.docsURL), ("GitHub", d.githubURL)]
        candidates += d.projectURLs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var seen = Set<String>()
        return candidates.compactMap { label, url -> (label: String, url: String)? in
            guard let safe = SafeLink.url(url.trimmingCharacters(in: .whitespaces), image: true), seen.insert(linkKey(safe)).inserted else { return nil }
            return (label, safe)
        }
    }

    static func linkKey(_ url: String) -> String {
        var key = url.lowercased()
        for scheme in ["https://", "http://"] where key.hasPrefix(scheme) { key.removeFirst(scheme.count) }
        if key.hasPrefix("www.") { key.removeFirst(4) }
        if let hash = key.firstIndex(of: "#") { key = String(key[..<hash]) }
        while key.hasSuffix("/") { key.removeLast() }
        if key.hasSuffix(".git") { key.removeLast(4) }
        return key
    }

    static let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))

    static func pathEscape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s }
    static func queryEscape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s }

    static func pageLink(_ items: QueryItems, page: Int) -> String {
        var pairs = items.items.filter { $0.name != "page" && $0.name != "x-typesense-api-key" }
        pairs.append((name: "page", value: String(page)))
        return "/?" + pairs.map { "\(queryEscape($0.name))=\(queryEscape($0.value))" }.joined(separator: "&")
    }
}
