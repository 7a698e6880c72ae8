/// How long a job of one kind may run: at the soft limit it is asked to stop (cancelled
/// cooperatively: crawls checkpoint every batch, so what it did is kept and the retry resumes);
/// at the hard limit the worker gives up waiting, fails the job and moves on.
public struct JobLimits: Sendable, Equatable {
    public var soft: Duration
    public var hard: Duration

    public init(soft: Duration, hard: Duration) {
        self.soft = soft
        self.hard = max(hard, soft)
    }

    public static let defaults: [String: JobLimits] = [
        JobKind.pollFeeds: JobLimits(soft: .seconds(300), hard: .seconds(360)),
        JobKind.inspectProject: JobLimits(soft: .seconds(300), hard: .seconds(360)),
        JobKind.updateProject: JobLimits(soft: .seconds(300), hard: .seconds(360)),
        JobKind.updateGitHub: JobLimits(soft: .seconds(1800), hard: .seconds(2100)),
        JobKind.enrichDownloads: JobLimits(soft: .seconds(1800), hard: .seconds(2100)),
        JobKind.refreshProfile: JobLimits(soft: .seconds(7200), hard: .seconds(9000)),
        JobKind.fullFetch: JobLimits(soft: .seconds(21600), hard: .seconds(25200)),
        // One POST with a 10 s deadline: anything longer is a hung connection, not a slow receiver.
        JobKind.notify: JobLimits(soft: .seconds(30), hard: .seconds(45)),
    ]

    /// Anything not listed above.
    public static let fallback = JobLimits(soft: .seconds(1800), hard: .seconds(2100))
}

/// Seconds before a failed job runs again: base × 2^(attempt−1), capped.
public struct JobBackoff: Sendable, Equatable {
    public var base: Int64
    public var cap: Int64

    public init(base: Int64 = 30, cap: Int64 = 3600) {
        self.base = max(0, base)
        self.cap = max(self.base, cap)
    }

    public func delay(afterAttempt attempt: Int) -> Int64 {
        guard base > 0 else { return 0 }
        let shift = min(max(attempt - 1, 0), 30)
        return min(cap, base << Int64(shift))
    }
}

/// Thrown by a job that must not be retried (bad arguments, a kind this build cannot run):
/// it goes straight to the dead letters.
public struct PermanentJobError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
