#!/usr/bin/env python3
"""Loopback fake of ClickHouse's public PyPI SQL endpoint, for Trawl's tests.

It speaks ClickHouse's HTTP interface (the port-8123 protocol) on 127.0.0.1 and
executes the SQL for real with `chdb` (in-process ClickHouse, PyPI package
`chdb`; written against chdb 4.4.0 / chdb-core 26.9.2.1). Tests never reach the
real service.

    python3 clickhouse_fake.py --port 0 --data FIXTURE.json [--user demo]
        [--password ''] [--max-result-rows 1000] [--fail-first N]

After loading the fixture and binding, it prints exactly one line
`LISTENING <port>` to stdout (nothing else is ever written to stdout; chdb's
and the server's own chatter goes to stderr) and serves until SIGTERM/SIGINT,
on which it shuts down cleanly and removes its temporary directory.

Schema (and where it comes from)
--------------------------------
The two tables are created exactly as ClickHouse's own `clickpy` project
creates them on the public endpoint (github.com/ClickHouse/clickpy,
`scripts/create_tables.sh`):

* `pypi.projects` -- 37 columns, ENGINE = MergeTree ORDER BY name:
  metadata_version, name, version, summary, description,
  description_content_type, author, author_email, maintainer,
  maintainer_email, license, keywords String; classifiers, platform
  Array(String); home_page, download_url, requires_python String; requires,
  provides, obsoletes, requires_dist, provides_dist, obsoletes_dist,
  requires_external, project_urls Array(String); uploaded_via String;
  upload_time DateTime64 (= DateTime64(3)); filename String; size Int64;
  path, python_version, packagetype, comment_text String; has_signature Bool;
  md5_digest, sha256_digest, blake2_256_digest String.
  In the real table there is one row per uploaded *file*, so a name repeats
  (once per release file); fixtures may repeat names too.
* `pypi.pypi_downloads_per_day(date Date, project String, count Int64)`,
  ENGINE = SummingMergeTree ORDER BY (project, date). Fixture rows are stored
  as given (inserted with optimize_on_insert = 0, never OPTIMIZEd), so
  duplicate (project, date) rows stay separate rows, as unmerged parts do on
  the real server: always aggregate with sum(count).

The account limits are those of clickpy's `play` role
(`scripts/create_user.sh`): readonly = 1, max_result_rows = 1000,
max_result_bytes = 10000000, result_overflow_mode = 'break',
enable_http_compression = 1. Server time zone is UTC.

Fixture
-------
JSON object: {"projects": [{...}], "downloads": [{"date": "2026-11-01",
"project": "x", "count": 12}], "fake": {...optional defaults for the CLI
flags: user, password, max_result_rows, fail_first, fail_status...}}.
Rows are written to a temporary JSONEachRow file and inserted with one
`INSERT ... SELECT * FROM file(..., 'JSONEachRow', <structure>)` per table;
missing keys get the column's default, unknown keys are ignored, DateTime
strings are parsed best-effort (ISO 8601 works).

HTTP interface
--------------
* `POST /` with the SQL in the body, `GET /?query=...`, or both (the `query`
  parameter, a newline, then the body -- as ClickHouse does). Request bodies
  with `Content-Encoding: gzip|deflate` are decompressed.
* URL parameters: `database` (or header X-ClickHouse-Database), `default_format`
  (or header X-ClickHouse-Format; default TabSeparated), `query_id`,
  `param_<name>=<value>` for `{name:Type}` query parameters. Parameters are
  bound by chdb's NATIVE parameter support (`Session.query(..., params=...)`):
  nothing is substituted into the SQL text, and values are parsed exactly as
  ClickHouse parses HTTP `param_` values (escaped/TSV text form, so `'` needs no
  escaping, a backslash does; arrays as `['a','b''c']`). The URL is decoded like
  an HTML form, so a literal `+` must be sent as %2B (same as real ClickHouse).
  Any other URL parameter is a *setting*: since the account is readonly, a
  setting whose value differs from the current one is refused with
  `Code: 164 ... Cannot modify 'X' setting in readonly mode. (READONLY)`
  (HTTP 500), an unknown one with Code 115 UNKNOWN_SETTING (HTTP 404), as the
  real endpoint does. `enable_http_compression` and the protocol-level
  parameters (compress, session_id, wait_end_of_query, ...) are accepted.
* Auth: user from X-ClickHouse-User, else URL `user`, else HTTP Basic, else
  `default`; password from X-ClickHouse-Key / `password` / Basic. Wrong user or
  password -> `Code: 516. DB::Exception: <user>: Authentication failed: password
  is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)`
  with HTTP **403** -- the status real ClickHouse sends for code 516
  (src/Server/HTTP/exceptionCodeToHTTPStatus.cpp; ClickHouse issue #72999 and
  others show `HTTP 403` + `Code: 516`). `--auth-failure-status` overrides it.
  Mixing X-ClickHouse-User/Key headers with URL/Basic credentials is refused
  (code 516) like the real server does.
* Read-only: only SELECT / WITH / FROM-first / (subquery) / DESCRIBE / DESC /
  SHOW / EXISTS / EXPLAIN statements run; anything else gets HTTP 500 with
  `Code: 164. DB::Exception: <user>: Cannot execute query in readonly mode.
  (READONLY)`. The chdb session itself is also switched to readonly = 1 after
  loading, so `SETTINGS` clauses that change a limit and table functions that
  need write access (file(), url(), ...) fail with code 164 natively.
  Multi-statement bodies (`SELECT 1; SELECT 2`) are refused (SYNTAX_ERROR) and
  `INTO OUTFILE` is refused (code 486, INTO_OUTFILE_NOT_ALLOWED), as over real
  HTTP.
* Errors: chdb's exception text is passed through as
  `Code: N. DB::Exception: ... (NAME) (version <chdb's ClickHouse version>)`
  with header X-ClickHouse-Exception-Code: N and the HTTP status ClickHouse's
  exceptionCodeToHTTPStatus gives that code (e.g. SYNTAX_ERROR, TYPE_MISMATCH,
  CANNOT_PARSE_* -> 400; UNKNOWN_TABLE, UNKNOWN_IDENTIFIER, UNKNOWN_FUNCTION,
  UNKNOWN_DATABASE, UNKNOWN_FORMAT -> 404; READONLY, BAD_QUERY_PARAMETER,
  UNKNOWN_QUERY_PARAMETER and anything unlisted -> 500).
* Output: `FORMAT X` in the SQL wins over default_format; any format chdb
  knows works. Headers: Content-Type as ClickHouse sends it
  (JSONEachRow & aliases: `application/x-ndjson; charset=UTF-8` [ClickHouse PR
  #32223]; JSON/JSONCompact/JSONStrings/JSONColumns...: `application/json;
  charset=UTF-8`; TabSeparated family: `text/tab-separated-values;
  charset=UTF-8`; CSV: `text/csv; charset=UTF-8; header=absent|present`;
  binary formats: application/octet-stream; others text/plain; charset=UTF-8),
  X-ClickHouse-Format, X-ClickHouse-Query-Id, X-ClickHouse-Timezone: UTC,
  X-ClickHouse-Server-Display-Name, X-ClickHouse-Summary (read_rows/read_bytes
  from chdb; result_rows approximate). Responses are gzip/deflate compressed
  when the client sends Accept-Encoding (the `play` role enables HTTP
  compression), unless `--no-compression`.
  64-bit integers in JSON formats are NOT quoted (chdb/ClickHouse 26.x default
  output_format_json_quote_64bit_integers = 0); older servers quote them --
  pass `--quote-64bit-integers` to test a client against that.

Result truncation (max_result_rows with result_overflow_mode = 'break')
----------------------------------------------------------------------
Real ClickHouse, and chdb, apply 'break' at *block* granularity: the block that
crosses the limit is still sent whole, so a small result (one block, up to
65k rows) is not truncated at all and a big one is cut somewhere past the
limit. The fake makes truncation exact and always observable: a
SELECT/WITH/FROM/(...) statement is executed as
`SELECT * FROM (\n<your query without FORMAT/SETTINGS>\n) LIMIT <max_result_rows>
[SETTINGS <your trailing SETTINGS clause, hoisted so readonly still checks it>]`
(if that wrapper fails to run, the original query is run unwrapped so the error
text is ClickHouse's own for your SQL). So at most max_result_rows rows come
back, silently -- a client that does not paginate loses rows even on small
fixtures; a client that pages with LIMIT <= max_result_rows is unaffected.
For JSON-family formats the wrapper's `rows_before_limit_at_least` entry is
removed unless your query has its own top-level LIMIT (then it is kept but
counts rows before the *wrapper's* limit -- approximate). WITH TOTALS rows come
through the wrapper. DESCRIBE/SHOW/
EXISTS/EXPLAIN are not wrapped (chdb's block-granular break applies).
`--truncation block` turns the wrapper off (pure chdb/real-server behaviour);
`--max-result-rows 0` disables the limit.

Test hooks (not part of ClickHouse)
-----------------------------------
* `--fail-first N`: the first N queries (after authentication) get HTTP 503
  (`--fail-status` to change; note real ClickHouse maps code 202 to 500) with
  `Code: 202. DB::Exception: Too many simultaneous queries. Maximum: 100.
  (TOO_MANY_SIMULTANEOUS_QUERIES)`.
* `GET /_fake/stats` -> {"queries": N, "ok": n, "errors": n,
  "injected_failures": n, "last_queries": [last 50: {"n", "sql", "params",
  "settings", "database", "format", "user", "status", "exception_code",
  "result_rows"}]}. `queries` counts every request that carried SQL, including
  refused ones. `POST /_fake/reset[?fail_first=N]` clears the counters (and
  optionally re-arms fault injection).
* `GET /ping`, `GET /` without a query -> `Ok.` as ClickHouse.
"""

