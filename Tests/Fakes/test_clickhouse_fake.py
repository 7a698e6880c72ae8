#!/usr/bin/env python3
"""Self-check for clickhouse_fake.py (needs `pip install chdb`).

    python3 Tests/Fakes/test_clickhouse_fake.py

Starts the fake on a temporary fixture of 2,500 projects (+1 with a quote in
its name) and checks truncation, keyset pagination, parameter binding, the
downloads table, errors, read-only refusal, auth, fault injection and the
stats endpoint. Exits 0 on success.
"""

import base64
import gzip
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "clickhouse_fake.py")
N_PROJECTS = 2500
DJANGO = "Framework :: Django"
QUOTED = "o'reilly-pkg"


def make_fixture(path, n=N_PROJECTS):
    projects, downloads = [], []
    for i in range(n):
        classifiers = ["Programming Language :: Python :: 3"]
        if i % 2 == 0:
            classifiers.append("Framework :: Django :: 4.2")
        projects.append({"name": "pkg-%05d" % i, "version": "1.%d" % i, "summary": "package %d" % i,
                         "classifiers": classifiers, "requires_dist": ["requests>=2"],
                         "upload_time": "2025-03-04T05:06:07Z"})
    projects.append({"name": QUOTED, "classifiers": [DJANGO], "requires_dist": []})
    for i in range(0, n, 5):
        for day in (1, 2, 3):
            downloads.append({"date": "2026-11-%02d" % day, "project": "pkg-%05d" % i, "count": i + day})
    # a duplicate (project, date) row, as an unmerged SummingMergeTree part would hold
    downloads.append({"date": "2026-11-01", "project": "pkg-00000", "count": 100})
    downloads.append({"date": "2026-11-01", "project": QUOTED, "count": 7})
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"projects": projects, "downloads": downloads}, fh)
    django = sorted([p["name"] for p in projects if any(c.startswith(DJANGO) for c in p["classifiers"])])
    return django


