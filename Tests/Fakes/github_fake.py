#!/usr/bin/env python3
"""Loopback fake of GitHub's REST and GraphQL APIs, for Trawl's tests.

GraphQL queries are parsed, validated and executed for real by `graphql-core`
(PyPI `graphql-core`, written against 3.2) over an SDL subset of GitHub's
schema, so a malformed query fails the way it does on GitHub (HTTP 200 with
`errors` and no `data`).

    python3 github_fake.py --port 0 --data FIXTURE.json

After loading the fixture and binding it prints exactly one line
`LISTENING <port>` to stdout and serves until killed.

Fixture (JSON object)
---------------------
repos:      [{owner, name, stars, watchers, forks, open_issues, open_prs,
              pushed_at, created_at, archived, topics, language,
              readme, changelog, renamed_from: ["old-owner/old-name"],
              files: {"path/in/repo": "text"}}]
token:      the token the fake accepts (Authorization: Bearer/token ...);
            GraphQL answers 401 without it.
graphql_points: points of the GraphQL budget (default 5000).
rest_limit: REST budget with the token (default 5000); without it: 60.
secondary_limit: N -> the first N requests get a secondary-limit 403 with
            `retry-after: 1` (what GitHub sends when a client is too fast).
search_cap: results reachable through search (default 1000).

Budgets, as GitHub counts them
------------------------------
* GraphQL: the cost of a query is computed before it runs, GitHub's way:
  one request for the query, plus, for every connection field given
  `first`/`last`, the product of the `first`/`last` of the connections
  enclosing it (aliased `repository` fields multiply nothing); the sum is
  divided by 100 and rounded, at least 1. `rateLimit { cost remaining
  resetAt }` reports it. A query costing more than what is left answers
  HTTP 200 with `errors: [{type: RATE_LIMITED}]` and
  `x-ratelimit-remaining: 0`.
* REST: every answer costs 1, except a 304 to `If-None-Match`, which costs
  nothing. At 0 left: 403 with `x-ratelimit-remaining: 0` and
  `x-ratelimit-reset`.

REST endpoints
--------------
GET /repos/{o}/{r}            repository JSON with an ETag; 304 on a match;
                              a renamed repository answers 301 to
                              /repositories/{id}; 404 when unknown.
GET /repositories/{id}
GET /repos/{o}/{r}/readme     raw text (Accept: application/vnd.github.raw).
GET /repos/{o}/{r}/contents/{path}
                              a directory lists its entries (JSON array of
                              {name, path, type}); a file answers raw text.
GET /search/repositories?q=topic:T language:L created:A..B&per_page&page
                              sorted by created_at, full_name; only the
                              first `search_cap` results are reachable
                              (422 beyond), `total_count` is the real total.
POST /graphql
GET /_fake/stats              counters (the /_fake/ routes count in none of them) (requests, graphql_queries,
                              graphql_points, rest_not_modified,
                              repo_fetches {key: n}, authorization_seen).
POST /_fake/config            merges a JSON object into the settings
                              (e.g. {"graphql_points": 5000} to refill).
"""

import argparse
import hashlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

from graphql import build_schema, graphql_sync, parse, validate
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode, OperationDefinitionNode, FragmentDefinitionNode

SDL = """
scalar DateTime
scalar URI
scalar GitObjectID

type Query {
  repository(owner: String!, name: String!, followRenames: Boolean = true): Repository
  rateLimit(dryRun: Boolean = false): RateLimit
}

type RateLimit {
  cost: Int!
  limit: Int!
  nodeCount: Int!
  remaining: Int!
  resetAt: DateTime!
  used: Int!
}

enum IssueState { OPEN CLOSED }

type Repository {
  id: ID!
  name: String!
  nameWithOwner: String!
  url: URI!
  description: String
  stargazerCount: Int!
  forkCount: Int!
  isArchived: Boolean!
  isFork: Boolean!
  pushedAt: DateTime
  createdAt: DateTime!
  watchers(after: String, before: String, first: Int, last: Int): UserConnection!
  issues(states: [IssueState!], after: String, before: String, first: Int, last: Int): IssueConnection!
  repositoryTopics(after: String, before: String, first: Int, last: Int): RepositoryTopicConnection!
  object(expression: String, oid: GitObjectID): GitObject
}

type UserConnection { totalCount: Int! }
type IssueConnection { totalCount: Int! }
type RepositoryTopicConnection { totalCount: Int! nodes: [RepositoryTopic] }
type RepositoryTopic { topic: Topic! url: URI! }
type Topic { name: String! }

interface GitObject { oid: GitObjectID! abbreviatedOid: String! }
type Blob implements GitObject { oid: GitObjectID! abbreviatedOid: String! text: String byteSize: Int! isBinary: Boolean isTruncated: Boolean! }
type Tree implements GitObject { oid: GitObjectID! abbreviatedOid: String! entries: [TreeEntry!] }
type TreeEntry { name: String! path: String type: String! object: GitObject }
"""

