/// The names of every checkpoint a crawl of one collection keeps, in one place: the crawler writes
/// them, the run builder reads them to choose a mode, the scan source keeps its own beside them.
/// Each name carries the collection: one collection's progress never stands for another's.
public struct CrawlCheckpoints: Sendable, Equatable {
    public let collection: String

    public init(collection: String) {
        self.collection = collection
    }

    /// The index serial the next incremental run continues from.
    public var serial: String { "serial:\(collection)" }

    /// Progress of a run of `mode` (the next batch).
    public func progress(_ mode: CrawlMode) -> String { "crawl:\(collection):\(mode.rawValue)" }

    /// The list a run of `mode` works through, written once when it starts.
    public func list(_ mode: CrawlMode) -> String { progress(mode) + ":list" }

    /// Packages a run of any mode took on and has not stored (a failed fetch, a killed run, what
    /// `--limit` left): every later run takes them first (`PendingPackages`), so nothing is lost.
    public var pending: String { "crawl:\(collection):pending" }

    /// Where versions before the shared pending list kept the incremental run's names: read once, then
    /// moved to `pending`.
    public var legacyPending: String { "crawl:\(collection):incremental:pending" }

    /// The simple-index serial a scan source with this configuration last read completely.
    public func scan(signature: String) -> String { "scan:\(collection):\(signature)" }

    /// A feed event this collection has taken on (`new` project or `update` to a version), kept for
    /// a TTL so the feeds' repeats are not fetched again. Per collection: another profile's run
    /// seeing the event says nothing about this collection.
    public func dedupKey(name: String, version: String?, isNew: Bool) -> String {
        isNew ? "\(collection):new:\(name)" : "\(collection):update:\(name):\(version ?? "")"
    }
}