class FakeProcess:
    def __init__(self, data, *extra):
        self.proc = subprocess.Popen(
            [sys.executable, FAKE, "--port", "0", "--data", data] + list(extra),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = [None]
        reader = threading.Thread(target=lambda: line.__setitem__(0, self.proc.stdout.readline()))
        reader.start()
        reader.join(120)
        if not line[0] or not line[0].startswith("LISTENING "):
            self.proc.kill()
            raise RuntimeError("fake did not start: %r %s" % (line[0], self.proc.stderr.read()))
        self.port = int(line[0].split()[1])
        # drain stderr so the pipe never fills
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        try:
            for _ in self.proc.stderr:
                pass
        except ValueError:  # closed by stop()
            pass

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(20)
        finally:
            self.proc.stdout.close()
            self.proc.stderr.close()

    def request(self, sql=None, params=None, url_params=None, user="demo", password=None,
                headers=None, method="POST", path="/"):
        q = dict(url_params or {})
        for k, v in (params or {}).items():
            q["param_" + k] = v
        hdrs = dict(headers or {})
        if user is not None:
            hdrs.setdefault("X-ClickHouse-User", user)
        if password is not None:
            hdrs["X-ClickHouse-Key"] = password
        data = None
        if method == "GET":
            if sql is not None:
                q["query"] = sql
        elif sql is not None:
            data = sql.encode("utf-8")
        url = "http://127.0.0.1:%d%s" % (self.port, path)
        if q:
            url += "?" + urllib.parse.urlencode(q, quote_via=urllib.parse.quote)
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()


def ndjson(body):
    return [json.loads(line) for line in body.decode("utf-8").splitlines() if line]


class ClickHouseFakeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="chfake-test-")
        cls.data = os.path.join(cls.tmp, "fixture.json")
        cls.django = make_fixture(cls.data)
        t0 = time.monotonic()
        cls.fake = FakeProcess(cls.data)
        cls.startup = time.monotonic() - t0

    @classmethod
    def tearDownClass(cls):
        rc = cls.fake.stop()
        assert rc == 0, "fake exited with %r on SIGTERM" % rc

    def q(self, *a, **kw):
        return self.fake.request(*a, **kw)

    CLASSIFIER_SQL = ("SELECT name FROM pypi.projects "
                      "WHERE arrayExists(c -> startsWith(c, {p:String}), classifiers) "
                      "ORDER BY name FORMAT JSONEachRow")

    def test_01_truncated_at_max_result_rows(self):
        self.assertGreater(len(self.django), 1000)
        status, headers, body = self.q(self.CLASSIFIER_SQL, params={"p": DJANGO})
        self.assertEqual(status, 200, body)
        names = [r["name"] for r in ndjson(body)]
        self.assertEqual(len(names), 1000)  # silently truncated
        self.assertEqual(names, self.django[:1000])
        self.assertEqual(headers["Content-Type"], "application/x-ndjson; charset=UTF-8")
        self.assertEqual(headers["X-ClickHouse-Format"], "JSONEachRow")
        summary = json.loads(headers["X-ClickHouse-Summary"])
        self.assertEqual(summary["result_rows"], "1000")

    def test_02_keyset_pagination_gets_everything(self):
        sql = ("SELECT name FROM pypi.projects "
               "WHERE arrayExists(c -> startsWith(c, {p:String}), classifiers) AND name > {after:String} "
               "ORDER BY name LIMIT 900 FORMAT JSONEachRow")
        got, after, pages = [], "", 0
        while True:
            status, _, body = self.q(sql, params={"p": DJANGO, "after": after})
            self.assertEqual(status, 200, body)
            page = [r["name"] for r in ndjson(body)]
            got += page
            pages += 1
            if len(page) < 900:
                break
            after = page[-1]
        self.assertEqual(got, self.django)
        self.assertEqual(pages, 2)

    def test_03_quote_in_parameter_round_trips(self):
        sql = "SELECT name, classifiers FROM pypi.projects WHERE name = {n:String} FORMAT JSONEachRow"
        for method in ("POST", "GET"):
            status, _, body = self.q(sql, params={"n": QUOTED}, method=method)
            self.assertEqual(status, 200, body)
            self.assertEqual(ndjson(body), [{"name": QUOTED, "classifiers": [DJANGO]}])
        status, _, body = self.fake.request(path="/_fake/stats", method="GET", user=None)
        last = json.loads(body)["last_queries"][-1]
        self.assertEqual(last["params"], {"n": QUOTED})
        self.assertIn("{n:String}", last["sql"])
        self.assertNotIn("reilly", last["sql"])  # bound, not pasted

    def test_04_downloads_sum_with_array_parameter(self):
        sql = ("SELECT project, sum(count) AS total FROM pypi.pypi_downloads_per_day "
               "WHERE project IN {names:Array(String)} GROUP BY project ORDER BY project FORMAT JSONEachRow")
        names = "['pkg-00000','pkg-00005','pkg-00001','o\\'reilly-pkg']"
        status, _, body = self.q(sql, params={"names": names})
        self.assertEqual(status, 200, body)
        rows = {r["project"]: int(r["total"]) for r in ndjson(body)}
        self.assertEqual(rows, {"o'reilly-pkg": 7, "pkg-00000": 6 + 100, "pkg-00005": 6 + 7 + 8})
        # the duplicate (project, date) row is still a separate row: sum(count) is required
        status, _, body = self.q("SELECT count() FROM pypi.pypi_downloads_per_day "
                                 "WHERE project = 'pkg-00000' AND date = '2026-11-01'")
        self.assertEqual(body.strip(), b"2")

    def test_05_bad_sql(self):
        status, headers, body = self.q("SELEC name FROM pypi.projects")
        self.assertEqual(status, 400)
        self.assertTrue(body.startswith(b"Code: 62. DB::Exception: Syntax error"), body)
        self.assertIn(b"(SYNTAX_ERROR)", body)
        self.assertEqual(headers["X-ClickHouse-Exception-Code"], "62")
        status, headers, body = self.q("SELECT nope FROM pypi.projects")
        self.assertIn(status, (400, 404))
        self.assertTrue(body.startswith(b"Code: "), body)
        status, _, body = self.q("SELECT 1 FROM pypi.no_such_table")
        self.assertEqual(status, 404)
        self.assertIn(b"Code: 60.", body)
        status, _, body = self.q("SELECT 1; SELECT 2")
        self.assertEqual(status, 400)
        self.assertIn(b"Multi-statements are not allowed", body)

    def test_06_write_refused(self):
        for sql in ("INSERT INTO pypi.projects (name) VALUES ('x')", "DROP TABLE pypi.projects",
                    "SET max_result_rows = 0"):
            status, _, body = self.q(sql)
            self.assertEqual(status, 500, sql)
            self.assertTrue(body.startswith(b"Code: 164. DB::Exception:"), body)
            self.assertIn(b"(READONLY)", body)
        status, _, body = self.q("SELECT 1 SETTINGS max_result_rows = 0")
        self.assertEqual(status, 500)
        self.assertIn(b"Code: 164.", body)
        status, _, body = self.q("SELECT 1", url_params={"max_result_rows": "5000"})
        self.assertEqual(status, 500)
        self.assertIn(b"Cannot modify 'max_result_rows' setting in readonly mode", body)
        status, _, body = self.q("SELECT 1 INTO OUTFILE '/tmp/clickhouse_fake_must_not_exist'")
        self.assertEqual(status, 500)
        self.assertIn(b"Code: 486.", body)
        self.assertFalse(os.path.exists("/tmp/clickhouse_fake_must_not_exist"))
        status, _, body = self.q("SELECT count() FROM pypi.projects")
        self.assertEqual(body.strip(), str(N_PROJECTS + 1).encode())

    def test_07_wrong_user_refused(self):
        status, headers, body = self.q("SELECT 1", user="nobody")
        self.assertEqual(status, 403)
        self.assertEqual(body.decode().split(" (version")[0],
                         "Code: 516. DB::Exception: nobody: Authentication failed: password is incorrect, "
                         "or there is no user with such name. (AUTHENTICATION_FAILED)")
        self.assertEqual(headers["X-ClickHouse-Exception-Code"], "516")
        status, _, _ = self.q("SELECT 1", password="wrong")
        self.assertEqual(status, 403)
        status, _, body = self.q("SELECT 1", user=None, url_params={"user": "demo"})
        self.assertEqual((status, body), (200, b"1\n"))
        basic = base64.b64encode(b"demo:").decode()
        status, _, body = self.q("SELECT 2", user=None, headers={"Authorization": "Basic " + basic})
        self.assertEqual((status, body), (200, b"2\n"))
        status, _, _ = self.q("SELECT 1", user=None)  # no credentials -> user 'default'
        self.assertEqual(status, 403)

    def test_08_formats(self):
        base = "SELECT name, version FROM pypi.projects WHERE name IN ('pkg-00001', 'pkg-00002') ORDER BY name"
        cases = {
            "TabSeparated": ("text/tab-separated-values; charset=UTF-8", b"pkg-00001\t1.1\npkg-00002\t1.2\n"),
            "TSVWithNames": ("text/tab-separated-values; charset=UTF-8",
                             b"name\tversion\npkg-00001\t1.1\npkg-00002\t1.2\n"),
            "CSV": ("text/csv; charset=UTF-8; header=absent", b'"pkg-00001","1.1"\n"pkg-00002","1.2"\n'),
        }
        for fmt, (ctype, expected) in cases.items():
            status, headers, body = self.q(base + " FORMAT " + fmt)
            self.assertEqual((status, body), (200, expected), fmt)
            self.assertEqual(headers["Content-Type"], ctype, fmt)
        status, headers, body = self.q(base, url_params={"default_format": "JSONCompact"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/json; charset=UTF-8")
        self.assertEqual(json.loads(body)["data"], [["pkg-00001", "1.1"], ["pkg-00002", "1.2"]])
        # JSON of a truncated result: exactly 1000 rows, no hint of the total
        status, headers, body = self.q("SELECT name FROM pypi.projects ORDER BY name FORMAT JSON")
        doc = json.loads(body)
        self.assertEqual((doc["rows"], len(doc["data"])), (1000, 1000))
        self.assertNotIn("rows_before_limit_at_least", doc)
        self.assertEqual(doc["meta"], [{"name": "name", "type": "String"}])
        # default format is TabSeparated; gzip when asked for
        status, headers, body = self.q("SELECT 42", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(headers.get("Content-Encoding"), "gzip")
        self.assertEqual(gzip.decompress(body), b"42\n")
        status, _, body = self.q("DESCRIBE TABLE pypi.pypi_downloads_per_day FORMAT JSONEachRow")
        self.assertEqual([(r["name"], r["type"]) for r in ndjson(body)],
                         [("date", "Date"), ("project", "String"), ("count", "Int64")])

    def test_09_stats_count_queries(self):
        status, _, _ = self.fake.request(path="/_fake/reset", method="POST", user=None)
        self.assertEqual(status, 200)
        for i in range(3):
            self.q("SELECT {i:UInt8}", params={"i": str(i)})
        self.q("SELECT 1", user="nobody")
        status, _, body = self.fake.request(path="/_fake/stats", method="GET", user=None)
        stats = json.loads(body)
        self.assertEqual(stats["queries"], 4)
        self.assertEqual((stats["ok"], stats["errors"]), (3, 1))
        self.assertEqual([q["params"] for q in stats["last_queries"][:3]], [{"i": "0"}, {"i": "1"}, {"i": "2"}])
        self.assertEqual(stats["last_queries"][3]["status"], 403)

    def test_10_fail_first(self):
        small = os.path.join(self.tmp, "small.json")
        make_fixture(small, n=10)
        fake = FakeProcess(small, "--fail-first", "2")
        try:
            statuses = []
            for _ in range(3):
                status, headers, body = fake.request("SELECT count() FROM pypi.projects")
                statuses.append(status)
                if status == 503:
                    self.assertTrue(body.startswith(b"Code: 202. DB::Exception: Too many simultaneous queries."),
                                    body)
                    self.assertIn(b"(TOO_MANY_SIMULTANEOUS_QUERIES)", body)
                else:
                    self.assertEqual(body, b"11\n")
            self.assertEqual(statuses, [503, 503, 200])
            stats = json.loads(fake.request(path="/_fake/stats", method="GET", user=None)[2])
            self.assertEqual((stats["queries"], stats["injected_failures"]), (3, 2))
        finally:
            self.assertEqual(fake.stop(), 0)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    print("startup with %d projects: %.2fs" % (N_PROJECTS + 1, ClickHouseFakeTest.startup))
    n_fail = len(result.failures) + len(result.errors)
    print("%d passed, %d failed" % (result.testsRun - n_fail, n_fail))
    sys.exit(0 if result.wasSuccessful() else 1)
