"""Screenshots of the built site in headless Chromium, at phone and desktop width, light and dark.

    python tools/screenshots.py [SITE_DIR] [OUT_DIR]

Needs Debian's chromium and Playwright's Python package (no browser download).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
PAGES = ["index.html", "summits/*.html", "people/index.html", "people/putin.html", "outlets/index.html",
         "outlets/baq-kz.html", "articles/*.html", "quotes.html", "404.html"]  # fmt: skip


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site").resolve()
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "test-output/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    files = [
        p
        for pattern in PAGES
        for p in sorted(site.glob(pattern))
        if p.name != "index.html" or "/" not in pattern or pattern.endswith("index.html")
    ]
    shots = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for scheme in ("light", "dark"):
            for width, height in ((390, 844), (1280, 900)):
                page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
                for path in files:
                    page.goto(path.as_uri())
                    name = path.relative_to(site).as_posix().replace("/", "_").removesuffix(".html")
                    suffix = "" if scheme == "light" else "-dark"
                    page.screenshot(path=out / f"{name}-{width}{suffix}.png", full_page=True)
                    shots += 1
                page.close()
        browser.close()
    print(f"{shots} screenshots in {out}")


if __name__ == "__main__":
    main()