from __future__ import annotations

import argparse
import base64
import collections
import gzip
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

# ---------------------------------------------------------------------------
# Schema (clickpy scripts/create_tables.sh)

PROJECTS_COLUMNS = [
    ("metadata_version", "String"),
    ("name", "String"),
    ("version", "String"),
    ("summary", "String"),
    ("description", "String"),
    ("description_content_type", "String"),
    ("author", "String"),
    ("author_email", "String"),
    ("maintainer", "String"),
    ("maintainer_email", "String"),
    ("license", "String"),
    ("keywords", "String"),
    ("classifiers", "Array(String)"),
    ("platform", "Array(String)"),
    ("home_page", "String"),
    ("download_url", "String"),
    ("requires_python", "String"),
    ("requires", "Array(String)"),
    ("provides", "Array(String)"),
    ("obsoletes", "Array(String)"),
    ("requires_dist", "Array(String)"),
    ("provides_dist", "Array(String)"),
    ("obsoletes_dist", "Array(String)"),
    ("requires_external", "Array(String)"),
    ("project_urls", "Array(String)"),
    ("uploaded_via", "String"),
    ("upload_time", "DateTime64(3)"),
    ("filename", "String"),
    ("size", "Int64"),
    ("path", "String"),
    ("python_version", "String"),
    ("packagetype", "String"),
    ("comment_text", "String"),
    ("has_signature", "Bool"),
    ("md5_digest", "String"),
    ("sha256_digest", "String"),
    ("blake2_256_digest", "String"),
]

