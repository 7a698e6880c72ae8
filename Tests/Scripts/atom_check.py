"""Validates Trawl's Atom feeds with feedparser (any XML or Atom error sets `bozo`) and the standard
library's strict XML parser. Usage: atom_check.py URL... ; prints what it checked, exits 1 on a problem."""
import sys
import urllib.request
import xml.etree.ElementTree as ET

import feedparser

ATOM = "{http://www.w3.org/2005/Atom}"
problems = []
for url in sys.argv[1:]:
    bodies = [urllib.request.urlopen(url, timeout=30).read() for _ in range(2)]
    root = ET.fromstring(bodies[0])  # strict: raises on anything not well-formed
    if root.tag != ATOM + "feed":
        problems.append(f"{url}: root is {root.tag}")
    for required in ("id", "title", "updated", "author"):
        if root.find(ATOM + required) is None:
            problems.append(f"{url}: feed lacks <{required}>")
    parsed = feedparser.parse(bodies[0])
    if parsed.bozo:
        problems.append(f"{url}: feedparser: {parsed.bozo_exception!r}")
    if parsed.version != "atom10":
        problems.append(f"{url}: version {parsed.version!r}")
    ids = [e.id for e in parsed.entries]
    if len(ids) != len(set(ids)):
        problems.append(f"{url}: duplicate entry ids")
    for entry in parsed.entries:
        if not entry.get("updated_parsed") or not entry.get("link") or not entry.get("title"):
            problems.append(f"{url}: entry {entry.get('id')} lacks updated, link or title")
    again = [e.id for e in feedparser.parse(bodies[1]).entries]
    if again != ids:
        problems.append(f"{url}: ids changed between two fetches")
    print(f"{url}: {len(ids)} entries, atom10, well-formed")
if problems:
    print("\n".join(problems))
    sys.exit(1)