SCHEMA = build_schema(SDL)


def iso(ts):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


class NotFound(Exception):
    pass


class State:
    def __init__(self, fixture):
        self.lock = threading.Lock()
        self.settings = {
            "token": fixture.get("token"),
            "graphql_points": fixture.get("graphql_points", 5000),
            "rest_limit": fixture.get("rest_limit"),
            "secondary_limit": fixture.get("secondary_limit", 0),
            "search_cap": fixture.get("search_cap", 1000),
        }
        self.reset_at = int(time.time()) + 3600
        self.rest_left = {True: self.settings["rest_limit"] or 5000, False: self.settings["rest_limit"] or 60}
        self.repos = {}
        self.renames = {}
        self.by_id = {}
        for i, r in enumerate(fixture.get("repos", [])):
            r = dict(r)
            r.setdefault("id", 1000 + i)
            key = (r["owner"] + "/" + r["name"]).lower()
            self.repos[key] = r
            self.by_id[r["id"]] = key
            for old in r.get("renamed_from", []):
                self.renames[old.lower()] = key
        self.stats = {"requests": 0, "graphql_queries": 0, "graphql_points": 0, "rest_requests": 0,
                      "rest_not_modified": 0, "search_requests": 0, "repo_fetches": {},
                      "authorization_seen": [], "secondary_limited": 0, "rate_limited": 0}

    def count_fetch(self, key):
        self.stats["repo_fetches"][key] = self.stats["repo_fetches"].get(key, 0) + 1


def repo_json(r, base):
    full = r["owner"] + "/" + r["name"]
    return {
        "id": r["id"], "name": r["name"], "full_name": full, "owner": {"login": r["owner"]},
        "html_url": "https://github.com/" + full, "url": base + "/repos/" + full,
        "description": r.get("description", ""), "stargazers_count": r.get("stars", 0),
        "watchers_count": r.get("stars", 0), "subscribers_count": r.get("watchers", 0),
        "forks_count": r.get("forks", 0),
        "open_issues_count": r.get("open_issues", 0) + r.get("open_prs", 0),
        "pushed_at": r.get("pushed_at", "2026-01-01T00:00:00Z"),
        "created_at": r.get("created_at", "2020-01-01T00:00:00Z"),
        "archived": r.get("archived", False), "topics": r.get("topics", []),
        "language": r.get("language", "Python"),
    }


def files_of(r):
    files = dict(r.get("files", {}))
    if r.get("readme") is not None:
        files.setdefault("README.md", r["readme"])
    if r.get("changelog") is not None:
        files.setdefault("CHANGELOG.md", r["changelog"])
    return files