DOWNLOADS_COLUMNS = [("date", "Date"), ("project", "String"), ("count", "Int64")]

TABLES = {
    "projects": (PROJECTS_COLUMNS, "MergeTree ORDER BY name"),
    "pypi_downloads_per_day": (DOWNLOADS_COLUMNS, "SummingMergeTree ORDER BY (project, date)"),
}

# ---------------------------------------------------------------------------
# ClickHouse's exceptionCodeToHTTPStatus, keyed by error name.

HTTP_STATUS_BY_ERROR = {}
HTTP_STATUS_BY_ERROR["REQUIRED_PASSWORD"] = 401
for _n in ("UNKNOWN_USER", "WRONG_PASSWORD", "AUTHENTICATION_FAILED", "SET_NON_GRANTED_ROLE", "ACCESS_DENIED"):
    HTTP_STATUS_BY_ERROR[_n] = 403
for _n in (
    "BAD_ARGUMENTS CANNOT_COMPILE_REGEXP CANNOT_PARSE_TEXT CANNOT_PARSE_ESCAPE_SEQUENCE "
    "CANNOT_PARSE_QUOTED_STRING CANNOT_PARSE_DATE CANNOT_PARSE_DATETIME CANNOT_PARSE_NUMBER "
    "CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING CANNOT_PARSE_IPV4 CANNOT_PARSE_IPV6 "
    "CANNOT_PARSE_INPUT_ASSERTION_FAILED CANNOT_PARSE_UUID DUPLICATE_COLUMN ILLEGAL_COLUMN "
    "UNKNOWN_ELEMENT_IN_AST UNKNOWN_TYPE_OF_AST_NODE THERE_IS_NO_COLUMN TOO_DEEP_AST TOO_BIG_AST "
    "UNEXPECTED_AST_STRUCTURE SYNTAX_ERROR INCORRECT_DATA TYPE_MISMATCH "
    "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE"
).split():
    HTTP_STATUS_BY_ERROR[_n] = 400
for _n in (
    "UNKNOWN_TABLE UNKNOWN_FUNCTION UNKNOWN_IDENTIFIER UNKNOWN_TYPE UNKNOWN_STORAGE UNKNOWN_DATABASE "
    "UNKNOWN_SETTING UNKNOWN_DIRECTION_OF_SORTING UNKNOWN_AGGREGATE_FUNCTION UNKNOWN_FORMAT "
    "UNKNOWN_DATABASE_ENGINE UNKNOWN_TYPE_OF_QUERY UNKNOWN_ROLE"
).split():
    HTTP_STATUS_BY_ERROR[_n] = 404
HTTP_STATUS_BY_ERROR.update({
    "QUERY_IS_TOO_LARGE": 413,
    "NOT_IMPLEMENTED": 501,
    "SOCKET_TIMEOUT": 503,
    "CANNOT_OPEN_FILE": 503,
    "HTTP_LENGTH_REQUIRED": 411,
    "TIMEOUT_EXCEEDED": 408,
    "CANNOT_SCHEDULE_TASK": 503,
    "UNSUPPORTED_MEDIA_TYPE": 415,
})

# URL parameters the HTTP handler consumes itself (not settings).
RESERVED_PARAMS = {
    "query", "database", "default_format", "user", "password", "quota_key", "query_id",
    "session_id", "session_timeout", "session_check", "close_session", "compress",
    "decompress", "buffer_size", "wait_end_of_query", "stacktrace", "role",
    "client_protocol_version", "enable_http_compression", "http_zlib_compression_level",
    "send_progress_in_http_headers", "http_headers_progress_interval_ms",
}

