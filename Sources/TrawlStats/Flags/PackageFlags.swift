public import TrawlCore

/// The rules behind `is_new` and `is_verified`, as pure functions of a document (and its releases)
/// so the directory's badges are testable threshold by threshold.
public enum PackageFlags {
    /// "New": the first release is at most 30 days old.
    public static let newWithinDays: Int64 = 30
    /// "Verified" needs more than this many downloads in the last 30 days …
    public static let verifiedMinimumMonthlyDownloads = 100
    /// … a release within this many days …
    public static let verifiedUpdatedWithinDays: Int64 = 180
    /// … and a summary at least this long.
    public static let verifiedMinimumSummaryLength = 30

    /// The earliest upload of any release; 0 when no release has a date.
    public static func firstRelease(_ releases: [Release]) -> Int64 {
        releases.map(\.uploadTimestamp).filter { $0 > 0 }.min() ?? 0
    }

    public static func isNew(releases: [Release], now: Int64) -> Bool {
        let first = firstRelease(releases)
        return first > 0 && Days.since(first, now: now) <= newWithinDays
    }

    /// What keeps a package from being verified (empty: verified). Official packages always are.
    public static func verificationGaps(_ d: PackageDocument, now: Int64) -> [String] {
        if d.isOfficial { return [] }
        var gaps: [String] = []
        if d.version.isEmpty { gaps.append("no version on the index") }
        if d.downloadLastMonth <= verifiedMinimumMonthlyDownloads {
            gaps.append("\(d.downloadLastMonth) downloads in 30 days (more than \(verifiedMinimumMonthlyDownloads) needed)")
        }
        if d.uploadTimestamp <= 0 || Days.since(d.uploadTimestamp, now: now) > verifiedUpdatedWithinDays {
            gaps.append("no release within \(verifiedUpdatedWithinDays) days")
        }
        if !d.hasLicense { gaps.append("no license") }
        let summary = d.summary.trimmingCharacters(in: .whitespacesAndNewlines).count
        if summary < verifiedMinimumSummaryLength { gaps.append("summary of \(summary) characters (\(verifiedMinimumSummaryLength) needed)") }
        if d.topics.isEmpty && d.keywords.isEmpty { gaps.append("no topics or keywords") }
        return gaps
    }

    public static func isVerified(_ d: PackageDocument, now: Int64) -> Bool {
        verificationGaps(d, now: now).isEmpty
    }
}
