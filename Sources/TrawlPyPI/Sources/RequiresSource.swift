public import TrawlCore

/// `pypi-requires`: reverse dependencies, packages whose `requires_dist` names a project
/// (how Flet add-ons are found: PyPI has no Flet classifier).
public struct RequiresSource: Source {
    public static let descriptor = PluginDescriptor(
        kind: "pypi-requires", summary: "packages whose requires_dist names a project",
        options: [OptionSpec("requires", .string, required: true, help: "the project name, e.g. flet")])

    public let project: String
    let context: PluginContext

    public init(options: PluginOptions, context: PluginContext) throws {
        guard let name = options.string("requires").map(PackageName.normalize), !name.isEmpty else {
            throw PluginError.badOption(kind: Self.descriptor.kind, message: "'requires' must name a project")
        }
        self.project = name
        self.context = context
    }

    public func matches(_ document: PackageDocument) -> Bool {
        document.normalizedName != project && Requirement.names(document).contains(project)
    }

    public func confirms(_ document: PackageDocument) -> Bool { matches(document) }
    public func claims(_ document: PackageDocument) -> Bool { matches(document) }

    struct NameRow: Decodable { var name: String }

    public func discover(_ emit: @escaping @Sendable (Candidate) async throws -> Void) async throws -> DiscoveryReport {
        let reason = "requires \(project)"
        if context.discovery == .clickhouse {
            do {
                let clickhouse = ClickHouseClient(http: context.http, config: context.config)
                // The requirement's name is its leading identifier, normalized as PEP 503 does.
                let sql = """
                    SELECT DISTINCT name FROM pypi.projects
                    WHERE name > {after:String} AND name != {project:String} AND arrayExists(r ->
                        lower(replaceRegexpAll(extract(r, '^\\\\s*([A-Za-z0-9][A-Za-z0-9._-]*)'), '[-_.]+', '-')) = {project:String},
                        requires_dist)
                    ORDER BY name LIMIT \(ClassifierSource.pageSize)
                    """
                var after = ""
                var report = DiscoveryReport()
                while true {
                    let page = try await clickhouse.rows(sql, parameters: ["after": .string(after), "project": .string(project)], as: NameRow.self)
                    for row in page {
                        report.candidates += 1
                        try await emit(Candidate(name: row.name, source: Self.descriptor.kind, reason: reason))
                    }
                    guard page.count >= ClassifierSource.pageSize, let last = page.last?.name else { break }
                    after = last
                }
                return report
            } catch let error as CancellationError {
                throw error
            } catch {
                context.logger.warning("ClickHouse discovery failed; falling back to scanning the index", metadata: ["error": "\(error)"])
            }
        }
        let client = PyPIClient(http: context.http, baseURL: try context.config.pypiURL())
        let scan = IndexScan(context: context, client: client)
        let me = self
        return try await scan.run(
            source: Self.descriptor.kind, signature: "requires=\(project)", reason: { _ in reason }, accepts: { me.matches($0) }, emit: emit)
    }
}
