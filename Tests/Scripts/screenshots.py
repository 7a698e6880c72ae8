"""Headless Chromium against `trawl serve`: screenshots of home, results, a package page and the
compare page at desktop and phone widths; proof that a package's injected script did not run (on
its page and on the compare page); the Atom feeds load in the browser with their entries.

usage: screenshots.py CHROMIUM BASE_URL OUTPUT_DIR
"""
import os
import subprocess
import sys

SIZES = {"desktop": "1280,900", "phone": "390,844"}
PAGES = {
    "home": "/?collection=django",
    "results": "/?collection=django&q=djnago+rest&sort=stars&framework_version=5.0",
    "package": "/packages/djangorestframework?collection=django",
    "evil": "/packages/django-evil?collection=django",
    "compare": "/compare?collection=django&p=djangorestframework&p=django-filter&p=django-evil",
}
FEEDS = ["/feeds/django/new.atom", "/feeds/django/releases.atom", "/feeds/django/search.atom?q=django"]


def chromium(binary, *args):
    base = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
            "--no-first-run", "--user-data-dir=" + os.environ.get("TMPDIR", "/tmp") + "/trawl-chromium-" + str(os.getpid())]
    return subprocess.run(base + list(args), capture_output=True, text=True, timeout=120)


def main():
    binary, base, out = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    for page, path in PAGES.items():
        for size, window in SIZES.items():
            target = os.path.join(out, f"{page}-{size}.png")
            if os.path.exists(target):
                os.remove(target)
            chromium(binary, f"--window-size={window}", f"--screenshot={target}", base + path)
            if not os.path.exists(target) or os.path.getsize(target) < 1000:
                print(f"FAILED: no screenshot {target}", file=sys.stderr)
                sys.exit(1)
    # The evil package's README and summary try to set the title and a body attribute; if any
    # script ran, the serialized DOM would show it.
    dom = chromium(binary, "--virtual-time-budget=3000", "--dump-dom", base + PAGES["evil"]).stdout
    if "<title>" not in dom or "django-evil" not in dom:
        print("FAILED: the package page did not render:\n" + dom[:500], file=sys.stderr)
        sys.exit(1)
    if "PWNED</title>" in dom or "data-pwned" in dom.split("<body", 1)[1].split(">", 1)[0] or "<title>PWNED" in dom:
        print("FAILED: injected script ran", file=sys.stderr)
        sys.exit(1)
    if "<script" in dom:
        print("FAILED: a script element reached the DOM", file=sys.stderr)
        sys.exit(1)
    # The compare page shows the three packages as columns, and the evil summary stays text there too.
    dom = chromium(binary, "--virtual-time-budget=3000", "--dump-dom", base + PAGES["compare"]).stdout
    for name in ("djangorestframework", "django-filter", "django-evil", "Health score"):
        if name not in dom:
            print(f"FAILED: the compare page lacks {name!r}:\n" + dom[:800], file=sys.stderr)
            sys.exit(1)
    if "PWNED</title>" in dom or "<title>PWNED" in dom or "<script" in dom:
        print("FAILED: injected script reached the compare page", file=sys.stderr)
        sys.exit(1)
    # The feeds load in the browser as XML documents with their entries.
    for feed in FEEDS:
        dom = chromium(binary, "--virtual-time-budget=2000", "--dump-dom", base + feed).stdout
        if "<entry" not in dom and "&lt;entry" not in dom:
            print(f"FAILED: {feed} did not load as a feed in Chromium:\n" + dom[:800], file=sys.stderr)
            sys.exit(1)
    print(f"chromium: {len(PAGES) * len(SIZES)} screenshots in {out}; injected script did not run; {len(FEEDS)} feeds load")


if __name__ == "__main__":
    main()
