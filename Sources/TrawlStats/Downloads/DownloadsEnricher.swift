import Logging
public import TrawlCore

/// `downloads`: last day, week, month and total downloads, from ClickHouse in one query per
/// batch of up to 1,000 packages (3 queries for 3,000 packages, where the seed spent 2 s per package
/// on pypistats). When ClickHouse is unreachable, falls back to pypistats per package within its
/// published limits. `download_source` says which upstream the figures came from.
///
/// Figures are refreshed at most once per `TRAWL_DOWNLOADS_TTL` seconds (default 24 h: the dump
/// is daily) unless the `force` option (or `trawl enrich downloads --force`) is set. A package
/// neither upstream could answer keeps its previous figures and `download_updated`, so the next
/// run tries it again.
public struct DownloadsEnricher: Enricher {
    public static let descriptor = PluginDescriptor(
        kind: "downloads", summary: "download counts (ClickHouse, one query per 1,000 packages; pypistats fallback)",
        options: [
            OptionSpec("force", .bool, help: "refresh even figures younger than TRAWL_DOWNLOADS_TTL"),
            OptionSpec("fallback", .bool, help: "use pypistats when ClickHouse is unreachable (default true)"),
            OptionSpec("pypistats-limit", .int, help: "most pypistats requests per run (default 120, 4 min at 30/min)"),
        ])
    /// `is_verified` reads downloads.
    public static var refreshesAfter: [String] { ["flags"] }
    public static let ownedFields = [
        "download_last_day", "download_last_week", "download_last_month", "download_total", "download_updated", "download_source",
    ]

    public static let defaultTTL: Int64 = 86_400
    public static let defaultPyPIStatsLimit = 120

    let clickhouse: ClickHouseDownloads
    let pypistats: PyPIStatsClient
    let ttl: Int64
    let force: Bool
    let fallback: Bool
    let state: DownloadsRunState
    let logger: Logger

    public init(options: PluginOptions, context: PluginContext) throws {
        clickhouse = ClickHouseDownloads(client: ClickHouseClient(http: context.http, config: context.config))
        pypistats = PyPIStatsClient(http: context.http, baseURL: context.config.pypistatsURL)
        ttl = context.config.seconds("TRAWL_DOWNLOADS_TTL", default: Self.defaultTTL)
        force = options.bool("force")
        fallback = options.bool("fallback", default: true)
        let limit = options.int("pypistats-limit") ?? Self.defaultPyPIStatsLimit
        guard limit >= 0 else { throw PluginError.badOption(kind: Self.descriptor.kind, message: "pypistats-limit must be 0 or more") }
        state = DownloadsRunState(pypistatsLimit: limit)
        logger = context.logger
    }

    /// Whether `document`'s figures are due for a refresh at `now`.
    public func isDue(_ document: PackageDocument, now: Int64) -> Bool {
        force || document.downloadUpdated == 0 || now - document.downloadUpdated >= ttl
    }

    public func enrich(_ batch: inout EnrichmentBatch) async throws {
        let now = Days.now()
        let due = batch.documents.indices.filter { isDue(batch.documents[$0], now: now) }
        guard !due.isEmpty else { return }
        var pending = try await fillFromClickHouse(due, &batch, now: now)
        if !pending.isEmpty && fallback {
            pending = try await fillFromPyPIStats(pending, &batch, now: now)
        }
        if !pending.isEmpty {
            logger.notice("downloads: \(pending.count) packages keep their previous figures (no upstream answered); the next run retries them")
        }
    }

    /// Returns the indices ClickHouse could not answer (all of them once it is found down).
    func fillFromClickHouse(_ indices: [Int], _ batch: inout EnrichmentBatch, now: Int64) async throws -> [Int] {
        guard !state.clickhouseDown else { return indices }
        var byName: [String: [Int]] = [:]
        for i in indices { byName[batch.documents[i].normalizedName, default: []].append(i) }
        let names = byName.keys.sorted()
        var answered: Set<Int> = []
        for names in ClickHouseDownloads.batches(names) {
            let counts: [String: DownloadCounts]
            do {
                counts = try await clickhouse.counts(for: names)
            } catch let error as CancellationError {
                throw error
            } catch {
                state.markClickHouseDown()
                logger.warning("ClickHouse downloads query failed; falling back to pypistats for this run", metadata: ["error": "\(error)"])
                break
            }
            for name in names {
                // Not in the table: no downloads recorded (yet), which ClickHouse has answered.
                let figures = counts[name] ?? .zero
                for i in byName[name] ?? [] {
                    Self.apply(figures, source: "clickhouse", to: &batch.documents[i], now: now)
                    answered.insert(i)
                }
            }
        }
        return indices.filter { !answered.contains($0) }
    }

    /// Returns the indices pypistats did not answer (allowance spent, rate limited, unreachable).
    func fillFromPyPIStats(_ indices: [Int], _ batch: inout EnrichmentBatch, now: Int64) async throws -> [Int] {
        var left: [Int] = []
        for (position, i) in indices.enumerated() {
            guard state.takePyPIStatsRequest() else {
                left += indices[position...]
                break
            }
            let name = batch.documents[i].name
            do {
                let figures = try await pypistats.recent(name)
                Self.apply(figures, source: "pypistats", to: &batch.documents[i], now: now)
            } catch let error as CancellationError {
                throw error
            } catch let error as PyPIStatsClient.BadAnswer {
                batch.problems.append(Problem(package: name, kind: "downloads", message: error.description, seenAt: now))
                left.append(i)
            } catch {
                // Unreachable, or rate limited past the retry policy: stop asking for this run.
                state.stopPyPIStats()
                logger.warning("pypistats stopped answering; remaining packages keep their figures", metadata: ["error": "\(error)"])
                left += indices[position...]
                break
            }
        }
        return left
    }

    /// Writes `figures` into `document`. pypistats has no all-time total: the previous total is
    /// kept, raised to at least the last month's figure.
    static func apply(_ figures: DownloadCounts, source: String, to document: inout PackageDocument, now: Int64) {
        document.downloadLastDay = BoundedNumber.count(figures.lastDay)
        document.downloadLastWeek = BoundedNumber.count(figures.lastWeek)
        document.downloadLastMonth = BoundedNumber.count(figures.lastMonth)
        document.downloadTotal = BoundedNumber.count(figures.total ?? max(document.downloadTotal, figures.lastMonth))
        document.downloadSource = source
        document.downloadUpdated = now
    }
}
