#!/usr/bin/env python3
"""Self-check for github_fake.py (needs `pip install graphql-core`).

    python3 Tests/Fakes/test_github_fake.py

Starts the fake on a small fixture and checks what Trawl's GitHub tests rely on:
REST answers with ETags (a 304 costs nothing), rate-limit headers and the REST
budget, 301 renames, 404s, the search cap, contents listings, GraphQL executed
against the schema (a malformed query fails as on GitHub, HTTP 200 with
`errors`), the point cost of aliased queries, RATE_LIMITED when the budget is
gone, 401 without the token, the secondary limit, and the stats/config routes.
Exits 0 on success.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "github_fake.py")
TOKEN = "ghp_test_token"


def repo(owner, name, **extra):
    r = {"owner": owner, "name": name, "stars": 10, "watchers": 5, "forks": 2, "open_issues": 1, "open_prs": 1,
         "topics": ["flet"], "created_at": "2022-01-01T00:00:00Z", "pushed_at": "2026-10-01T12:00:00Z"}
    r.update(extra)
    return r


FIXTURE = {
    "token": TOKEN,
    "graphql_points": 3,
    "rest_limit": 5,
    "search_cap": 4,
    "repos": [
        repo("flet-dev", "flet", stars=12000, readme="# Flet", files={"sdk/python/packages/flet-map/pyproject.toml": "x"}),
        repo("newowner", "newname", renamed_from=["oldowner/oldname"]),
    ] + [repo("dev", "flet-thing%02d" % i, created_at="2023-01-%02dT00:00:00Z" % (i + 1)) for i in range(6)],
}


class Fake:
    def __init__(self, fixture):
        self.tmp = tempfile.mkdtemp(prefix="trawl-gh-test-")
        data = os.path.join(self.tmp, "fixture.json")
        with open(data, "w") as fh:
            json.dump(fixture, fh)
        self.proc = subprocess.Popen([sys.executable, FAKE, "--port", "0", "--data", data],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = [None]
        reader = threading.Thread(target=lambda: line.__setitem__(0, self.proc.stdout.readline()))
        reader.start()
        reader.join(60)
        if not line[0] or not line[0].startswith("LISTENING "):
            self.proc.kill()
            raise RuntimeError("fake did not start: %r" % line[0])
        self.port = int(line[0].split()[1])

    def stop(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(20)
        self.proc.stdout.close()

    def request(self, path, method="GET", body=None, headers=None, token=TOKEN):
        hdrs = dict(headers or {})
        if token:
            hdrs["Authorization"] = "Bearer " + token
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path), data=data, method=method, headers=hdrs)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(req, timeout=30) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def graphql(self, query, token=TOKEN):
        status, headers, body = self.request("/graphql", "POST", {"query": query}, token=token)
        return status, headers, json.loads(body)

    def stats(self):
        return json.loads(self.request("/_fake/stats", token=None)[2])


class GitHubFakeTest(unittest.TestCase):
    def setUp(self):
        self.fake = Fake(FIXTURE)

    def tearDown(self):
        self.fake.stop()

    def test_rest_etag_and_budget(self):
        status, headers, body = self.fake.request("/repos/Flet-Dev/flet")
        self.assertEqual(status, 200)
        data = json.loads(body)
        self.assertEqual((data["full_name"], data["stargazers_count"], data["open_issues_count"]), ("flet-dev/flet", 12000, 2))
        self.assertEqual(headers["x-ratelimit-remaining"], "4")
        etag = headers["ETag"]
        status, headers, _ = self.fake.request("/repos/flet-dev/flet", headers={"If-None-Match": etag})
        self.assertEqual(status, 304)
        self.assertEqual(headers["x-ratelimit-remaining"], "4", "a 304 costs nothing")
        for _ in range(4):
            self.fake.request("/repos/flet-dev/flet")
        status, headers, _ = self.fake.request("/repos/flet-dev/flet")
        self.assertEqual((status, headers["x-ratelimit-remaining"]), (403, "0"))
        self.assertTrue(int(headers["x-ratelimit-reset"]) > 0)
        stats = self.fake.stats()
        self.assertEqual((stats["rest_not_modified"], stats["rate_limited"]), (1, 1))
        self.assertEqual(stats["repo_fetches"]["flet-dev/flet"], 5)
        self.assertIn("Bearer " + TOKEN, stats["authorization_seen"])

    def test_renames_missing_readme_and_contents(self):
        status, headers, _ = self.fake.request("/repos/oldowner/oldname")
        self.assertEqual(status, 301)
        self.assertTrue(headers["Location"].endswith("/repositories/1001"))
        status, _, body = self.fake.request("/repositories/1001")
        self.assertEqual((status, json.loads(body)["full_name"]), (200, "newowner/newname"))
        self.assertEqual(self.fake.request("/repos/nobody/nothing")[0], 404)
        status, _, body = self.fake.request("/repos/flet-dev/flet/readme")
        self.assertEqual((status, body), (200, b"# Flet"))
        status, _, body = self.fake.request("/repos/flet-dev/flet/contents/sdk/python/packages")
        self.assertEqual(json.loads(body), [{"name": "flet-map", "path": "sdk/python/packages/flet-map", "type": "dir"}])

    def test_search_cap(self):
        status, _, body = self.fake.request("/search/repositories?q=topic:flet&per_page=2&page=1")
        data = json.loads(body)
        self.assertEqual(status, 200)
        self.assertEqual(data["total_count"], 8, "the real total")
        self.assertEqual(len(data["items"]), 2)
        self.assertEqual(self.fake.request("/search/repositories?q=topic:flet&per_page=2&page=3")[0], 422, "past the cap")
        status, _, body = self.fake.request("/search/repositories?q=topic:flet+created:2023-01-02..2023-01-03&per_page=10")
        self.assertEqual([i["name"] for i in json.loads(body)["items"]], ["flet-thing01", "flet-thing02"])

    def test_graphql_executes_and_costs(self):
        status, headers, data = self.fake.graphql(
            '{ a: repository(owner: "flet-dev", name: "flet") { stargazerCount } '
            'b: repository(owner: "nobody", name: "x") { stargazerCount } rateLimit { cost remaining } }')
        self.assertEqual(status, 200)
        self.assertEqual(data["data"]["a"], {"stargazerCount": 12000})
        self.assertIsNone(data["data"]["b"])
        self.assertEqual(data["errors"][0]["type"], "NOT_FOUND")
        self.assertEqual(data["data"]["rateLimit"], {"cost": 1, "remaining": 2})
        status, _, data = self.fake.graphql('{ repository(owner: "flet-dev", name: "flet") { noSuchField } }')
        self.assertEqual(status, 200)
        self.assertNotIn("data", data)
        self.assertIn("noSuchField", data["errors"][0]["message"])
        self.assertEqual(self.fake.graphql("{ rateLimit { cost } }", token=None)[0], 401)
        self.fake.graphql("{ rateLimit { cost } }")
        self.fake.graphql("{ rateLimit { cost } }")
        status, headers, data = self.fake.graphql("{ rateLimit { cost } }")
        self.assertEqual((status, data["errors"][0]["type"], headers["x-ratelimit-remaining"]), (200, "RATE_LIMITED", "0"))
        self.fake.request("/_fake/config", "POST", {"graphql_points": 100}, token=None)
        self.assertEqual(self.fake.graphql("{ rateLimit { remaining } }")[2]["data"]["rateLimit"]["remaining"], 99)

    def test_secondary_limit(self):
        self.fake.request("/_fake/config", "POST", {"secondary_limit": 1}, token=None)
        status, headers, _ = self.fake.request("/repos/flet-dev/flet")
        self.assertEqual((status, headers["retry-after"]), (403, "1"))
        self.assertEqual(self.fake.request("/repos/flet-dev/flet")[0], 200)
        self.assertEqual(self.fake.stats()["secondary_limited"], 1)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
