/// Maps `kind` names from profile files to plugin types. The pipeline and the validator only ever
/// see this table, so a new kind is one conforming type plus one `register` line.
public struct PluginRegistry: Sendable {
    /// Enrichers a profile gets when it lists none.
    public static let defaultEnrichers = ["pypi", "versions"]

    public typealias SourceFactory = @Sendable (PluginSpec, PluginContext) throws -> any Source
    public typealias EnricherFactory = @Sendable (PluginSpec, PluginContext) throws -> any Enricher

    struct SourceEntry: Sendable {
        var descriptor: PluginDescriptor
        var make: SourceFactory?
        var frameworks: @Sendable (PluginOptions) -> [String] = { _ in [] }
    }

    struct EnricherEntry: Sendable {
        var descriptor: PluginDescriptor
        var make: EnricherFactory?
        var refreshesAfter: [String] = []
    }

    private var sources: [String: SourceEntry] = [:]
    private var enrichers: [String: EnricherEntry] = [:]

    public init() {}

    /// Registers a source type under its descriptor's kind.
    public mutating func register<S: Source>(source type: S.Type) {
        sources[S.descriptor.kind] = SourceEntry(
            descriptor: S.descriptor, make: { spec, context in try S(options: spec.options, context: context) },
            frameworks: { S.frameworks($0) })
    }

    /// Registers an enricher type under its descriptor's kind.
    public mutating func register<E: Enricher>(enricher type: E.Type) {
        enrichers[E.descriptor.kind] = EnricherEntry(
            descriptor: E.descriptor, make: { spec, context in try E(options: spec.options, context: context) },
            refreshesAfter: E.refreshesAfter)
    }

    /// Declares a kind whose options profiles may already use but whose implementation is not part
    /// of this build: profiles validate, and a crawl skips the entry with a warning.
    public mutating func declare(source descriptor: PluginDescriptor) {
        if sources[descriptor.kind] == nil { sources[descriptor.kind] = SourceEntry(descriptor: descriptor, make: nil) }
    }

    public mutating func declare(enricher descriptor: PluginDescriptor) {
        if enrichers[descriptor.kind] == nil { enrichers[descriptor.kind] = EnricherEntry(descriptor: descriptor, make: nil) }
    }

    public var sourceKinds: [String] { sources.keys.sorted() }
    public var enricherKinds: [String] { enrichers.keys.sorted() }

    public func sourceDescriptor(_ kind: String) -> PluginDescriptor? { sources[kind]?.descriptor }
    public func enricherDescriptor(_ kind: String) -> PluginDescriptor? { enrichers[kind]?.descriptor }

    /// The framework names a profile's sources name, for `framework_versions`.
    public func frameworks(of specs: [PluginSpec]) -> [String] {
        Array(Set(specs.flatMap { sources[$0.kind]?.frameworks($0.options) ?? [] })).sorted()
    }

    /// The offline enricher kinds to rerun after `kind` over stored documents.
    public func refreshesAfter(_ kind: String) -> [String] { enrichers[kind]?.refreshesAfter ?? [] }

    public func isAvailable(source kind: String) -> Bool { sources[kind]?.make != nil }
    public func isAvailable(enricher kind: String) -> Bool { enrichers[kind]?.make != nil }

    public func makeSource(_ spec: PluginSpec, context: PluginContext) throws -> any Source {
        guard let entry = sources[spec.kind] else { throw PluginError.unknownKind(spec.kind, known: sourceKinds) }
        guard let make = entry.make else { throw PluginError.unavailable(spec.kind) }
        return try make(spec, context)
    }

    public func makeEnricher(_ spec: PluginSpec, context: PluginContext) throws -> any Enricher {
        guard let entry = enrichers[spec.kind] else { throw PluginError.unknownKind(spec.kind, known: enricherKinds) }
        guard let make = entry.make else { throw PluginError.unavailable(spec.kind) }
        return try make(spec, context)
    }
}

public enum PluginError: Error, Sendable, CustomStringConvertible {
    case unknownKind(String, known: [String])
    case unavailable(String)
    case badOption(kind: String, message: String)

    public var description: String {
        switch self {
        case .unknownKind(let kind, let known): "unknown kind '\(kind)'; known kinds: \(known.joined(separator: ", "))"
        case .unavailable(let kind): "kind '\(kind)' is declared but not implemented in this build of trawl"
        case .badOption(let kind, let message): "\(kind): \(message)"
        }
    }
}
