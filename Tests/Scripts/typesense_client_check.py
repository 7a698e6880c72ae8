"""The official Python `typesense` client against `trawl serve`, unchanged.

usage: typesense_client_check.py PORT ADMIN_KEY
Exercises search, multi_search (shaped like typesense-instantsearch-adapter's request),
collections, aliases and keys; exits non-zero with a message on the first mismatch.
"""
import sys

import typesense
from typesense.exceptions import ObjectNotFound, RequestUnauthorized, TypesenseClientError


def client(port, key):
    return typesense.Client({
        "api_key": key,
        "nodes": [{"host": "127.0.0.1", "port": str(port), "protocol": "http"}],
        "connection_timeout_seconds": 10,
        "num_retries": 1,
    })


def check(condition, what):
    if not condition:
        print("FAILED:", what, file=sys.stderr)
        sys.exit(1)


def main():
    port, admin_key = sys.argv[1], sys.argv[2]
    admin = client(port, admin_key)

    result = admin.collections["django"].documents.search({
        "q": "djnago rest", "query_by": "name,summary,description", "facet_by": "framework_versions",
        "filter_by": "github_stars:>100 && is_official:false", "sort_by": "_text_match:desc,github_stars:desc", "per_page": 5,
    })
    check(result["found"] >= 1, f"search found nothing: {result}")
    check(result["hits"][0]["document"]["name"] == "djangorestframework", f"first hit: {result['hits'][0]['document']['name']}")
    check(result["hits"][0]["document"]["id"] == "djangorestframework", "document id")
    check(result["facet_counts"][0]["field_name"] == "framework_versions", "facet_counts")

    # What typesense-instantsearch-adapter sends for a search box with a refinement list.
    multi = admin.multi_search.perform({"searches": [
        {"collection": "django", "q": "django", "query_by": "name,summary,keywords", "facet_by": "framework_versions,python_versions",
         "max_facet_values": 10, "page": 1, "per_page": 8, "highlight_full_fields": "name,summary", "filter_by": "framework_versions:=[`5.0`]"},
        {"collection": "django", "q": "django", "query_by": "name,summary,keywords", "facet_by": "framework_versions",
         "max_facet_values": 10, "page": 1, "per_page": 0},
    ]}, {"highlight_pre_tag": "<mark>", "highlight_post_tag": "</mark>"})
    check(len(multi["results"]) == 2, f"multi_search results: {multi}")
    check(multi["results"][0]["found"] > 0, "multi_search first result")
    check(all("framework_versions" in [f["field_name"] for f in r["facet_counts"]] for r in multi["results"]), "multi_search facets")

    collections = admin.collections.retrieve()
    check({c["name"] for c in collections} >= {"django-1", "flask"}, f"collections: {collections}")
    check(admin.collections["django"].retrieve()["name"] == "django-1", "collection through its alias")
    aliases = admin.aliases.retrieve()
    check({"name": "django", "collection_name": "django-1"} in aliases["aliases"], f"aliases: {aliases}")

    created = admin.keys.create({"description": "python check", "actions": ["documents:search"], "collections": ["flask"]})
    search_key = created["value"]
    listed = admin.keys.retrieve()
    check(any(k["id"] == created["id"] for k in listed["keys"]), "created key listed")
    check(all("value" not in k for k in listed["keys"]), "listed keys carry no value")

    scoped = client(port, search_key)
    found = scoped.collections["flask"].documents.search({"q": "*", "query_by": "name"})
    check(found["found"] == 2, f"search key on its collection: {found}")
    for forbidden in (
        lambda: scoped.collections["django"].documents.search({"q": "*", "query_by": "name"}),
        lambda: scoped.keys.retrieve(),
        lambda: scoped.keys.create({"actions": ["*"], "collections": ["*"]}),
        lambda: scoped.collections.retrieve(),
    ):
        try:
            forbidden()
            check(False, "a search-only key was allowed to do more than search its collection")
        except RequestUnauthorized:
            pass

    admin.keys[created["id"]].delete()
    try:
        scoped.collections["flask"].documents.search({"q": "*", "query_by": "name"})
        check(False, "deleted key still works")
    except RequestUnauthorized:
        pass
    try:
        admin.collections["missing"].documents.search({"q": "*", "query_by": "name"})
        check(False, "missing collection found")
    except ObjectNotFound:
        pass
    try:
        admin.collections["django"].documents.search({"q": "*", "query_by": "name", "filter_by": "nope:=1"})
        check(False, "bad filter accepted")
    except TypesenseClientError as error:
        check("nope" in str(error), f"bad filter message: {error}")
    print("typesense client: ok")


if __name__ == "__main__":
    main()
