/// A discovery plugin: finds the packages that belong to a profile's ecosystem.
///
/// Sources stream candidates (so a scan of the whole index runs in constant memory) and say why each
/// was found; the pipeline fetches the PyPI JSON of every candidate and asks the source to confirm
/// the match on that fresh data, since a source's own data (a daily dump, a search) may be stale.
public protocol Source: Sendable {
    static var descriptor: PluginDescriptor { get }
    init(options: PluginOptions, context: PluginContext) throws

    /// Emits candidates as they are found. Throws only when discovery as a whole failed.
    func discover(_ emit: @escaping @Sendable (Candidate) async throws -> Void) async throws -> DiscoveryReport

    /// Re-checks a candidate against its freshly fetched document; false drops it.
    func confirms(_ document: PackageDocument) -> Bool
}

extension Source {
    public var kind: String { Self.descriptor.kind }
    public func confirms(_ document: PackageDocument) -> Bool { true }
}

/// A package a source believes belongs to the profile, and why.
public struct Candidate: Sendable, Hashable {
    public var name: String
    public var source: String
    public var reason: String
    public var isOfficial: Bool

    public init(name: String, source: String, reason: String, isOfficial: Bool = false) {
        self.name = name
        self.source = source
        self.reason = reason
        self.isOfficial = isOfficial
    }

    public var normalizedName: String { PackageName.normalize(name) }
}

/// What a discovery run did, for summaries and `--verbose`.
public struct DiscoveryReport: Sendable {
    public var candidates: Int
    public var notes: [String]
    public var problems: [Problem]

    public init(candidates: Int = 0, notes: [String] = [], problems: [Problem] = []) {
        self.candidates = candidates
        self.notes = notes
        self.problems = problems
    }
}
