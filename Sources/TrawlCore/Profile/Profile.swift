/// One ecosystem's configuration: how to discover its packages and what to add to them.
/// Loaded from YAML (built-in, `./profiles/`, then a drop-in folder) and validated before use.
public struct Profile: Sendable, Equatable {
    public var key: String
    public var name: String
    public var description: String
    public var sources: [PluginSpec]
    public var enrichers: [PluginSpec]
    public var categories: [String: CategoryRule]
    public var types: [String: CategoryRule]
    public var schedule: ProfileSchedule
    /// Webhook receivers told about new packages and releases (empty: nobody is notified).
    public var notify: [NotifyTarget]
    /// Where the profile came from, for `profiles list` and for error messages.
    public var origin: ProfileOrigin

    public init(
        key: String, name: String, description: String = "", sources: [PluginSpec], enrichers: [PluginSpec],
        categories: [String: CategoryRule] = [:], types: [String: CategoryRule] = [:],
        schedule: ProfileSchedule = .defaults, notify: [NotifyTarget] = [], origin: ProfileOrigin
    ) {
        self.key = key
        self.name = name
        self.description = description
        self.sources = sources
        self.enrichers = enrichers
        self.categories = categories
        self.types = types
        self.schedule = schedule
        self.notify = notify
        self.origin = origin
    }

    public func hasEnricher(_ kind: String) -> Bool {
        enrichers.contains { $0.kind == kind }
    }
}

/// One `sources:` or `enrichers:` entry: a registered kind and its validated options.
public struct PluginSpec: Sendable, Equatable {
    public var kind: String
    public var options: PluginOptions
    /// The line of the entry in its profile file (0 when built in code).
    public var line: Int

    public init(kind: String, options: PluginOptions = PluginOptions(), line: Int = 0) {
        self.kind = kind
        self.options = options
        self.line = line
    }
}

/// A facet rule: a package belongs to the category when one of its topics or keywords matches.
public struct CategoryRule: Sendable, Equatable {
    public var topics: [String]
    public var keywords: [String]

    public init(topics: [String] = [], keywords: [String] = []) {
        self.topics = topics
        self.keywords = keywords
    }
}

/// When `trawl worker` runs each kind of job; nil disables one.
public struct ProfileSchedule: Sendable, Equatable {
    public var incremental: CronSchedule?
    public var refresh: CronSchedule?
    public var downloads: CronSchedule?
    public var full: CronSchedule?
    /// GitHub figures of packages whose PyPI metadata did not change: a crawl only enriches what it
    /// fetched, so without this job stars and pushes would age with the release. Daily, matching the
    /// cache's default 24 h TTL, so each run refetches what expired (100 repositories a query).
    public var github: CronSchedule?

    public static let fieldNames = ["incremental", "refresh", "downloads", "full", "github"]

    /// The seed system's timings: feeds every minute, refresh Sunday 02:00, downloads Sunday 04:00,
    /// a full crawl on the 1st at 03:00, all UTC; plus GitHub figures daily at 05:00 (the seed
    /// refreshed them only with a full crawl).
    public static let defaultSpecs = [
        "incremental": "*/1 * * * *", "refresh": "0 2 * * 0", "downloads": "0 4 * * 0", "full": "0 3 1 * *",
        "github": "0 5 * * *",
    ]

    public static var defaults: ProfileSchedule {
        var schedule = ProfileSchedule(incremental: nil, refresh: nil, downloads: nil, full: nil)
        for field in fieldNames { schedule[field: field] = try? CronSchedule(parsing: defaultSpecs[field] ?? "") }
        return schedule
    }

    /// One field by its YAML name (one of `fieldNames`; any other name reads nil and writes nothing),
    /// so the parser, the scheduler and `profiles show` need not each spell out every field.
    public subscript(field field: String) -> CronSchedule? {
        get {
            switch field {
            case "incremental": incremental
            case "refresh": refresh
            case "downloads": downloads
            case "full": full
            case "github": github
            default: nil
            }
        }
        set {
            switch field {
            case "incremental": incremental = newValue
            case "refresh": refresh = newValue
            case "downloads": downloads = newValue
            case "full": full = newValue
            case "github": github = newValue
            default: break
            }
        }
    }

    public init(incremental: CronSchedule?, refresh: CronSchedule?, downloads: CronSchedule?, full: CronSchedule?, github: CronSchedule? = nil) {
        self.incremental = incremental
        self.refresh = refresh
        self.downloads = downloads
        self.full = full
        self.github = github
    }
}

/// The layer a profile file belongs to; a later layer replaces an earlier profile with the same key.
public enum ProfileLayer: Int, Sendable, Comparable, CustomStringConvertible {
    case builtin = 0
    case workingDirectory = 1
    case dropIn = 2

    public static func < (lhs: ProfileLayer, rhs: ProfileLayer) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .builtin: "built-in"
        case .workingDirectory: "./profiles"
        case .dropIn: "drop-in"
        }
    }
}

public struct ProfileOrigin: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var layer: ProfileLayer

    public init(path: String, layer: ProfileLayer) {
        self.path = path
        self.layer = layer
    }

    public var description: String { "\(path) (\(layer))" }
}