def graphql_repo(r):
    files = files_of(r)

    def obj(info, expression=None, oid=None):
        if not expression or ":" not in expression:
            return None
        path = expression.split(":", 1)[1]
        if path in files:
            return {"__typename": "Blob", "oid": "0" * 40, "abbreviatedOid": "0000000", "text": files[path],
                    "byteSize": len(files[path]), "isBinary": False, "isTruncated": False}
        return None

    full = r["owner"] + "/" + r["name"]
    return {
        "id": str(r["id"]), "name": r["name"], "nameWithOwner": full, "url": "https://github.com/" + full,
        "description": r.get("description", ""), "stargazerCount": r.get("stars", 0),
        "forkCount": r.get("forks", 0), "isArchived": r.get("archived", False), "isFork": False,
        "pushedAt": r.get("pushed_at", "2026-01-01T00:00:00Z"), "createdAt": r.get("created_at", "2020-01-01T00:00:00Z"),
        "watchers": lambda info, **kw: {"totalCount": r.get("watchers", 0)},
        "issues": lambda info, states=None, **kw: {"totalCount": r.get("open_issues", 0) if states == ["OPEN"] else r.get("open_issues", 0) + r.get("closed_issues", 0)},
        "repositoryTopics": lambda info, first=None, last=None, **kw: {
            "totalCount": len(r.get("topics", [])),
            "nodes": [{"topic": {"name": t}, "url": "https://github.com/topics/" + t} for t in r.get("topics", [])[: (first or last or 100)]]},
        "object": obj,
    }


