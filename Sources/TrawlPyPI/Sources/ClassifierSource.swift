import Logging
public import TrawlCore

/// `pypi-classifiers`: packages carrying any of the profile's trove classifiers, by prefix
/// (`Framework :: Plone` matches `Framework :: Plone :: 6.0`). Discovers with one paginated
/// ClickHouse query (or a scan of the index), then confirms on the fresh JSON, since the
/// ClickHouse dump is a day old.
public struct ClassifierSource: Source {
    public static let descriptor = PluginDescriptor(
        kind: "pypi-classifiers", summary: "packages carrying trove classifiers (prefix match)",
        options: [OptionSpec("classifiers", .stringList, required: true, help: "e.g. [\"Framework :: Plone\"]", check: Classifier.problem)])

    /// Rows per ClickHouse page: below the public endpoint's 1,000-row truncation.
    static let pageSize = 900

    public let classifiers: [String]
    let context: PluginContext

    public init(options: PluginOptions, context: PluginContext) throws {
        self.classifiers = Self.minimalPrefixes(options.strings("classifiers"))
        self.context = context
    }

    /// `Framework :: Django :: 5.0` names Django: its version classifiers fill `framework_versions`.
    public static func frameworks(_ options: PluginOptions) -> [String] {
        options.strings("classifiers").compactMap { classifier in
            let parts = classifier.components(separatedBy: " :: ")
            return parts.count >= 2 && parts[0] == "Framework" ? parts[1] : nil
        }
    }

    /// `Framework :: Plone` already covers `Framework :: Plone :: 6.0`: query only the shortest.
    static func minimalPrefixes(_ list: [String]) -> [String] {
        let unique = Array(Set(list)).sorted()
        return unique.filter { c in !unique.contains { $0 != c && Classifier.matches(c, prefix: $0) } }
    }

    public func matches(_ document: PackageDocument) -> Bool {
        document.classifiers.contains { c in classifiers.contains { Classifier.matches(c, prefix: $0) } }
    }

    public func confirms(_ document: PackageDocument) -> Bool { matches(document) }
    public func claims(_ document: PackageDocument) -> Bool { matches(document) }

    func reason(_ document: PackageDocument) -> String {
        let hit = document.classifiers.first { c in classifiers.contains { Classifier.matches(c, prefix: $0) } }
        return "classifier \(hit ?? classifiers.joined(separator: " | "))"
    }

    public func discover(_ emit: @escaping @Sendable (Candidate) async throws -> Void) async throws -> DiscoveryReport {
        if context.discovery == .clickhouse {
            do {
                return try await discoverWithClickHouse(emit)
            } catch let error as CancellationError {
                throw error
            } catch {
                context.logger.warning("ClickHouse discovery failed; falling back to scanning the index", metadata: ["error": "\(error)"])
            }
        }
        let scan = IndexScan(context: context, client: try pypi())
        let classifiers = classifiers
        let me = self
        var report = try await scan.run(
            source: Self.descriptor.kind, signature: "classifiers=" + classifiers.joined(separator: "|"),
            reason: { me.reason($0) }, accepts: { me.matches($0) }, emit: emit)
        report.notes.append("scan of the simple index for \(classifiers.joined(separator: ", "))")
        return report
    }

    struct NameRow: Decodable { var name: String }

    func discoverWithClickHouse(_ emit: @escaping @Sendable (Candidate) async throws -> Void) async throws -> DiscoveryReport {
        let clickhouse = ClickHouseClient(http: context.http, config: context.config)
        var parameters: [String: ClickHouseClient.Parameter] = [:]
        var tests: [String] = []
        for (i, prefix) in classifiers.enumerated() {
            parameters["c\(i)"] = .string(prefix)
            tests.append("c = {c\(i):String} OR startsWith(c, concat({c\(i):String}, ' :: '))")
        }
        let sql = """
            SELECT DISTINCT name FROM pypi.projects
            WHERE name > {after:String} AND arrayExists(c -> \(tests.joined(separator: " OR ")), classifiers)
            ORDER BY name LIMIT \(Self.pageSize)
            """
        var after = ""
        var report = DiscoveryReport()
        // Keyset pagination: each page stays under the endpoint's 1,000-row truncation.
        while true {
            parameters["after"] = .string(after)
            let page = try await clickhouse.rows(sql, parameters: parameters, as: NameRow.self)
            for row in page {
                report.candidates += 1
                try await emit(Candidate(name: row.name, source: Self.descriptor.kind, reason: "classifier (ClickHouse)"))
            }
            guard page.count >= Self.pageSize, let last = page.last?.name else { break }
            after = last
        }
        report.notes.append("ClickHouse: \(report.candidates) projects with \(classifiers.joined(separator: ", "))")
        return report
    }

    func pypi() throws -> PyPIClient {
        PyPIClient(http: context.http, baseURL: try context.config.pypiURL())
    }
}
