import Foundation
import GRDB
public import TrawlCore

/// The job queue on SQLite: a claim is one `BEGIN IMMEDIATE` transaction (SQLite has one writer,
/// so two workers on one file never take the same job).
extension SQLiteStore {
    static let jobsSchema = """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            profile TEXT,
            arguments TEXT NOT NULL,
            unique_key TEXT UNIQUE,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            max_attempts INTEGER NOT NULL,
            run_at INTEGER NOT NULL,
            worker TEXT,
            lease_expires_at INTEGER,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            finished_at INTEGER
        );
        CREATE INDEX jobs_runnable ON jobs(status, run_at);
        CREATE TABLE worker_heartbeats (
            id TEXT PRIMARY KEY NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            started_at INTEGER NOT NULL,
            seen_at INTEGER NOT NULL,
            running INTEGER NOT NULL
        );
        """

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken before reading.
    func immediate<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    public func enqueue(_ job: NewJob, now: Int64) async throws -> Int64? {
        try await immediate { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO jobs (kind, profile, arguments, unique_key, status, attempts, max_attempts, run_at, created_at)
                    VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)
                    """,
                arguments: [job.kind, job.profile, job.arguments, job.uniqueKey, job.maxAttempts, job.runAt ?? now, now])
            return db.changesCount > 0 ? db.lastInsertedRowID : nil
        }
    }

    public func enqueue(_ jobs: [NewJob], now: Int64) async throws -> Int {
        guard !jobs.isEmpty else { return 0 }
        return try await immediate { db in
            var added = 0
            for job in jobs {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO jobs (kind, profile, arguments, unique_key, status, attempts, max_attempts, run_at, created_at)
                        VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)
                        """,
                    arguments: [job.kind, job.profile, job.arguments, job.uniqueKey, job.maxAttempts, job.runAt ?? now, now])
                added += db.changesCount
            }
            return added
        }
    }

    public func claimJob(worker: String, kinds: [String]?, lease: Int64, now: Int64) async throws -> ClaimedJob? {
        try await immediate { db in
            // A job whose worker died after its last attempt goes to the dead letters, not round again.
            try db.execute(
                sql: """
                    UPDATE jobs SET status = 'dead', finished_at = ?, worker = NULL, lease_expires_at = NULL,
                        last_error = COALESCE(last_error || '; ', '') || 'lease expired on the last attempt'
                    WHERE status = 'running' AND lease_expires_at < ? AND attempts >= max_attempts
                    """,
                arguments: [now, now])
            var sql = """
                SELECT id FROM jobs
                WHERE ((status IN ('pending', 'failed') AND run_at <= ?) OR (status = 'running' AND lease_expires_at < ?))
                """
            var arguments: StatementArguments = [now, now]
            if let kinds {
                guard !kinds.isEmpty else { return nil }
                sql += " AND kind IN (\(databaseQuestionMarks(count: kinds.count)))"
                arguments += StatementArguments(kinds)
            }
            sql += " ORDER BY run_at, id LIMIT 1"
            guard let id = try Int64.fetchOne(db, sql: sql, arguments: arguments) else { return nil }
            try db.execute(
                sql: "UPDATE jobs SET status = 'running', worker = ?, lease_expires_at = ?, attempts = attempts + 1 WHERE id = ?",
                arguments: [worker, now + lease, id])
            let row = try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id])!
            return ClaimedJob(
                id: id, kind: row["kind"], profile: row["profile"], arguments: row["arguments"], attempts: row["attempts"],
                maxAttempts: row["max_attempts"], leaseExpiresAt: row["lease_expires_at"])
        }
    }

    public func renewLease(job: Int64, worker: String, lease: Int64, now: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND worker = ? AND status = 'running'",
                arguments: [now + lease, job, worker])
            return db.changesCount > 0
        }
    }

    public func completeJob(_ job: Int64, worker: String, now: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE jobs SET status = 'done', finished_at = ?, lease_expires_at = NULL WHERE id = ? AND worker = ? AND status = 'running'",
                arguments: [now, job, worker])
            return db.changesCount > 0
        }
    }

    public func failJob(_ job: Int64, worker: String, error: String, retryAt: Int64?, now: Int64) async throws -> JobStatus? {
        try await immediate { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT attempts, max_attempts FROM jobs WHERE id = ? AND worker = ? AND status = 'running'", arguments: [job, worker])
            else { return nil }
            let attempts: Int = row["attempts"], maxAttempts: Int = row["max_attempts"]
            let status: JobStatus = retryAt != nil && attempts < maxAttempts ? .failed : .dead
            try db.execute(
                sql: """
                    UPDATE jobs SET status = ?, last_error = ?, run_at = ?, lease_expires_at = NULL,
                        finished_at = CASE WHEN ? = 'dead' THEN ? ELSE NULL END
                    WHERE id = ?
                    """,
                arguments: [status.rawValue, error, retryAt ?? now, status.rawValue, now, job])
            return status
        }
    }

    public func job(_ id: Int64) async throws -> JobRecord? {
        try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(Self.jobRecord) }
    }

    public func jobs(status: JobStatus?, limit: Int) async throws -> [JobRecord] {
        try await pool.read { db in
            if let status {
                return try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE status = ? ORDER BY id DESC LIMIT ?", arguments: [status.rawValue, limit]).map(Self.jobRecord)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY id DESC LIMIT ?", arguments: [limit]).map(Self.jobRecord)
        }
    }

    public func jobCounts() async throws -> [JobCount] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, status, COUNT(*) FROM jobs GROUP BY kind, status ORDER BY kind, status").compactMap { row in
                JobStatus(rawValue: row[1]).map { JobCount(kind: row[0], status: $0, count: row[2]) }
            }
        }
    }

    public func purgeJobs(statuses: [JobStatus]) async throws -> Int {
        try await pool.write { db in
            if statuses.isEmpty {
                try db.execute(sql: "DELETE FROM jobs")
            } else {
                try db.execute(
                    sql: "DELETE FROM jobs WHERE status IN (\(databaseQuestionMarks(count: statuses.count)))",
                    arguments: StatementArguments(statuses.map(\.rawValue)))
            }
            return db.changesCount
        }
    }

    public func workerHeartbeat(_ worker: WorkerInfo) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO worker_heartbeats (id, host, pid, started_at, seen_at, running) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [worker.id, worker.host, worker.pid, worker.startedAt, worker.seenAt, worker.running])
        }
    }

    public func workers(seenSince since: Int64) async throws -> [WorkerInfo] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM worker_heartbeats WHERE seen_at >= ? ORDER BY id", arguments: [since]).map {
                WorkerInfo(id: $0["id"], host: $0["host"], pid: $0["pid"], startedAt: $0["started_at"], seenAt: $0["seen_at"], running: $0["running"])
            }
        }
    }

    static func jobRecord(_ row: Row) -> JobRecord {
        JobRecord(
            id: row["id"], kind: row["kind"], profile: row["profile"], arguments: row["arguments"], uniqueKey: row["unique_key"],
            status: JobStatus(rawValue: row["status"]) ?? .pending, attempts: row["attempts"], maxAttempts: row["max_attempts"],
            runAt: row["run_at"], worker: row["worker"], leaseExpiresAt: row["lease_expires_at"], lastError: row["last_error"],
            createdAt: row["created_at"], finishedAt: row["finished_at"])
    }
}