# ---------------------------------------------------------------------------
# Output formats

_NDJSON = {"jsoneachrow", "jsonlines", "ndjson", "jsonstringseachrow", "jsoneachrowwithprogress",
           "jsonstringseachrowwithprogress"}
_JSON = {"json", "jsonstrings", "jsoncompact", "jsoncompactstrings", "jsoncolumns",
         "jsoncompactcolumns", "jsoncolumnswithmetadata", "jsonobjecteachrow"}
_BINARY = {"native", "rowbinary", "rowbinarywithnames", "rowbinarywithnamesandtypes", "parquet",
           "arrow", "arrowstream", "orc", "avro", "msgpack", "protobuf", "protobufsingle",
           "capnproto", "bsoneachrow", "npy"}


def content_type_for(fmt: str) -> str:
    f = fmt.lower()
    if f in _NDJSON:
        return "application/x-ndjson; charset=UTF-8"
    if f in _JSON:
        return "application/json; charset=UTF-8"
    if f.startswith("tabseparated") or f.startswith("tsv") or f == "raw":
        return "text/tab-separated-values; charset=UTF-8"
    if f.startswith("csv"):
        return "text/csv; charset=UTF-8; header=" + ("present" if "withnames" in f else "absent")
    if f == "xml":
        return "application/xml; charset=UTF-8"
    if f in _BINARY:
        return "application/octet-stream"
    return "text/plain; charset=UTF-8"


def header_lines_for(fmt: str) -> int:
    f = fmt.lower()
    if f.endswith("withnamesandtypes"):
        return 2
    if f.endswith("withnames"):
        return 1
    return 0


def count_result_rows(fmt: str, body: bytes) -> int:
    """Approximate row count of a formatted result (for the summary header)."""
    f = fmt.lower()
    if f in _JSON:
        m = re.search(rb'"rows":\s*(\d+)', body)
        return int(m.group(1)) if m else 0
    if (f in _NDJSON or f.startswith("jsoncompacteachrow") or f.startswith("tabseparated")
            or f.startswith("tsv") or f.startswith("csv") or f == "raw"):
        return max(0, body.count(b"\n") - header_lines_for(f))
    return 0


# ---------------------------------------------------------------------------
# A small SQL lexer: enough to find the statement kind, a top-level FORMAT
# clause, top-level LIMIT and multi-statement bodies without being fooled by
# string literals, quoted identifiers or comments.

class SqlError(Exception):
    def __init__(self, code: int, name: str, message: str):
        super().__init__(message)
        self.code = code
        self.name = name
        self.message = message


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def lex(sql: str):
    """Yield (kind, text, start, end, depth). kind: word, punct, other."""
    i, n, depth = 0, len(sql), 0
    while i < n:
        c = sql[i]
        if c.isspace():
            i += 1
            continue
        if sql.startswith("--", i) or (c == "#" and (i + 1 == n or sql[i + 1] in " !")):
            j = sql.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        if c in "'\"`":
            j = i + 1
            while j < n:
                if sql[j] == "\\":
                    j += 2
                    continue
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            yield ("other", sql[i:j + 1], i, min(j + 1, n), depth)
            i = j + 1
            continue
        if c == "$":
            m = re.match(r"\$([A-Za-z0-9_]*)\$", sql[i:])
            if m:
                tag = m.group(0)
                j = sql.find(tag, i + len(tag))
                end = n if j < 0 else j + len(tag)
                yield ("other", sql[i:end], i, end, depth)
                i = end
                continue
        m = _WORD.match(sql, i)
        if m:
            yield ("word", m.group(0), i, m.end(), depth)
            i = m.end()
            continue
        if c in "([{":
            yield ("punct", c, i, i + 1, depth)
            depth += 1
            i += 1
            continue
        if c in ")]}":
            depth = max(0, depth - 1)
            yield ("punct", c, i, i + 1, depth)
            i += 1
            continue
        yield ("punct" if c in ";," else "other", c, i, i + 1, depth)
        i += 1


READ_ONLY_KINDS = {"SELECT", "WITH", "FROM", "(", "DESCRIBE", "DESC", "SHOW", "EXISTS", "EXPLAIN"}
WRAPPABLE_KINDS = {"SELECT", "WITH", "FROM", "("}


