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

    /// Whether this source would have found `document` from its metadata alone: how an
    /// incremental run decides that a brand-new project belongs to the profile.
    func claims(_ document: PackageDocument) -> Bool

    /// The framework names this source's options name (`Framework :: Django` → Django), which fill
    /// `framework_versions`. Default: none.
    static func frameworks(_ options: PluginOptions) -> [String]
}

extension Source {
    public var kind: String { Self.descriptor.kind }
    public static func frameworks(_ options: PluginOptions) -> [String] { [] }
    public func confirms(_ document: PackageDocument) -> Bool { true }
    public func claims(_ document: PackageDocument) -> Bool { false }
}

/// A package a source believes belongs to the profile, and why.
public struct Candidate: Sendable, Hashable {
    public var name: String
    public var source: String
    public var reason: String
    public var isOfficial: Bool
    /// Metadata the source already fetched (a scan reads every project's JSON), so the pipeline
    /// does not fetch it again.
    public var prefetched: StoredPackage?
    /// The source knows the stored document is current (same index serial): nothing to fetch.
    public var unchanged: Bool

    public init(name: String, source: String, reason: String, isOfficial: Bool = false, prefetched: StoredPackage? = nil, unchanged: Bool = false) {
        self.unchanged = unchanged
        self.name = name
        self.source = source
        self.reason = reason
        self.isOfficial = isOfficial
        self.prefetched = prefetched
    }

    public static func == (a: Candidate, b: Candidate) -> Bool {
        a.name == b.name && a.source == b.source && a.reason == b.reason && a.isOfficial == b.isOfficial
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(source)
    }

    public var normalizedName: String { PackageName.normalize(name) }
}

/// What a discovery run did, for summaries and `--verbose`.
public struct DiscoveryReport: Sendable {
    public var candidates: Int
    public var notes: [String]
    public var problems: [Problem]
    /// Things found that are not packages of the collection (a topic repository with no PyPI
    /// package): recorded for `trawl show --problems`, but they do not make the run fail (exit 3).
    public var unmatched: [Problem] = []
    /// Checkpoints the source wants saved once the run has stored everything it discovered (a
    /// scan's serial: saving it earlier could skip a match that was never stored).
    public var checkpointsOnSuccess: [String: String] = [:]
    /// Projects the source could not decide on because fetching them failed (the names are among
    /// `problems`): they join the collection's pending list with this source, which confirms them
    /// once they are fetched (issue 20: a scan cut short by the index forgets nothing).
    public var undecided: [String] = []

    public init(candidates: Int = 0, notes: [String] = [], problems: [Problem] = []) {
        self.candidates = candidates
        self.notes = notes
        self.problems = problems
    }
}