def query_cost(document, variables):
    """GitHub's documented pre-execution cost (see the module docstring)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    total = [1]

    def arg(field, name):
        for a in field.arguments or []:
            if a.name.value == name:
                v = a.value
                if v.kind == "variable":
                    return (variables or {}).get(v.name.value)
                if v.kind == "int_value":
                    return int(v.value)
        return None

    def walk(selection_set, multiplier, seen):
        if selection_set is None:
            return
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                size = arg(sel, "first") or arg(sel, "last")
                if size:
                    total[0] += multiplier
                    walk(sel.selection_set, multiplier * size, seen)
                else:
                    walk(sel.selection_set, multiplier, seen)
            elif isinstance(sel, InlineFragmentNode):
                walk(sel.selection_set, multiplier, seen)
            elif isinstance(sel, FragmentSpreadNode):
                frag = fragments.get(sel.name.value)
                if frag is not None:
                    walk(frag.selection_set, multiplier, seen)

    for d in document.definitions:
        if isinstance(d, OperationDefinitionNode):
            walk(d.selection_set, 1, set())
    return max(1, round(total[0] / 100))


def parse_search(q):
    terms = {"topic": [], "language": [], "created": None, "words": []}
    for token in q.split():
        if ":" in token:
            k, v = token.split(":", 1)
            k = k.lower()
            if k == "topic":
                terms["topic"].append(v.lower())
            elif k == "language":
                terms["language"].append(v.lower())
            elif k == "created":
                terms["created"] = v
            else:
                terms["words"].append(token)
        else:
            terms["words"].append(token)
    return terms


def created_matches(created, spec):
    if spec is None:
        return True
    day = created[:10]
    if ".." in spec:
        a, b = spec.split("..", 1)
        return (a in ("", "*") or day >= a[:10]) and (b in ("", "*") or day <= b[:10])
    for op in (">=", "<=", ">", "<"):
        if spec.startswith(op):
            v = spec[len(op):][:10]
            return {">=": day >= v, "<=": day <= v, ">": day > v, "<": day < v}[op]
    return day == spec[:10]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, *args):
        pass

    # -- plumbing -------------------------------------------------------
    def authorized(self):
        auth = self.headers.get("Authorization")
        st = self.state
        if auth:
            with st.lock:
                st.stats["authorization_seen"].append(auth)
        token = st.settings.get("token")
        if not auth or not token:
            return False
        return auth in ("Bearer " + token, "token " + token)

    def send(self, status, body=b"", headers=None, content_type="application/json; charset=utf-8"):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        if status != 304:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if status != 304 else 0))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def rate_headers(self, remaining, limit, resource):
        return {"x-ratelimit-limit": limit, "x-ratelimit-remaining": max(0, remaining),
                "x-ratelimit-reset": self.state.reset_at, "x-ratelimit-resource": resource}

    def secondary_limited(self):
        st = self.state
        with st.lock:
            if st.settings.get("secondary_limit", 0) > 0:
                st.settings["secondary_limit"] -= 1
                st.stats["secondary_limited"] += 1
                return True
        return False

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    # -- routes ---------------------------------------------------------
    def do_POST(self):
        st = self.state
        url = urlparse(self.path)
        raw = self.body()
        if url.path != "/_fake/config":
            with st.lock:
                st.stats["requests"] += 1
        if url.path == "/_fake/config":
            with st.lock:
                st.settings.update(json.loads(raw or b"{}"))
                if "rest_limit" in json.loads(raw or b"{}"):
                    st.rest_left = {True: st.settings["rest_limit"], False: st.settings["rest_limit"]}
            return self.send(200, {"ok": True})
        if url.path != "/graphql":
            return self.send(404, {"message": "Not Found"})
        if not self.authorized():
            return self.send(401, {"message": "This endpoint requires you to be authenticated."})
        if self.secondary_limited():
            return self.send(403, {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}, {"retry-after": 1})
        try:
            payload = json.loads(raw)
            source = payload["query"]
            variables = payload.get("variables") or {}
        except Exception:
            return self.send(400, {"message": "Problems parsing JSON"})
        try:
            document = parse(source)
        except Exception as e:
            return self.send(200, {"errors": [{"message": str(e)}]})
        errors = validate(SCHEMA, document)
        if errors:
            return self.send(200, {"errors": [{"message": e.message, "locations": [{"line": l.line, "column": l.column} for l in (e.locations or [])]} for e in errors]})
        cost = query_cost(document, variables)
        with st.lock:
            left = st.settings["graphql_points"]
            if cost > left:
                st.stats["rate_limited"] += 1
                return self.send(200, {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}]},
                                 self.rate_headers(0, 5000, "graphql"))
            st.settings["graphql_points"] = left - cost
            remaining = left - cost
            st.stats["graphql_queries"] += 1
            st.stats["graphql_points"] += cost

        def resolve_repository(info, owner, name, followRenames=True):
            key = (owner + "/" + name).lower()
            with st.lock:
                key = st.renames.get(key, key)
                r = st.repos.get(key)
                if r is not None:
                    st.count_fetch(key)
            if r is None:
                raise NotFound("Could not resolve to a Repository with the name '%s/%s'." % (owner, name))
            return graphql_repo(r)

        root = {
            "repository": resolve_repository,
            "rateLimit": lambda info, dryRun=False: {"cost": cost, "limit": 5000, "nodeCount": 0, "remaining": remaining,
                                                     "resetAt": iso(st.reset_at), "used": 5000 - remaining},
        }
        result = graphql_sync(SCHEMA, source, root_value=root, variable_values=variables)
        out = {"data": result.data}
        if result.errors:
            errs = []
            for e in result.errors:
                item = {"message": e.message, "path": e.path, "locations": [{"line": l.line, "column": l.column} for l in (e.locations or [])]}
                if isinstance(e.original_error, NotFound):
                    item["type"] = "NOT_FOUND"
                errs.append(item)
            out["errors"] = errs
        self.send(200, out, self.rate_headers(remaining, 5000, "graphql"))

    def do_GET(self):
        st = self.state
        url = urlparse(self.path)
        path = unquote(url.path)
        if path == "/_fake/stats":
            with st.lock:
                return self.send(200, dict(st.stats, graphql_points_left=st.settings["graphql_points"],
                                           rest_left=st.rest_left))
        with st.lock:
            st.stats["requests"] += 1
        authed = self.authorized()
        if self.secondary_limited():
            return self.send(403, {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}, {"retry-after": 1})
        limit = (st.settings["rest_limit"] or 5000) if authed else (st.settings["rest_limit"] or 60)

        # Conditional requests are resolved before charging: a 304 costs nothing.
        status, body, headers, etag, charge_key = self.route(path, url)
        inm = self.headers.get("If-None-Match")
        with st.lock:
            if etag and inm == etag and status == 200:
                st.stats["rest_not_modified"] += 1
                return self.send(304, b"", dict(self.rate_headers(st.rest_left[authed], limit, "core"), ETag=etag))
            if st.rest_left[authed] <= 0:
                st.stats["rate_limited"] += 1
                return self.send(403, {"message": "API rate limit exceeded for 127.0.0.1."}, self.rate_headers(0, limit, "core"))
            st.rest_left[authed] -= 1
            st.stats["rest_requests"] += 1
            if path.startswith("/search/"):
                st.stats["search_requests"] += 1
            if charge_key and status == 200:
                st.count_fetch(charge_key)
            headers = dict(headers, **self.rate_headers(st.rest_left[authed], limit, "core"))
        if etag:
            headers["ETag"] = etag
        ctype = "text/plain; charset=utf-8" if isinstance(body, str) else "application/json; charset=utf-8"
        self.send(status, body, headers, ctype)

    def route(self, path, url):
        """(status, body, headers, etag, repo key to count) for a GET."""
        st = self.state
        base = "http://%s:%d" % self.server.server_address[:2]
        parts = [p for p in path.split("/") if p]
        if parts[:2] == ["search", "repositories"]:
            return self.search(url) + (None,)
        if len(parts) == 2 and parts[0] == "repositories":
            key = st.by_id.get(int(parts[1])) if parts[1].isdigit() else None
            if key is None:
                return 404, {"message": "Not Found"}, {}, None, None
            body = repo_json(st.repos[key], base)
            return 200, body, {}, etag_of(body), key
        if len(parts) >= 3 and parts[0] == "repos":
            key = (parts[1] + "/" + parts[2]).lower()
            if key in st.renames and len(parts) == 3:
                r = st.repos[st.renames[key]]
                loc = base + "/repositories/%d" % r["id"]
                return 301, {"message": "Moved Permanently", "url": loc}, {"Location": loc}, None, None
            key = st.renames.get(key, key)
            r = st.repos.get(key)
            if r is None:
                return 404, {"message": "Not Found"}, {}, None, None
            if len(parts) == 3:
                body = repo_json(r, base)
                return 200, body, {}, etag_of(body), key
            files = files_of(r)
            if parts[3] == "readme" and len(parts) == 4:
                text = files.get("README.md")
                return (200, text, {}, etag_of(text), None) if text is not None else (404, {"message": "Not Found"}, {}, None, None)
            if parts[3] == "contents":
                sub = "/".join(parts[4:])
                if sub in files:
                    return 200, files[sub], {}, etag_of(files[sub]), None
                prefix = sub + "/" if sub else ""
                entries = {}
                for f in files:
                    if f.startswith(prefix):
                        rest = f[len(prefix):]
                        name = rest.split("/", 1)[0]
                        entries[name] = "dir" if "/" in rest else "file"
                if not entries:
                    return 404, {"message": "Not Found"}, {}, None, None
                listing = [{"name": n, "path": prefix + n, "type": t} for n, t in sorted(entries.items())]
                return 200, listing, {}, etag_of(listing), None
        return 404, {"message": "Not Found"}, {}, None, None

    def search(self, url):
        st = self.state
        qs = parse_qs(url.query)
        terms = parse_search(qs.get("q", [""])[0])
        per_page = min(100, int(qs.get("per_page", ["30"])[0]))
        page = int(qs.get("page", ["1"])[0])
        if page * per_page > st.settings["search_cap"] and (page - 1) * per_page >= st.settings["search_cap"]:
            return 422, {"message": "Only the first %d search results are available" % st.settings["search_cap"]}, {}, None
        hits = []
        for r in st.repos.values():
            topics = [t.lower() for t in r.get("topics", [])]
            if any(t not in topics for t in terms["topic"]):
                continue
            if terms["language"] and (r.get("language") or "Python").lower() not in terms["language"]:
                continue
            if not created_matches(r.get("created_at", "2020-01-01T00:00:00Z"), terms["created"]):
                continue
            hits.append(r)
        hits.sort(key=lambda r: (r.get("created_at", ""), (r["owner"] + "/" + r["name"]).lower()))
        reachable = hits[: st.settings["search_cap"]]
        base = "http://%s:%d" % self.server.server_address[:2]
        items = [repo_json(r, base) for r in reachable[(page - 1) * per_page: page * per_page]]
        return 200, {"total_count": len(hits), "incomplete_results": False, "items": items}, {}, None


def etag_of(body):
    data = body.encode() if isinstance(body, str) else json.dumps(body, sort_keys=True).encode()
    return '"' + hashlib.sha1(data).hexdigest() + '"'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--data", required=True)
    args = ap.parse_args()
    with open(args.data) as f:
        fixture = json.load(f)
    Handler.state = State(fixture)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print("LISTENING %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
