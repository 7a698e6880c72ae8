import GRDB

extension SQLiteStore {
    /// Schema changes as named migrations, applied in order and recorded in `grdb_migrations`.
    /// Never edit a shipped migration: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-collections-documents") { db in
            try db.execute(sql: """
                CREATE TABLE collections (
                    name TEXT PRIMARY KEY NOT NULL,
                    profile TEXT,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE aliases (
                    name TEXT PRIMARY KEY NOT NULL,
                    target TEXT NOT NULL REFERENCES collections(name) ON DELETE CASCADE
                );
                CREATE TABLE documents (
                    id INTEGER PRIMARY KEY,
                    collection TEXT NOT NULL REFERENCES collections(name) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    display_name TEXT NOT NULL,
                    doc TEXT NOT NULL,
                    version_sortable TEXT NOT NULL DEFAULT '',
                    upload_timestamp INTEGER NOT NULL DEFAULT 0,
                    github_stars INTEGER NOT NULL DEFAULT 0,
                    github_updated INTEGER NOT NULL DEFAULT 0,
                    download_last_day INTEGER NOT NULL DEFAULT 0,
                    download_last_week INTEGER NOT NULL DEFAULT 0,
                    download_last_month INTEGER NOT NULL DEFAULT 0,
                    download_total INTEGER NOT NULL DEFAULT 0,
                    health_score INTEGER NOT NULL DEFAULT 0,
                    first_seen INTEGER NOT NULL DEFAULT 0,
                    last_synced INTEGER NOT NULL DEFAULT 0,
                    version_major INTEGER NOT NULL DEFAULT 0,
                    version_minor INTEGER NOT NULL DEFAULT 0,
                    version_bugfix INTEGER NOT NULL DEFAULT 0,
                    is_official INTEGER NOT NULL DEFAULT 0,
                    is_verified INTEGER NOT NULL DEFAULT 0,
                    is_new INTEGER NOT NULL DEFAULT 0,
                    yanked INTEGER NOT NULL DEFAULT 0,
                    stale INTEGER NOT NULL DEFAULT 0,
                    has_github INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (collection, name)
                );
                CREATE INDEX documents_stars ON documents(collection, github_stars);
                CREATE INDEX documents_downloads ON documents(collection, download_last_month);
                CREATE INDEX documents_updated ON documents(collection, upload_timestamp);
                CREATE INDEX documents_health ON documents(collection, health_score);
                -- List fields (classifiers, python_versions, …) as rows, for filters and facet counts.
                CREATE TABLE document_terms (
                    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                    field TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (doc_id, field, value)
                ) WITHOUT ROWID;
                CREATE INDEX document_terms_lookup ON document_terms(field, value, doc_id);
                -- Full text: name weighs most, then summary, keywords, description (bm25 weights in search).
                CREATE VIRTUAL TABLE documents_fts USING fts5(
                    name, summary, keywords, description,
                    tokenize = 'unicode61 remove_diacritics 2'
                );
                CREATE TABLE releases (
                    collection TEXT NOT NULL REFERENCES collections(name) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    version TEXT NOT NULL,
                    upload_timestamp INTEGER NOT NULL,
                    yanked INTEGER NOT NULL,
                    requires_python TEXT NOT NULL,
                    PRIMARY KEY (collection, name, version)
                ) WITHOUT ROWID;
                CREATE TABLE problems (
                    collection TEXT NOT NULL,
                    package TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    message TEXT NOT NULL,
                    seen_at INTEGER NOT NULL,
                    PRIMARY KEY (collection, package, kind)
                ) WITHOUT ROWID;
                """)
        }

        migrator.registerMigration("v1-caches") { db in
            try db.execute(sql: """
                -- One GitHub cache for every profile, keyed by lowercase owner/repo.
                CREATE TABLE github_repos (
                    key TEXT PRIMARY KEY NOT NULL,
                    data BLOB NOT NULL,
                    etag TEXT,
                    fetched_at INTEGER NOT NULL,
                    status INTEGER NOT NULL
                );
                -- ETag/Last-Modified per URL and the body they validate.
                CREATE TABLE http_cache (
                    url TEXT PRIMARY KEY NOT NULL,
                    etag TEXT,
                    last_modified TEXT,
                    body BLOB NOT NULL,
                    stored_at INTEGER NOT NULL
                );
                CREATE TABLE dedup_keys (
                    key TEXT PRIMARY KEY NOT NULL,
                    expires_at INTEGER NOT NULL
                );
                CREATE INDEX dedup_keys_expiry ON dedup_keys(expires_at);
                CREATE TABLE checkpoints (
                    name TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                """)
        }

        migrator.registerMigration("v1-api-keys") { db in
            try db.execute(sql: """
                CREATE TABLE api_keys (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    prefix TEXT NOT NULL,
                    hash TEXT NOT NULL UNIQUE,
                    scope TEXT NOT NULL,
                    collections TEXT NOT NULL,
                    description TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX api_keys_prefix ON api_keys(prefix);
                """)
        }
        migrator.registerMigration("v2-fts-vocabulary") { db in
            // The full-text vocabulary, read by the typo-tolerant fallback of search.
            try db.execute(sql: "CREATE VIRTUAL TABLE documents_fts_vocab USING fts5vocab(documents_fts, 'row')")
        }

        migrator.registerMigration("v2-jobs") { db in
            try db.execute(sql: SQLiteStore.jobsSchema)
        }
        migrator.registerMigration("v3-revisions") { db in
            // A per-collection revision advanced by every document write, stamped on the rows it
            // wrote: the in-memory search index of `trawl serve` polls it and reloads only those.
            try db.execute(sql: """
                ALTER TABLE collections ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE documents ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX documents_revision ON documents(collection, revision, name);
                """)
        }
        migrator.registerMigration("v4-dependents") { db in
            // How many packages of the collection require each one: a sort and a health rule.
            // Documents written before it carry 0 until `DependentsKeeper` settles the collection.
            try db.execute(sql: """
                ALTER TABLE documents ADD COLUMN dependents_count INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX documents_dependents ON documents(collection, dependents_count);
                """)
        }
        return migrator
    }
}