def analyse(sql: str):
    """Return (kind, sql_without_format_and_semicolons, format_or_None, has_top_limit,
    settings_start) -- settings_start is the offset in the returned SQL of a top-level
    trailing `SETTINGS name = ...` clause, or None."""
    toks = list(lex(sql))
    if not toks:
        raise SqlError(62, "SYNTAX_ERROR", "Empty query")
    # statement separators
    semis = [k for k, t in enumerate(toks) if t[0] == "punct" and t[1] == ";" and t[4] == 0]
    if semis:
        first = semis[0]
        if any(not (t[0] == "punct" and t[1] == ";") for t in toks[first + 1:]):
            pos = toks[first][2]
            raise SqlError(
                62, "SYNTAX_ERROR",
                "Syntax error (Multi-statements are not allowed): failed at position %d (end of query): %s"
                % (pos + 1, sql[pos:pos + 40]))
        toks = toks[:first]
        if not toks:
            raise SqlError(62, "SYNTAX_ERROR", "Empty query")
    kind = toks[0][1].upper() if toks[0][0] == "word" else toks[0][1]
    for k in range(len(toks) - 1):
        if (toks[k][4] == 0 and toks[k][0] == "word" and toks[k][1].upper() == "INTO"
                and toks[k + 1][0] == "word" and toks[k + 1][1].upper() == "OUTFILE"):
            raise SqlError(486, "INTO_OUTFILE_NOT_ALLOWED", "INTO OUTFILE is not allowed")
    fmt = None
    cut = None
    for k, t in enumerate(toks):
        if t[4] != 0 or t[0] != "word" or t[1].upper() != "FORMAT" or k == 0:
            continue
        if k + 1 >= len(toks) or toks[k + 1][0] not in ("word", "other"):
            continue
        rest = toks[k + 2:]
        if rest and not (rest[0][0] == "word" and rest[0][1].upper() == "SETTINGS"):
            continue
        name = toks[k + 1][1]
        if name[:1] in "`\"'":
            name = name[1:-1]
        fmt = name
        cut = (t[2], toks[k + 1][3])
        break
    end = toks[-1][3]
    body = sql[:end]
    if cut:
        body = body[:cut[0]] + body[cut[1]:]
    has_limit = any(t[4] == 0 and t[0] == "word" and t[1].upper() == "LIMIT" for t in toks)
    settings_start = None
    for k, t in enumerate(toks):
        if (k > 0 and t[4] == 0 and t[0] == "word" and t[1].upper() == "SETTINGS"
                and k + 2 < len(toks) and toks[k + 1][0] == "word" and toks[k + 2][1] == "="):
            settings_start = t[2]
    if settings_start is not None and cut and cut[0] < settings_start:
        settings_start -= cut[1] - cut[0]
    return kind, body, fmt, has_limit, settings_start


# ---------------------------------------------------------------------------
# The database

