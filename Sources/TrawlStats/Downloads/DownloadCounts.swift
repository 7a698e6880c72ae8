/// One package's download figures as an upstream reports them. `total` is nil when the upstream
/// does not know it (pypistats' `recent` endpoint has no all-time figure).
public struct DownloadCounts: Sendable, Equatable {
    public var lastDay: Int
    public var lastWeek: Int
    public var lastMonth: Int
    public var total: Int?

    public init(lastDay: Int, lastWeek: Int, lastMonth: Int, total: Int?) {
        self.lastDay = lastDay
        self.lastWeek = lastWeek
        self.lastMonth = lastMonth
        self.total = total
    }

    public static let zero = DownloadCounts(lastDay: 0, lastWeek: 0, lastMonth: 0, total: 0)
}
