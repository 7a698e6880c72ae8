import Logging
import PostgresNIO

/// Schema changes as named migrations, applied in order and recorded in `schema_migrations`.
/// Never edit a shipped migration: add a new one. All of them run in one transaction under an
/// advisory lock, so workers starting at the same moment migrate once.
enum PostgresMigrations {
    static let lockKey: Int64 = 0x7472_6177_6c00  // "trawl"

    static let all: [(name: String, statements: [String])] = [
        ("v1-collections-documents", [
            """
            CREATE TABLE collections (
                name TEXT PRIMARY KEY,
                profile TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE aliases (
                name TEXT PRIMARY KEY,
                target TEXT NOT NULL REFERENCES collections(name) ON DELETE CASCADE
            )
            """,
            """
            CREATE TABLE documents (
                id BIGSERIAL PRIMARY KEY,
                collection TEXT NOT NULL REFERENCES collections(name) ON DELETE CASCADE,
                name TEXT COLLATE "C" NOT NULL,
                display_name TEXT NOT NULL,
                doc TEXT NOT NULL,
                -- name A, summary B, keywords C, description D (ts_rank weighs them in that order)
                search TSVECTOR NOT NULL,
                -- the name and its parts, for trigram matching when pg_trgm is there
                search_name TEXT NOT NULL,
                version_sortable TEXT COLLATE "C" NOT NULL DEFAULT '',
                upload_timestamp BIGINT NOT NULL DEFAULT 0,
                github_stars BIGINT NOT NULL DEFAULT 0,
                github_updated BIGINT NOT NULL DEFAULT 0,
                download_last_day BIGINT NOT NULL DEFAULT 0,
                download_last_week BIGINT NOT NULL DEFAULT 0,
                download_last_month BIGINT NOT NULL DEFAULT 0,
                download_total BIGINT NOT NULL DEFAULT 0,
                health_score BIGINT NOT NULL DEFAULT 0,
                first_seen BIGINT NOT NULL DEFAULT 0,
                last_synced BIGINT NOT NULL DEFAULT 0,
                version_major BIGINT NOT NULL DEFAULT 0,
                version_minor BIGINT NOT NULL DEFAULT 0,
                version_bugfix BIGINT NOT NULL DEFAULT 0,
                is_official BOOLEAN NOT NULL DEFAULT FALSE,
                is_verified BOOLEAN NOT NULL DEFAULT FALSE,
                is_new BOOLEAN NOT NULL DEFAULT FALSE,
                yanked BOOLEAN NOT NULL DEFAULT FALSE,
                stale BOOLEAN NOT NULL DEFAULT FALSE,
                has_github BOOLEAN NOT NULL DEFAULT FALSE,
                UNIQUE (collection, name)
            )
            """,
            "CREATE INDEX documents_search ON documents USING GIN (search)",
            "CREATE INDEX documents_stars ON documents (collection, github_stars)",
            "CREATE INDEX documents_downloads ON documents (collection, download_last_month)",
            "CREATE INDEX documents_updated ON documents (collection, upload_timestamp)",
            "CREATE INDEX documents_health ON documents (collection, health_score)",
            """
            CREATE TABLE document_terms (
                doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                field TEXT NOT NULL,
                value TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (doc_id, field, value)
            )
            """,
            "CREATE INDEX document_terms_lookup ON document_terms (field, value, doc_id)",
            """
            CREATE TABLE releases (
                collection TEXT NOT NULL REFERENCES collections(name) ON DELETE CASCADE,
                name TEXT COLLATE "C" NOT NULL,
                version TEXT COLLATE "C" NOT NULL,
                upload_timestamp BIGINT NOT NULL,
                yanked BOOLEAN NOT NULL,
                requires_python TEXT NOT NULL,
                PRIMARY KEY (collection, name, version)
            )
            """,
            """
            CREATE TABLE problems (
                collection TEXT NOT NULL,
                package TEXT COLLATE "C" NOT NULL,
                kind TEXT COLLATE "C" NOT NULL,
                message TEXT NOT NULL,
                seen_at BIGINT NOT NULL,
                PRIMARY KEY (collection, package, kind)
            )
            """,
        ]),
        ("v1-caches", [
            """
            CREATE TABLE github_repos (
                key TEXT PRIMARY KEY,
                data BYTEA NOT NULL,
                etag TEXT,
                fetched_at BIGINT NOT NULL,
                status INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE http_cache (
                url TEXT PRIMARY KEY,
                etag TEXT,
                last_modified TEXT,
                body BYTEA NOT NULL,
                stored_at BIGINT NOT NULL
            )
            """,
            "CREATE TABLE dedup_keys (key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)",
            "CREATE INDEX dedup_keys_expiry ON dedup_keys (expires_at)",
            "CREATE TABLE checkpoints (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at BIGINT NOT NULL)",
        ]),
        ("v1-api-keys", [
            """
            CREATE TABLE api_keys (
                id BIGSERIAL PRIMARY KEY,
                prefix TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE,
                scope TEXT NOT NULL,
                collections TEXT NOT NULL,
                description TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX api_keys_prefix ON api_keys (prefix)",
        ]),
        ("v2-jobs", [
            """
            CREATE TABLE jobs (
                id BIGSERIAL PRIMARY KEY,
                kind TEXT NOT NULL,
                profile TEXT,
                arguments TEXT NOT NULL,
                unique_key TEXT UNIQUE,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                max_attempts INTEGER NOT NULL,
                run_at BIGINT NOT NULL,
                worker TEXT,
                lease_expires_at BIGINT,
                last_error TEXT,
                created_at BIGINT NOT NULL,
                finished_at BIGINT
            )
            """,
            "CREATE INDEX jobs_runnable ON jobs (status, run_at)",
            """
            CREATE TABLE worker_heartbeats (
                id TEXT PRIMARY KEY,
                host TEXT NOT NULL,
                pid INTEGER NOT NULL,
                started_at BIGINT NOT NULL,
                seen_at BIGINT NOT NULL,
                running INTEGER NOT NULL
            )
            """,
        ]),
        // A per-collection revision advanced by every document write and stamped on the rows it wrote:
        // the in-memory search index of `trawl serve` polls it and reloads only those rows.
        ("v3-revisions", [
            "CREATE SEQUENCE document_revisions",
            "ALTER TABLE collections ADD COLUMN revision BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE documents ADD COLUMN revision BIGINT NOT NULL DEFAULT 0",
            "CREATE INDEX documents_revision ON documents (collection, revision, name)",
        ]),
        // How many packages of the collection require each one: a sort and a health rule.
        ("v4-dependents", [
            "ALTER TABLE documents ADD COLUMN dependents_count BIGINT NOT NULL DEFAULT 0",
            "CREATE INDEX documents_dependents ON documents (collection, dependents_count)",
        ]),
    ]

    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> PostgresFeatures {
        try await client.withConnection { connection in
            try await connection.withTransaction(logger: logger) { db in
                try await db.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
                try await db.query(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (id SERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at BIGINT NOT NULL)",
                    logger: logger)
                var applied: Set<String> = []
                for try await name in try await db.query("SELECT name FROM schema_migrations", logger: logger).decode(String.self) {
                    applied.insert(name)
                }
                for migration in all where !applied.contains(migration.name) {
                    for statement in migration.statements {
                        try await db.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await db.query(
                        "INSERT INTO schema_migrations (name, applied_at) VALUES (\(migration.name), \(PostgresStore.now))", logger: logger)
                    logger.debug("applied migration", metadata: ["name": "\(migration.name)"])
                }
                // Trigram matching is optional: used when the server has pg_trgm and lets us install it.
                let available = try await db.query(
                    "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'", logger: logger
                ).collect().first.map { try $0.decode(Int.self) } ?? 0
                if available > 0 {
                    try await db.query("SAVEPOINT trgm", logger: logger)
                    do {
                        try await db.query("CREATE EXTENSION IF NOT EXISTS pg_trgm", logger: logger)
                        try await db.query("CREATE INDEX IF NOT EXISTS documents_name_trgm ON documents USING GIN (search_name gin_trgm_ops)", logger: logger)
                        try await db.query("RELEASE SAVEPOINT trgm", logger: logger)
                    } catch {
                        logger.info("pg_trgm is not usable; full-text search runs without the trigram fallback")
                        try await db.query("ROLLBACK TO SAVEPOINT trgm", logger: logger)
                    }
                }
                let trigram = try await db.query("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'", logger: logger)
                    .collect().first.map { try $0.decode(Int.self) } ?? 0
                return PostgresFeatures(trigram: trigram > 0)
            }
        }
    }
}
