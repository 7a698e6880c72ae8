#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import TrawlCore

/// `pypi-names`: explicit project names and glob patterns (`collective.*`), matched against the
/// simple index. Plain names need no index walk at all.
public struct NamesSource: Source {
    public static let descriptor = PluginDescriptor(
        kind: "pypi-names", summary: "explicit names and glob patterns matched against the simple index",
        options: [OptionSpec("names", .stringList, required: true, help: "names or globs such as collective.*")])

    /// Normalized names and patterns (`collective.*` → `collective-*`).
    public let patterns: [String]
    let context: PluginContext

    public init(options: PluginOptions, context: PluginContext) throws {
        // PEP 503 normalization leaves glob characters alone: `collective.*` → `collective-*`.
        self.patterns = options.strings("names").map(PackageName.normalize)
        self.context = context
    }

    static func isGlob(_ p: String) -> Bool { p.contains { "*?[".contains($0) } }

    public func matches(name: String) -> Bool {
        let normalized = PackageName.normalize(name)
        return patterns.contains { fnmatch($0, normalized, 0) == 0 }
    }

    public func confirms(_ document: PackageDocument) -> Bool { matches(name: document.name) }
    public func claims(_ document: PackageDocument) -> Bool { matches(name: document.name) }

    public func discover(_ emit: @escaping @Sendable (Candidate) async throws -> Void) async throws -> DiscoveryReport {
        var report = DiscoveryReport()
        let exact = patterns.filter { !Self.isGlob($0) }
        for name in exact {
            report.candidates += 1
            try await emit(Candidate(name: name, source: Self.descriptor.kind, reason: "named \(name)"))
        }
        let globs = patterns.filter(Self.isGlob)
        guard !globs.isEmpty else { return report }
        let client = PyPIClient(http: context.http, baseURL: try context.config.pypiURL())
        var hits: [String] = []
        _ = try await client.simpleIndex { entry in
            let n = PackageName.normalize(entry.name)
            if !exact.contains(n), globs.contains(where: { fnmatch($0, n, 0) == 0 }) { hits.append(entry.name) }
        }
        for name in hits {
            report.candidates += 1
            try await emit(Candidate(name: name, source: Self.descriptor.kind, reason: "matches \(globs.joined(separator: " | "))"))
        }
        return report
    }
}
