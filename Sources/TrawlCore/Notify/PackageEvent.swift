/// A change a crawl is about to store that webhook receivers may want to hear about: a package new
/// to the collection, or a stored package whose version changed. Derived from the document a
/// batch read before fetching and the one it is about to write, so it is a fact about upstream,
/// not about what a receiver has or has not been told.
public struct PackageEvent: Sendable, Equatable {
    public var kind: NotifyEventKind
    /// The project's name as the index spells it.
    public var name: String
    public var normalizedName: String
    public var version: String
    /// The stored version before this change (`release` only).
    public var previousVersion: String?

    public init(kind: NotifyEventKind, name: String, normalizedName: String, version: String, previousVersion: String? = nil) {
        self.kind = kind
        self.name = name
        self.normalizedName = normalizedName
        self.version = version
        self.previousVersion = previousVersion
    }

    /// `new` when nothing was stored, `release` when the stored version differs from a non-empty new
    /// one, nil otherwise (an unchanged version is only a refresh of the same facts).
    public static func detect(stored old: PackageDocument?, fetched new: PackageDocument) -> PackageEvent? {
        guard let old else {
            return PackageEvent(kind: .new, name: new.name, normalizedName: new.normalizedName, version: new.version)
        }
        guard !new.version.isEmpty, new.version != old.version else { return nil }
        return PackageEvent(
            kind: .release, name: new.name, normalizedName: new.normalizedName, version: new.version,
            previousVersion: old.version.isEmpty ? nil : old.version)
    }
}
