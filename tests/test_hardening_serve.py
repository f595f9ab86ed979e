"""The dev server under load: several threads request pages on 127.0.0.1 while files are being
edited and rebuilt. No error response, no half-written page (every HTML page ends with </html>).
Bounded: 12 edits, 6 threads, a few seconds."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from test_serve import serving, wait_for

PAGES = ["", "quotes.html", "summits/alaska-2025.html", "people/putin.html", "outlets/baq-kz.html",
         "articles/baq-kz-2025-08-16-putin-trump-press-conference.html", "static/site.js"]  # fmt: skip


def test_concurrent_requests_during_rebuilds_all_succeed_whole(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        stop = threading.Event()
        problems: list[str] = []
        counts = [0]

        def hammer(offset: int) -> None:
            index = offset
            while not stop.is_set():
                path = PAGES[index % len(PAGES)]
                index += 1
                try:
                    with urllib.request.urlopen(server.url(path), timeout=10) as response:
                        body = response.read()
                        status = response.status
                except urllib.error.HTTPError as error:
                    problems.append(f"{path}: HTTP {error.code}")
                    continue
                except OSError as error:
                    problems.append(f"{path}: {error}")
                    continue
                counts[0] += 1
                if status != 200:
                    problems.append(f"{path}: HTTP {status}")
                elif not path.endswith(".js") and not body.rstrip().endswith(b"</html>"):
                    problems.append(f"{path}: a page that does not end with </html> ({len(body)} bytes)")

        threads = [threading.Thread(target=hammer, args=(n,), daemon=True) for n in range(6)]
        for thread in threads:
            thread.start()
        try:
            for number in range(12):
                server.edit("summits/alaska-2025.yaml", "Putin's plane lands" if number == 0 else
                            f"Putin's plane lands ({number - 1})", f"Putin's plane lands ({number})")  # fmt: skip
                time.sleep(0.15)
            wait_for(lambda: "plane lands (11)" in server.page("summits/alaska-2025.html"), "the last edit")
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=15)
        assert counts[0] > 50, counts
        assert not problems, problems[:10]
    assert server.output.count("rebuilt") >= 2, server.output
