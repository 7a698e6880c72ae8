import PostgresNIO
public import TrawlCore

/// The job queue on PostgreSQL: a claim locks the chosen row with `FOR UPDATE SKIP LOCKED`, so
/// workers claiming at the same moment each get a different job and never wait on each other.
extension PostgresStore {
    public func enqueue(_ job: NewJob, now: Int64) async throws -> Int64? {
        try await rows(
            """
            INSERT INTO jobs (kind, profile, arguments, unique_key, status, attempts, max_attempts, run_at, created_at)
            VALUES (\(job.kind), \(job.profile), \(job.arguments), \(job.uniqueKey), 'pending', 0, \(job.maxAttempts), \(job.runAt ?? now), \(now))
            ON CONFLICT (unique_key) DO NOTHING RETURNING id
            """
        ).first.map { try $0.decode(Int64.self) }
    }

    public func enqueue(_ jobs: [NewJob], now: Int64) async throws -> Int {
        guard !jobs.isEmpty else { return 0 }
        let logger = self.logger
        return try await transaction { db in
            var added = 0
            for job in jobs {
                added += try await db.rows(
                    """
                    INSERT INTO jobs (kind, profile, arguments, unique_key, status, attempts, max_attempts, run_at, created_at)
                    VALUES (\(job.kind), \(job.profile), \(job.arguments), \(job.uniqueKey), 'pending', 0, \(job.maxAttempts), \(job.runAt ?? now), \(now))
                    ON CONFLICT (unique_key) DO NOTHING RETURNING id
                    """, logger: logger
                ).count
            }
            return added
        }
    }

    public func claimJob(worker: String, kinds: [String]?, lease: Int64, now: Int64) async throws -> ClaimedJob? {
        if let kinds, kinds.isEmpty { return nil }
        let allKinds = kinds == nil
        // One statement, one round trip: the CTE moves jobs whose worker died on their last attempt
        // to the dead letters (not round again); the UPDATE claims the oldest runnable job. The two
        // touch disjoint rows (attempts >= max vs <), and SKIP LOCKED lets claims run side by side.
        let rows = try await rows(
            """
            WITH swept AS (
                UPDATE jobs SET status = 'dead', finished_at = \(now), worker = NULL, lease_expires_at = NULL,
                    last_error = COALESCE(last_error || '; ', '') || 'lease expired on the last attempt'
                WHERE id IN (SELECT id FROM jobs WHERE status = 'running' AND lease_expires_at < \(now) AND attempts >= max_attempts
                             FOR UPDATE SKIP LOCKED)
                RETURNING id)
            UPDATE jobs SET status = 'running', worker = \(worker), lease_expires_at = \(now + lease), attempts = attempts + 1
            WHERE id = (
                SELECT id FROM jobs
                WHERE ((status IN ('pending', 'failed') AND run_at <= \(now))
                       OR (status = 'running' AND lease_expires_at < \(now) AND attempts < max_attempts))
                  AND (\(allKinds) OR kind = ANY(\(kinds ?? [])::text[]))
                ORDER BY run_at, id LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING id, kind, profile, arguments, attempts, max_attempts, lease_expires_at
            """)
        return try rows.first.map {
            let (id, kind, profile, arguments, attempts, maxAttempts, expires) = try $0.decode((Int64, String, String?, String, Int, Int, Int64).self)
            return ClaimedJob(id: id, kind: kind, profile: profile, arguments: arguments, attempts: attempts, maxAttempts: maxAttempts, leaseExpiresAt: expires)
        }
    }

    public func renewLease(job: Int64, worker: String, lease: Int64, now: Int64) async throws -> Bool {
        try await !rows(
            "UPDATE jobs SET lease_expires_at = \(now + lease) WHERE id = \(job) AND worker = \(worker) AND status = 'running' RETURNING id"
        ).isEmpty
    }

    public func completeJob(_ job: Int64, worker: String, now: Int64) async throws -> Bool {
        try await !rows(
            """
            UPDATE jobs SET status = 'done', finished_at = \(now), lease_expires_at = NULL
            WHERE id = \(job) AND worker = \(worker) AND status = 'running' RETURNING id
            """
        ).isEmpty
    }

