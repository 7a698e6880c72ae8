/// A durable job queue kept in the store, shared by every `trawl worker` that points at it.
///
/// Claiming takes a **lease**: a worker that dies mid-job stops renewing it, the lease expires and
/// another worker runs the job again (acks-late: a job is done only when `completeJob` says so).
/// A claim is atomic (`FOR UPDATE SKIP LOCKED` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite), so no job
/// runs on two workers at once. Failures retry after a backoff the caller picks; after
/// `maxAttempts` claims the job is dead-lettered (`dead`) and left for a human.
public protocol JobQueue: Sendable {
    /// Adds a job; nil when `uniqueKey` was enqueued before (a schedule slot is enqueued once,
    /// however many workers try).
    @discardableResult
    func enqueue(_ job: NewJob, now: Int64) async throws -> Int64?
    /// Adds several jobs in one transaction where the store has them (a crawl batch's webhook
    /// events); a job whose `uniqueKey` was enqueued before is skipped. Returns how many were added.
    @discardableResult
    func enqueue(_ jobs: [NewJob], now: Int64) async throws -> Int
    /// Claims the oldest runnable job (pending, failed and due, or running with an expired lease)
    /// of one of `kinds` (all kinds when nil) for `lease` seconds. Counts an attempt.
    func claimJob(worker: String, kinds: [String]?, lease: Int64, now: Int64) async throws -> ClaimedJob?
    /// Extends the lease of a job this worker holds; false when it lost the job (lease taken over).
    func renewLease(job: Int64, worker: String, lease: Int64, now: Int64) async throws -> Bool
    /// Marks a job this worker holds done; false when it no longer held it.
    @discardableResult
    func completeJob(_ job: Int64, worker: String, now: Int64) async throws -> Bool
    /// Records a failure: the job becomes `failed` and runnable again at `retryAt`, or `dead` when it
    /// has used all its attempts (or `retryAt` is nil). Returns the new status; nil when the worker
    /// no longer held the job.
    @discardableResult
    func failJob(_ job: Int64, worker: String, error: String, retryAt: Int64?, now: Int64) async throws -> JobStatus?
    func job(_ id: Int64) async throws -> JobRecord?
    /// Jobs, newest first, optionally of one status.
    func jobs(status: JobStatus?, limit: Int) async throws -> [JobRecord]
    /// Counts by kind and status (done jobs included).
    func jobCounts() async throws -> [JobCount]
    /// Deletes jobs of the given statuses (every job when empty); returns how many.
    @discardableResult
    func purgeJobs(statuses: [JobStatus]) async throws -> Int
    /// Records that `worker` is alive (for "workers seen in the last minute").
    func workerHeartbeat(_ worker: WorkerInfo) async throws
    /// Workers whose last heartbeat is at or after `since`.
    func workers(seenSince since: Int64) async throws -> [WorkerInfo]
}

extension JobQueue {
    /// One insert per job, for queues without a batch insert of their own.
    @discardableResult
    public func enqueue(_ jobs: [NewJob], now: Int64) async throws -> Int {
        var added = 0
        for job in jobs where try await enqueue(job, now: now) != nil { added += 1 }
        return added
    }
}

/// The kinds of job the worker knows. Stored as text, so a store keeps any kind it is given.
public enum JobKind {
    public static let inspectProject = "inspect_project"
    public static let updateProject = "update_project"
    public static let updateGitHub = "update_github"
    public static let pollFeeds = "poll_feeds"
    public static let refreshProfile = "refresh_profile"
    public static let fullFetch = "full_fetch"
    public static let enrichDownloads = "enrich_downloads"
    /// One webhook delivery: an event of a crawl for one receiver of the profile's `notify:`.
    public static let notify = "notify"
    public static let all = [inspectProject, updateProject, updateGitHub, pollFeeds, refreshProfile, fullFetch, enrichDownloads, notify]
}

public enum JobStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting to run.
    case pending
    /// Claimed; the lease says until when.
    case running
    /// Failed at least once; runs again at `runAt`.
    case failed
    /// Used every attempt (or failed for good): kept for a human to look at.
    case dead
    case done
}

public struct NewJob: Sendable, Equatable {
    public var kind: String
    public var profile: String?
    /// The job's arguments as a JSON object.
    public var arguments: String
    /// A key that may be enqueued only once (e.g. `schedule:plone:incremental:29376000`).
    public var uniqueKey: String?
    /// Not before this time (seconds); nil: now.
    public var runAt: Int64?
    public var maxAttempts: Int

    public init(kind: String, profile: String? = nil, arguments: String = "{}", uniqueKey: String? = nil, runAt: Int64? = nil, maxAttempts: Int = 5) {
        self.kind = kind
        self.profile = profile
        self.arguments = arguments
        self.uniqueKey = uniqueKey
        self.runAt = runAt
        self.maxAttempts = max(1, maxAttempts)
    }
}

/// A job a worker holds, with the lease it must renew.
public struct ClaimedJob: Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var profile: String?
    public var arguments: String
    /// Including this one.
    public var attempts: Int
    public var maxAttempts: Int
    public var leaseExpiresAt: Int64

    public init(id: Int64, kind: String, profile: String?, arguments: String, attempts: Int, maxAttempts: Int, leaseExpiresAt: Int64) {
        self.id = id
        self.kind = kind
        self.profile = profile
        self.arguments = arguments
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.leaseExpiresAt = leaseExpiresAt
    }
}

public struct JobRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var kind: String
    public var profile: String?
    public var arguments: String
    public var uniqueKey: String?
    public var status: JobStatus
    public var attempts: Int
    public var maxAttempts: Int
    public var runAt: Int64
    public var worker: String?
    public var leaseExpiresAt: Int64?
    public var lastError: String?
    public var createdAt: Int64
    public var finishedAt: Int64?

    public init(
        id: Int64, kind: String, profile: String?, arguments: String, uniqueKey: String?, status: JobStatus, attempts: Int,
        maxAttempts: Int, runAt: Int64, worker: String?, leaseExpiresAt: Int64?, lastError: String?, createdAt: Int64, finishedAt: Int64?
    ) {
        self.id = id
        self.kind = kind
        self.profile = profile
        self.arguments = arguments
        self.uniqueKey = uniqueKey
        self.status = status
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.runAt = runAt
        self.worker = worker
        self.leaseExpiresAt = leaseExpiresAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }
}

public struct JobCount: Sendable, Equatable, Codable {
    public var kind: String
    public var status: JobStatus
    public var count: Int

    public init(kind: String, status: JobStatus, count: Int) {
        self.kind = kind
        self.status = status
        self.count = count
    }
}

public struct WorkerInfo: Sendable, Equatable, Codable {
    public var id: String
    public var host: String
    public var pid: Int
    public var startedAt: Int64
    public var seenAt: Int64
    /// Job ids it is running now.
    public var running: Int

    public init(id: String, host: String, pid: Int, startedAt: Int64, seenAt: Int64, running: Int) {
        self.id = id
        self.host = host
        self.pid = pid
        self.startedAt = startedAt
        self.seenAt = seenAt
        self.running = running
    }
}
