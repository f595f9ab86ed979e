"""The dev server for real: a subprocess on a free port, pages over HTTP, edits on disk."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
ARTICLE = "articles/baq-kz-2025-08-16-putin-trump-press-conference.yaml"
OVERLAY = 'id="summitsite-errors"'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_for(check: Callable[[], bool], what: str, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


class Served:
    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.content = root / "content"
        self.output = ""

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def page(self, path: str = "") -> str:
        return get(self.url(path))[1]

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.content / relative
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@contextlib.contextmanager
def serving(root: Path) -> Iterator[Served]:
    """The sample content copied into root, served by a real `build.py serve` process.
    After the block, the server's terminal output is in the Served object's .output."""
    shutil.copytree(PROJECT / "content", root / "content")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "serve", "--port", str(port)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Served(root, port)
    try:
        wait_for(lambda: _answers(server.url()), "the server to start")
        yield server
    finally:
        process.terminate()
        server.output = process.communicate(timeout=10)[0]
        print(server.output)  # shown by pytest when a test fails


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serving(tmp_path) as server:
        yield server


def _answers(url: str) -> bool:
    try:
        return get(url)[0] == 200
    except OSError:
        return False


def test_serves_pages_with_the_reload_script_that_builds_do_not_have(served: Served) -> None:
    status, home = get(served.url())
    assert status == 200 and "Summit Watch" in home
    assert "livereload.js" in home
    assert "livereload" not in (served.root / "site" / "index.html").read_text(encoding="utf-8")
    status, js = get(served.url("livereload.js"))
    assert status == 200 and "LiveReload" in js
    assert get(served.url("people/putin.html"))[0] == 200
    status, missing = get(served.url("no/such/page.html"))
    assert status == 404 and "Page not found" in missing


@pytest.mark.parametrize(
    "path", ["../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd", "..%2f..%2fetc%2fpasswd", ".summitsite"]
)
def test_only_files_under_the_output_folder_are_served(served: Served, path: str) -> None:
    status, body = get(served.url(path))
    assert status == 404 and "root:" not in body


def test_an_edit_is_rebuilt_and_served(served: Served) -> None:
    served.edit(
        "summits/alaska-2025.yaml",
        'title: "Putin\'s plane lands"',
        'title: "Putin\'s aircraft touches down"',
    )
    wait_for(lambda: "Putin&#39;s aircraft touches down" in served.page("summits/alaska-2025.html"), "the new title")
    assert "Putin&#39;s aircraft touches down" in served.page()  # a key moment on the home page
    on_disk = (served.root / "site" / "summits" / "alaska-2025.html").read_text(encoding="utf-8")
    assert "aircraft touches down" in on_disk and "livereload" not in on_disk


def test_a_new_article_is_served_at_once(served: Served) -> None:
    (served.content / "articles" / "second.md").write_text("Путин: «Келесі жолы Мәскеуде».\n", encoding="utf-8")
    (served.content / "articles" / "second.yaml").write_text(
        "title: {en: Second}\noutlet: tass\npublished: 2025-08-17\nlanguage: kk\nsummit: alaska-2025\n"
        "quotes:\n  - {speaker: putin, kind: direct, text: Келесі жолы Мәскеуде}\n",
        encoding="utf-8",
    )
    wait_for(lambda: get(served.url("articles/second.html"))[0] == 200, "the new article's page")
    # the speaker's page too; it may come a moment later: a page that was slow to render last
    # time waits until saves pause (serve.ContentWatcher.SLOW_PAGE), and under load the sample's can be slow
    wait_for(lambda: "Келесі жолы Мәскеуде" in served.page("people/putin.html"), "the speaker's page")


def test_a_content_error_shows_an_overlay_until_fixed(served: Served) -> None:
    served.edit(ARTICLE, "speaker: putin", "speaker: puttin")
    wait_for(lambda: OVERLAY in served.page("people/trump.html"), "the error overlay")
    page = served.page("people/putin.html")
    assert "unknown speaker &#x27;puttin&#x27; (did you mean &#x27;putin&#x27;?)" in page
    assert f"content/{ARTICLE}:" in page
    assert "Vladimir Putin" in page  # the last good build is still there underneath
    served.edit(ARTICLE, "speaker: puttin", "speaker: putin")
    wait_for(lambda: OVERLAY not in served.page("people/putin.html"), "the overlay to go")
    assert OVERLAY not in served.page()


def test_a_burst_of_saves_gives_one_rebuild(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        people, outlets = server.content / "people.yaml", server.content / "outlets.yaml"
        texts = people.read_text(encoding="utf-8"), outlets.read_text(encoding="utf-8").replace("BAQ.KZ", "BAQ.kz", 1)
        saves = [(people, texts[0].replace("President of Russia", "President of Russia" + " " * number, 1).encode())
                 for number in range(1, 6)]  # fmt: skip
        outlets_text = texts[1].encode()
        for path, data in saves:  # an editor saving several files at once (all made first: no gaps)
            path.write_bytes(data)
            outlets.write_bytes(outlets_text)
        wait_for(lambda: "BAQ.kz" in server.page("outlets/index.html"), "the rebuilt page")
        time.sleep(0.5)
    rebuilds = [line for line in server.output.splitlines() if "rebuilt" in line]
    assert len(rebuilds) == 2, server.output  # the first build, then one for the whole burst
