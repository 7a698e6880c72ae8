public import TrawlCore

/// Download counts from ClickHouse's `pypi.pypi_downloads_per_day` (date, project, count), one
/// query per batch of names.
///
/// - The table is a `SummingMergeTree`: rows of one (project, date) may still be separate parts,
///   so every figure is a `sum(count)`.
/// - Names travel as one bound `Array(String)` parameter, never pasted into the SQL.
/// - The answer has one row per project asked for, so a batch of at most 1,000 names can never
///   be cut by the public endpoint's 1,000-row truncation.
/// - "Last day" is the latest date present in the daily dump, not the calendar's yesterday: the
///   dump lags by a day or more, and `today() - 1` would read an empty day as zero downloads. The
///   latest date is taken over the batch's projects plus an anchor project downloaded every day
///   (`pip`), a primary-key lookup, so a batch of quiet packages still gets the dump's real last day.
///   Week and month are the 7 and 30 days ending on that date.
public struct ClickHouseDownloads: Sendable {
    /// Names per query: the answer holds at most one row per name, within the 1,000-row truncation.
    public static let maxNames = 1_000
    /// Bytes the names may take in the URL once percent-encoded (the parameter travels in the query
    /// string; loopback fakes and proxies often cap a request line near 64 KiB).
    public static let maxEncodedBytes = 48_000
    /// A project with downloads every day, so the batch's "latest date" is the dump's.
    public static let anchorProject = "pip"

    static let sql = """
        WITH (
            SELECT max(date) FROM pypi.pypi_downloads_per_day
            WHERE project IN {names:Array(String)} OR project = {anchor:String}
        ) AS latest
        SELECT project,
            sumIf(count, date = latest) AS last_day,
            sumIf(count, date > latest - 7) AS last_week,
            sumIf(count, date > latest - 30) AS last_month,
            sum(count) AS total
        FROM pypi.pypi_downloads_per_day
        WHERE project IN {names:Array(String)}
        GROUP BY project
        """

    struct Row: Decodable {
        var project: String
        var lastDay: Int
        var lastWeek: Int
        var lastMonth: Int
        var total: Int

        enum CodingKeys: String, CodingKey {
            case project, total
            case lastDay = "last_day"
            case lastWeek = "last_week"
            case lastMonth = "last_month"
        }
    }

    /// A batch larger than `maxNames` could be truncated: callers split with `batches(_:)`.
    public struct BatchTooLarge: Error, CustomStringConvertible {
        public var count: Int
        public var description: String { "\(count) names in one downloads query; at most \(ClickHouseDownloads.maxNames)" }
    }

    let client: ClickHouseClient

    public init(client: ClickHouseClient) {
        self.client = client
    }

    /// Counts for `names` (PEP 503 normalized, as the table spells projects) in one query, keyed by
    /// normalized name. A project absent from the table is absent from the answer.
    public func counts(for names: [String]) async throws -> [String: DownloadCounts] {
        guard !names.isEmpty else { return [:] }
        guard names.count <= Self.maxNames else { throw BatchTooLarge(count: names.count) }
        let rows = try await client.rows(
            Self.sql, parameters: ["names": .strings(names), "anchor": .string(Self.anchorProject)], as: Row.self)
        var result: [String: DownloadCounts] = [:]
        for row in rows {
            let key = PackageName.normalize(row.project)
            var counts = result[key] ?? DownloadCounts(lastDay: 0, lastWeek: 0, lastMonth: 0, total: 0)
            // Rows of one project under two spellings add up; each figure is clamped first, so
            // an answer of Int.max twice is a large count, not an overflow trap.
            func add(_ a: Int, _ b: Int) -> Int { BoundedNumber.count(BoundedNumber.count(a) + BoundedNumber.count(b)) }
            counts.lastDay = add(counts.lastDay, row.lastDay)
            counts.lastWeek = add(counts.lastWeek, row.lastWeek)
            counts.lastMonth = add(counts.lastMonth, row.lastMonth)
            counts.total = add(counts.total ?? 0, row.total)
            result[key] = counts
        }
        return result
    }

    /// Splits `names` into query batches: at most `maxNames` names and `maxEncodedBytes` bytes each.
    public static func batches(_ names: [String], maxNames: Int = maxNames, maxBytes: Int = maxEncodedBytes) -> [[String]] {
        var batches: [[String]] = []
        var current: [String] = []
        var bytes = 0
        for name in names {
            let size = encodedSize(name)
            if !current.isEmpty && (current.count >= maxNames || bytes + size > maxBytes) {
                batches.append(current)
                current = []
                bytes = 0
            }
            current.append(name)
            bytes += size
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// The name's share of the percent-encoded `['a','b']` parameter: quotes and a comma (3 bytes
    /// each once encoded), plain bytes as 1, anything else as 3 (escaped quotes and backslashes
    /// count double).
    static func encodedSize(_ name: String) -> Int {
        var size = 9
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                size += 1
            case UInt8(ascii: "'"), UInt8(ascii: "\\"):
                size += 6
            default:
                size += 3
            }
        }
        return size
    }
}