class FakeClickHouse:
    def __init__(self, args, fixture):
        import chdb  # noqa: F401  (fail early with a clear message if missing)
        from chdb import session as chdb_session

        self.args = args
        self.lock = threading.Lock()
        self.tmpdir = tempfile.mkdtemp(prefix="clickhouse-fake-")
        self.session = chdb_session.Session(os.path.join(self.tmpdir, "db"))
        self.version = self._q("SELECT version()", "TabSeparated").bytes().decode().strip()
        self._q("SET session_timezone = 'UTC'")
        self._q("SET implicit_select = 0")  # chdb (like clickhouse-local) turns it on; servers don't
        self._load(fixture)
        if args.max_result_rows > 0:
            self._q("SET max_result_rows = %d" % args.max_result_rows)
        if args.max_result_bytes > 0:
            self._q("SET max_result_bytes = %d" % args.max_result_bytes)
        self._q("SET result_overflow_mode = 'break'")
        self._q("SET output_format_json_quote_64bit_integers = %d" % (1 if args.quote_64bit_integers else 0))
        self._q("SET readonly = 1")

    def _q(self, sql, fmt="TabSeparated", params=None):
        if params:
            return self.session.query(sql, fmt, params=params)
        return self.session.query(sql, fmt)

    def _load(self, fixture):
        self._q("CREATE DATABASE IF NOT EXISTS pypi")
        keys = {"projects": "projects", "pypi_downloads_per_day": "downloads"}
        for table, (columns, engine) in TABLES.items():
            cols = ", ".join("`%s` %s" % c for c in columns)
            self._q("CREATE TABLE pypi.%s (%s) ENGINE = %s" % (table, cols, engine))
            rows = fixture.get(keys[table]) or []
            if not rows:
                continue
            path = os.path.join(self.tmpdir, table + ".jsonl")
            with open(path, "w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(json.dumps(row, ensure_ascii=False))
                    fh.write("\n")
            structure = ", ".join("%s %s" % c for c in columns).replace("'", "\\'")
            self._q(
                "INSERT INTO pypi.%s SELECT * FROM file('%s', 'JSONEachRow', '%s') "
                "SETTINGS input_format_skip_unknown_fields = 1, date_time_input_format = 'best_effort', "
                "input_format_null_as_default = 1, input_format_defaults_for_omitted_fields = 1, "
                "optimize_on_insert = 0"
                % (table, path.replace("\\", "\\\\").replace("'", "\\'"), structure))
            os.unlink(path)

    def check_syntax(self, sql):
        self._q("SELECT formatQuery({q:String})", "TabSeparatedRaw", params={"q": sql})

    def setting_value(self, name):
        r = self._q("SELECT value FROM system.settings WHERE name = {n:String}", "TabSeparatedRaw",
                    params={"n": name}).bytes().decode()
        return None if r == "" else r.rstrip("\n")

    def execute(self, sql, fmt, params, database, wrap, settings_start=None):
        """Run under the lock. Returns (body bytes, rows_read, bytes_read, elapsed_s)."""
        with self.lock:
            self._q("USE `%s`" % database.replace("\\", "\\\\").replace("`", "\\`"))
            result = None
            if wrap:
                # A trailing SETTINGS clause is hoisted out of the wrapper so that it still
                # applies to (and is checked against readonly for) the whole query.
                inner, clause = sql, ""
                if settings_start is not None:
                    inner, clause = sql[:settings_start], sql[settings_start:]
                try:
                    result = self._q("SELECT * FROM (\n%s\n) LIMIT %d %s"
                                     % (inner, self.args.max_result_rows, clause), fmt, params)
                except Exception:
                    result = None  # re-run unwrapped: the error must be the user's query's own
            if result is None:
                result = self._q(sql, fmt, params)
            return result.bytes(), result.rows_read(), result.bytes_read(), result.elapsed()

    def close(self):
        try:
            self.session.close()
        except Exception:
            pass
        shutil.rmtree(self.tmpdir, ignore_errors=True)


_CODE_RE = re.compile(r"Code: (\d+)\. DB::Exception: ")
_NAME_RE = re.compile(r"\(([A-Z][A-Z0-9_]+)\)\s*$")
_NESTED_RE = re.compile(r"^Code: (\d+)\. DB::Exception: (Code: \1\. DB::Exception: .*?)(?: \(version [^()]*(?:\([^()]*\))?[^()]*\))?\. \([A-Z0-9_]+\)\s*$", re.S)


def parse_chdb_error(text: str):
    text = text.strip()
    while True:  # chdb wraps some exceptions in copies of themselves
        m = _NESTED_RE.match(text)
        if not m:
            break
        text = m.group(2)
    code_m = _CODE_RE.search(text)
    name_m = _NAME_RE.search(text)
    code = int(code_m.group(1)) if code_m else 1001
    name = name_m.group(1) if name_m else "STD_EXCEPTION"
    if code_m:
        message = text[code_m.end():]
    else:
        message = text
    message = re.sub(r"\s*\(version [^()]*(\([^()]*\))?\)\s*$", "", message)
    message = _NAME_RE.sub("", message).rstrip()
    return code, name, message


# ---------------------------------------------------------------------------
# HTTP

class Stats:
    def __init__(self, fail_first):
        self.lock = threading.Lock()
        self.reset(fail_first)

    def reset(self, fail_first=0):
        with getattr(self, "lock", threading.Lock()):
            self.queries = 0
            self.ok = 0
            self.errors = 0
            self.injected = 0
            self.fail_remaining = fail_first
            self.last = collections.deque(maxlen=50)

    def snapshot(self):
        with self.lock:
            return {
                "queries": self.queries,
                "ok": self.ok,
                "errors": self.errors,
                "injected_failures": self.injected,
                "fail_first_remaining": self.fail_remaining,
                "last_queries": list(self.last),
            }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ClickHouse"
    sys_version = ""

    # set on the class by main()
    db: FakeClickHouse = None
    stats: Stats = None
    args = None

    def log_message(self, fmt, *a):
        if self.args.verbose:
            sys.stderr.write("clickhouse_fake: %s - %s\n" % (self.address_string(), fmt % a))

    # -- plumbing ---------------------------------------------------------
    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = bytearray()
            while True:
                line = self.rfile.readline()
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                data += self.rfile.read(size)
                self.rfile.readline()
            body = bytes(data)
        else:
            body = self.rfile.read(int(length)) if length else b""
        enc = (self.headers.get("Content-Encoding") or "").lower().strip()
        if enc == "gzip":
            body = gzip.decompress(body)
        elif enc == "deflate":
            body = zlib.decompress(body)
        return body

    def _send(self, status, body: bytes, content_type, extra=None, compress_ok=True):
        headers = dict(extra or {})
        accept = (self.headers.get("Accept-Encoding") or "").lower()
        if compress_ok and not self.args.no_compression and body:
            if "gzip" in accept:
                body = gzip.compress(body, compresslevel=3)
                headers["Content-Encoding"] = "gzip"
            elif "deflate" in accept:
                body = zlib.compress(body, 3)
                headers["Content-Encoding"] = "deflate"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-ClickHouse-Server-Display-Name", "clickhouse-fake")
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_exception(self, status, code, name, message, query_id, extra=None):
        text = "Code: %d. DB::Exception: %s. (%s) (version %s (official build))\n" % (
            code, message.rstrip().rstrip("."), name, self.db.version)
        headers = {"X-ClickHouse-Exception-Code": str(code), "X-ClickHouse-Query-Id": query_id,
                   "X-ClickHouse-Timezone": "UTC"}
        headers.update(extra or {})
        self._send(status, text.encode("utf-8"), "text/plain; charset=UTF-8", headers)

    def _json(self, status, obj):
        self._send(status, (json.dumps(obj, indent=1) + "\n").encode(), "application/json; charset=UTF-8",
                   compress_ok=False)

    # -- verbs --------------------------------------------------------------
    def do_GET(self):
        self._dispatch(b"")

    def do_HEAD(self):
        self._dispatch(b"")

    def do_POST(self):
        try:
            body = self._read_body()
        except Exception as e:  # noqa: BLE001
            self._send(400, ("Code: 27. DB::Exception: Cannot read request body: %s. (CANNOT_PARSE_INPUT_ASSERTION_FAILED)\n" % e).encode(),
                       "text/plain; charset=UTF-8")
            return
        self._dispatch(body)

    def _dispatch(self, body: bytes):
        url = urlsplit(self.path)
        path = url.path
        if path == "/_fake/stats":
            self._json(200, self.stats.snapshot())
            return
        if path == "/_fake/reset":
            q = dict(parse_qsl(url.query))
            self.stats.reset(int(q.get("fail_first", "0") or 0))
            self._json(200, {"reset": True})
            return
        if path in ("/ping", "/replicas_status"):
            self._send(200, b"Ok.\n", "text/html; charset=UTF-8", compress_ok=False)
            return
        if path not in ("/", ""):
            self._send(404, b"There is no handle " + path.encode() + b"\n\nUse / or /ping for health checks.\n",
                       "text/plain; charset=UTF-8", compress_ok=False)
            return
        pairs = parse_qsl(url.query, keep_blank_values=True)
        params = dict(pairs)
        sql_parts = []
        if "query" in params:
            sql_parts.append(params["query"])
        if body:
            sql_parts.append(body.decode("utf-8", errors="replace"))
        if not sql_parts:
            self._send(200, b"Ok.\n", "text/html; charset=UTF-8", compress_ok=False)
            return
        self._run_query("\n".join(sql_parts), params)

    def _run_query(self, sql, params):
        args = self.args
        query_id = params.get("query_id") or str(uuid.uuid4())
        qparams = {k[len("param_"):]: v for k, v in params.items() if k.startswith("param_")}
        settings = {k: v for k, v in params.items()
                    if not k.startswith("param_") and k not in RESERVED_PARAMS}
        database = self.headers.get("X-ClickHouse-Database") or params.get("database") or "default"
        default_format = self.headers.get("X-ClickHouse-Format") or params.get("default_format") or "TabSeparated"

        # credentials
        h_user = self.headers.get("X-ClickHouse-User")
        h_key = self.headers.get("X-ClickHouse-Key")
        b_user = b_pass = None
        auth = self.headers.get("Authorization") or ""
        if auth.lower().startswith("basic "):
            try:
                b_user, _, b_pass = base64.b64decode(auth[6:].strip()).decode("utf-8").partition(":")
            except Exception:  # noqa: BLE001
                b_user, b_pass = "", ""
        user = h_user if h_user is not None else params.get("user", b_user if b_user is not None else "default")
        password = h_key if h_key is not None else params.get("password", b_pass if b_pass is not None else "")

        entry = {"sql": sql, "params": qparams, "settings": settings, "database": database,
                 "format": None, "user": user, "status": None, "exception_code": None,
                 "result_rows": None, "query_id": query_id}
        with self.stats.lock:
            self.stats.queries += 1
            entry["n"] = self.stats.queries
            self.stats.last.append(entry)

        def fail(status, code, name, message, extra=None):
            entry["status"] = status
            entry["exception_code"] = code
            with self.stats.lock:
                self.stats.errors += 1
            self._send_exception(status, code, name, message, query_id, extra)

        mixed = (h_user is not None or h_key is not None) and (
            "user" in params or "password" in params or b_user is not None)
        if mixed:
            fail(args.auth_failure_status, 516, "AUTHENTICATION_FAILED",
                 "Invalid authentication: it is not allowed to use X-ClickHouse HTTP headers and other "
                 "authentication methods simultaneously")
            return
        if user != args.user or password != args.password:
            fail(args.auth_failure_status, 516, "AUTHENTICATION_FAILED",
                 "%s: Authentication failed: password is incorrect, or there is no user with such name" % user)
            return

        with self.stats.lock:
            inject = self.stats.fail_remaining > 0
            if inject:
                self.stats.fail_remaining -= 1
                self.stats.injected += 1
        if inject:
            entry["injected"] = True
            fail(args.fail_status, 202, "TOO_MANY_SIMULTANEOUS_QUERIES",
                 "Too many simultaneous queries. Maximum: 100")
            return

        try:
            kind, stripped, fmt, has_limit, settings_start = analyse(sql)
        except SqlError as e:
            fail(HTTP_STATUS_BY_ERROR.get(e.name, 500), e.code, e.name, e.message)
            return
        fmt = fmt or default_format
        entry["format"] = fmt
        if kind not in READ_ONLY_KINDS:
            # ClickHouse parses before it checks readonly: a syntax error wins.
            try:
                with self.db.lock:
                    self.db.check_syntax(stripped)
            except Exception as e:  # noqa: BLE001
                code, ename, msg = parse_chdb_error(str(e))
                msg = re.sub(r"\s*:?\s*In scope SELECT formatQuery\(.*$", "", msg, flags=re.S)
                fail(HTTP_STATUS_BY_ERROR.get(ename, 500), code, ename, msg)
                return
            fail(500, 164, "READONLY", "%s: Cannot execute query in readonly mode" % user)
            return

        # settings passed as URL parameters: readonly = 1 forbids changing any
        for name, value in settings.items():
            try:
                with self.db.lock:
                    current = self.db.setting_value(name)
            except Exception as e:  # noqa: BLE001
                code, ename, msg = parse_chdb_error(str(e))
                fail(HTTP_STATUS_BY_ERROR.get(ename, 500), code, ename, msg)
                return
            if current is None:
                fail(404, 115, "UNKNOWN_SETTING", "Unknown setting '%s'" % name)
                return
            if current != value:
                fail(500, 164, "READONLY", "Cannot modify '%s' setting in readonly mode" % name)
                return

        wrap = (args.truncation == "exact" and args.max_result_rows > 0 and kind in WRAPPABLE_KINDS)
        start = time.monotonic()
        try:
            out, rows_read, bytes_read, _elapsed = self.db.execute(stripped, fmt, qparams, database, wrap,
                                                                   settings_start)
        except Exception as e:  # noqa: BLE001
            code, ename, msg = parse_chdb_error(str(e))
            msg = msg.replace("default: Cannot execute query in readonly mode",
                              "%s: Cannot execute query in readonly mode" % user)
            fail(HTTP_STATUS_BY_ERROR.get(ename, 500), code, ename, msg)
            return
        elapsed_ns = int((time.monotonic() - start) * 1e9)
        if wrap and not has_limit and fmt.lower() in _JSON:
            out = re.sub(rb'\t"rows_before_limit_at_least": \d+,\n\n', b"", out, count=1)
            out = re.sub(rb',?\s*"rows_before_limit_at_least":\s*\d+', b"", out, count=1)
        result_rows = count_result_rows(fmt, out)
        entry["status"] = 200
        entry["result_rows"] = result_rows
        with self.stats.lock:
            self.stats.ok += 1
        summary = {
            "read_rows": str(rows_read), "read_bytes": str(bytes_read),
            "written_rows": "0", "written_bytes": "0",
            "total_rows_to_read": str(rows_read),
            "result_rows": str(result_rows), "result_bytes": str(len(out)),
            "elapsed_ns": str(elapsed_ns),
        }
        self._send(200, out, content_type_for(fmt), {
            "X-ClickHouse-Query-Id": query_id,
            "X-ClickHouse-Format": fmt,
            "X-ClickHouse-Timezone": "UTC",
            "X-ClickHouse-Summary": json.dumps(summary, separators=(",", ":")),
        })


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv=None):
    # Keep stdout for the single LISTENING line; everything else goes to stderr.
    real_stdout = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--data", help="fixture JSON file")
    ap.add_argument("--user", default=None, help="accepted user (default: demo)")
    ap.add_argument("--password", default=None, help="accepted password (default: empty)")
    ap.add_argument("--max-result-rows", type=int, default=None, help="default 1000; 0 = unlimited")
    ap.add_argument("--max-result-bytes", type=int, default=None, help="default 10000000; 0 = unlimited")
    ap.add_argument("--truncation", choices=("exact", "block"), default=None,
                    help="exact (default): cut at max_result_rows; block: chdb/ClickHouse block granularity")
    ap.add_argument("--fail-first", type=int, default=None, help="answer the first N queries with an overload error")
    ap.add_argument("--fail-status", type=int, default=None, help="HTTP status for --fail-first (default 503)")
    ap.add_argument("--auth-failure-status", type=int, default=None, help="HTTP status for code 516 (default 403)")
    ap.add_argument("--quote-64bit-integers", action="store_true", default=None)
    ap.add_argument("--no-compression", action="store_true", default=None)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)

    fixture = {}
    if args.data:
        with open(args.data, encoding="utf-8") as fh:
            fixture = json.load(fh)
    defaults = {"user": "demo", "password": "", "max_result_rows": 1000, "max_result_bytes": 10_000_000,
                "truncation": "exact", "fail_first": 0, "fail_status": 503, "auth_failure_status": 403,
                "quote_64bit_integers": False, "no_compression": False}
    fake_cfg = fixture.get("fake") or {}
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, fake_cfg.get(key, value))

    t0 = time.monotonic()
    db = FakeClickHouse(args, fixture)
    Handler.db = db
    Handler.stats = Stats(args.fail_first)
    Handler.args = args
    server = Server(("127.0.0.1", args.port), Handler)
    port = server.server_address[1]

    def stop(_signum, _frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stderr.write("clickhouse_fake: chdb %s, %d projects, %d download rows, ready in %.2fs on 127.0.0.1:%d\n" % (
        db.version, len(fixture.get("projects") or []), len(fixture.get("downloads") or []),
        time.monotonic() - t0, port))
    real_stdout.write("LISTENING %d\n" % port)
    real_stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