    public func failJob(_ job: Int64, worker: String, error: String, retryAt: Int64?, now: Int64) async throws -> JobStatus? {
        let retry = retryAt != nil
        return try await rows(
            """
            UPDATE jobs SET
                status = CASE WHEN \(retry) AND attempts < max_attempts THEN 'failed' ELSE 'dead' END,
                last_error = \(error), run_at = \(retryAt ?? now), lease_expires_at = NULL,
                finished_at = CASE WHEN \(retry) AND attempts < max_attempts THEN NULL ELSE \(now) END
            WHERE id = \(job) AND worker = \(worker) AND status = 'running'
            RETURNING status
            """
        ).first.map { JobStatus(rawValue: try $0.decode(String.self)) ?? .failed }
    }

    static let jobColumns = "id, kind, profile, arguments, unique_key, status, attempts, max_attempts, run_at, worker, lease_expires_at, last_error, created_at, finished_at"

    public func job(_ id: Int64) async throws -> JobRecord? {
        try await rows(PostgresQuery(unsafeSQL: "SELECT \(Self.jobColumns) FROM jobs WHERE id = $1", binds: binds(id))).first.map(Self.jobRecord)
    }

    public func jobs(status: JobStatus?, limit: Int) async throws -> [JobRecord] {
        if let status {
            return try await rows(PostgresQuery(
                unsafeSQL: "SELECT \(Self.jobColumns) FROM jobs WHERE status = $1 ORDER BY id DESC LIMIT $2", binds: binds(status.rawValue, limit))
            ).map(Self.jobRecord)
        }
        return try await rows(PostgresQuery(unsafeSQL: "SELECT \(Self.jobColumns) FROM jobs ORDER BY id DESC LIMIT $1", binds: binds(limit))).map(Self.jobRecord)
    }

    public func jobCounts() async throws -> [JobCount] {
        try await rows("SELECT kind, status, count(*) FROM jobs GROUP BY kind, status ORDER BY kind, status").compactMap {
            let (kind, status, count) = try $0.decode((String, String, Int).self)
            return JobStatus(rawValue: status).map { JobCount(kind: kind, status: $0, count: count) }
        }
    }

    public func purgeJobs(statuses: [JobStatus]) async throws -> Int {
        if statuses.isEmpty { return try await rows("DELETE FROM jobs RETURNING id").count }
        return try await rows("DELETE FROM jobs WHERE status = ANY(\(statuses.map(\.rawValue))::text[]) RETURNING id").count
    }

    public func workerHeartbeat(_ worker: WorkerInfo) async throws {
        try await execute(
            """
            INSERT INTO worker_heartbeats (id, host, pid, started_at, seen_at, running)
            VALUES (\(worker.id), \(worker.host), \(worker.pid), \(worker.startedAt), \(worker.seenAt), \(worker.running))
            ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, running = excluded.running
            """)
    }

    public func workers(seenSince since: Int64) async throws -> [WorkerInfo] {
        try await rows("SELECT id, host, pid, started_at, seen_at, running FROM worker_heartbeats WHERE seen_at >= \(since) ORDER BY id COLLATE \"C\"").map {
            let (id, host, pid, started, seen, running) = try $0.decode((String, String, Int, Int64, Int64, Int).self)
            return WorkerInfo(id: id, host: host, pid: pid, startedAt: started, seenAt: seen, running: running)
        }
    }

    private func binds(_ values: any PostgresDynamicTypeEncodable...) -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }

    static func jobRecord(_ row: PostgresRow) throws -> JobRecord {
        let (id, kind, profile, arguments, uniqueKey, status, attempts, maxAttempts, runAt, worker, lease, lastError, created, finished) =
            try row.decode((Int64, String, String?, String, String?, String, Int, Int, Int64, String?, Int64?, String?, Int64, Int64?).self)
        return JobRecord(
            id: id, kind: kind, profile: profile, arguments: arguments, uniqueKey: uniqueKey, status: JobStatus(rawValue: status) ?? .pending,
            attempts: attempts, maxAttempts: maxAttempts, runAt: runAt, worker: worker, leaseExpiresAt: lease, lastError: lastError,
            createdAt: created, finishedAt: finished)
    }
}
