import Hummingbird
import TrawlCore

/// `/api/v1`: profiles, search over a collection (or alias), and one package with its releases
/// and problems. Public unless the server is private.
struct APIRoutes: Sendable {
    let state: ServeState

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/v1/profiles") { request, _ in try await self.profiles(request) }
        router.get("/api/v1/:collection/packages") { request, context in
            try await self.state.admitted { try await self.search(request, collection: try context.parameters.require("collection")) }
        }
        router.get("/api/v1/:collection/packages/:name") { request, context in
            try await self.package(request, collection: try context.parameters.require("collection"), name: try context.parameters.require("name"))
        }
    }

    struct ProfileOut: Encodable {
        var key: String
        var name: String
        var collection: String?
        var documents: Int
    }

    func profiles(_ request: Request) async throws -> Response {
        let query = QueryItems(request: request)
        let caller = try await state.access.caller(request, query: query)
        if state.options.isPrivate, caller == .anonymous { throw APIError.unauthorized }
        let counts = Dictionary(try await state.store.collections().map { ($0.name, $0.documents) }, uniquingKeysWith: { a, _ in a })
        var out: [ProfileOut] = []
        for profile in state.options.profiles {
            let collection = try await state.store.resolveCollection(profile.key)
            out.append(ProfileOut(key: profile.key, name: profile.name, collection: collection, documents: collection.flatMap { counts[$0] } ?? 0))
        }
        return try JSONOutput.response(["profiles": out])
    }

    struct SearchOut: Encodable {
        var collection: String
        var found: Int
        var page: Int
        var per_page: Int
        var packages: [PackageSummary]
        var facets: [String: [FacetCount]]
    }

    func search(_ request: Request, collection asked: String) async throws -> Response {
        let items = QueryItems(request: request)
        let caller = try await state.access.caller(request, query: items)
        let collection = try await state.resolve(asked)
        try state.access.requireRead(caller, names: [asked, collection])
        let query = try APIQuery.parse(items)
        let explain = try APIQuery.boolean(items, "explain") ?? false
        let results = try await state.search(query, collection: collection)
        return try JSONOutput.response(SearchOut(
            collection: collection, found: results.total, page: query.page, per_page: query.perPage,
            packages: results.hits.map { PackageSummary($0.document, score: $0.score, explain: explain ? $0.explanation : nil) },
            facets: results.facets))
    }

    struct PackageOut: Encodable {
        var collection: String
        var document: PackageDocument
        /// Packages of this collection that require it ("used by"), and those it requires; a
        /// `condition` says when a requirement holds only with an extra or on some platforms.
        var dependents: [DependencyGraph.Edge]
        var dependencies: [DependencyGraph.Edge]
        var releases: [ReleaseOut]
        var problems: [ProblemOut]
    }

    struct ReleaseOut: Encodable {
        var version: String
        var upload_timestamp: Int64
        var yanked: Bool
        var requires_python: String
    }

    struct ProblemOut: Encodable {
        var kind: String
        var message: String
        var seen_at: Int64
    }

    func package(_ request: Request, collection asked: String, name: String) async throws -> Response {
        let items = QueryItems(request: request)
        let caller = try await state.access.caller(request, query: items)
        let collection = try await state.resolve(asked)
        try state.access.requireRead(caller, names: [asked, collection])
        guard let document = try await state.store.document(name, collection: collection) else {
            throw APIError.notFound("Package `\(name)` not found in `\(collection)`.")
        }
        let releases = try await state.store.releases(document.normalizedName, collection: collection)
        let problems = try await state.store.problems(collection: collection, package: document.normalizedName)
        let graph = try await state.dependencyGraph(collection)
        return try JSONOutput.response(PackageOut(
            collection: collection, document: document,
            dependents: graph.dependents(of: document.normalizedName), dependencies: graph.dependencies(of: document.normalizedName),
            releases: releases.map { .init(version: $0.version, upload_timestamp: $0.uploadTimestamp, yanked: $0.yanked, requires_python: $0.requiresPython) },
            problems: problems.map { .init(kind: $0.kind, message: $0.message, seen_at: $0.seenAt) }))
    }
}

/// A search result without the long texts (description, README, changelog).
struct PackageSummary: Encodable, Sendable {
    var name: String
    var normalized_name: String
    var version: String
    var summary: String
    var upload_timestamp: Int64
    var github_url: String
    var github_stars: Int
    var download_last_month: Int
    var health_score: Int
    /// Packages of the collection that require this one.
    var dependents_count: Int
    var is_official: Bool
    var is_verified: Bool
    var is_new: Bool
    var framework_versions: [String]
    var python_versions: [String]
    var categories: [String]
    var score: Double
    /// With `explain=true` on a relevance-ordered text search: why the hit ranks where it does.
    var explain: RelevanceExplanation?

    init(_ d: PackageDocument, score: Double, explain: RelevanceExplanation? = nil) {
        name = d.name
        normalized_name = d.normalizedName
        version = d.version
        summary = d.summary
        upload_timestamp = d.uploadTimestamp
        github_url = d.githubURL
        github_stars = d.githubStars
        download_last_month = d.downloadLastMonth
        health_score = d.healthScore
        dependents_count = d.dependentsCount
        is_official = d.isOfficial
        is_verified = d.isVerified
        is_new = d.isNew
        framework_versions = d.frameworkVersions
        python_versions = d.pythonVersions
        categories = d.categories
        self.score = score
        self.explain = explain
    }
}
