"""bench/run.py, so the benchmark cannot rot: it runs on a tiny corpus (ours only) and its table has every row.

Nothing here is timed: the figures themselves are the benchmark's business (bench/results/build.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "bench"))

import corpus  # noqa: E402
import peers  # noqa: E402
import report  # noqa: E402
import run  # noqa: E402


def test_harness_runs_ours_alone_and_writes_every_row(tmp_path: Path) -> None:
    out = tmp_path / "build.md"
    command = [sys.executable, str(PROJECT / "bench" / "run.py"), "--sizes", "6", "12", "--runs", "1",
               "--peers", "--serve-runs", "1", "--note", "Test run.", "--out", str(out)]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    table = out.read_text(encoding="utf-8")
    assert finished.stdout == table
    assert "Test run." in table
    for size in ("6", "12"):
        for _, label, unit in report.MEASURES:
            name = f"{label}, {unit}" if unit else label
            row = next(line for line in table.splitlines() if line.startswith(f"| {size} | {name} |"))
            ours = row.split(" | ")[2]
            assert ours != "–", row  # ours is measured; the peers' cells are empty
            assert row.endswith("| – | – | – | – |"), row
        for label, *_ in report.TARGETS:
            assert f"| {size} | {label} | – | " in table
        assert f"- Hugo at {size} articles: not asked for (--peers)" in table
    assert table.count("| 6 → 12 | same ratio: ") == len(report.TARGETS)
    assert "PASS" not in table and "FAIL" not in table  # no peer, no verdict
    pages = next(line for line in table.splitlines() if line.startswith("| 12 | HTML pages written |"))
    assert int(pages.split(" | ")[2]) > 12  # every article, person and outlet page at least


def test_peer_sites_hold_the_same_articles(tmp_path: Path) -> None:
    corpus.write(tmp_path / "content", 4)
    peers.write_hugo(tmp_path / "content", tmp_path / "hugo")
    peers.write_pelican(tmp_path / "content", tmp_path / "pelican")
    ours = yaml.safe_load((tmp_path / "content" / "articles" / "article-00002.yaml").read_text(encoding="utf-8"))
    text = (tmp_path / "content" / "articles" / "article-00002.md").read_text(encoding="utf-8")
    hugo = (tmp_path / "hugo" / "content" / "articles" / "article-00002.md").read_text(encoding="utf-8")
    pelican = (tmp_path / "pelican" / "content" / "articles" / "article-00002.md").read_text(encoding="utf-8")
    for page in (hugo, pelican):
        for paragraph in text.splitlines():
            assert f"\n\n{paragraph}\n\n" in page  # one Markdown paragraph per line of ours
        for quote in ours["quotes"]:
            assert f"> {quote['text']}" in page and quote["translation"]["en"] in page
    assert '"outlets": [\n  "outlet-2",\n  "outlet-3"\n ]' in hugo
    assert '"people": [' in hugo and '"title": "Article 2"' in hugo
    assert "Category: Outlet 2\n" in pelican and "Tags: lavrov, rubio, tokayev, ushakov, witkoff\n" in pelican
    slug, translation = run.edited_article(4)
    for path in (f"content/articles/{slug}.yaml", f"hugo/content/articles/{slug}.md",
                 f"pelican/content/articles/{slug}.md"):  # fmt: skip
        assert translation in (tmp_path / path).read_text(encoding="utf-8")
    timeline = (tmp_path / "hugo" / "content" / "summits" / "synthetic.md").read_text(encoding="utf-8")
    assert timeline.count("\n- **2025-08-") == 1  # N/10 events, at least one
    assert (tmp_path / "hugo" / "content" / "people" / "putin" / "_index.md").exists()
    assert (tmp_path / "pelican" / "content" / "pages" / "synthetic.md").exists()


def result(ours: dict[str, float], hugo: dict[str, float] | None) -> report.SizeResult:
    medians = {"ours": ours} | ({"Hugo": hugo} if hugo else {})
    return report.SizeResult(100, 1, medians, {} if hugo else {"Hugo": "not installed"})


def test_targets_pass_at_the_limit_only_where_the_issue_says_at_most() -> None:
    ours = {"cold": 5.0, "nochange": 2.0, "edit": 0.4, "serve": 0.1, "memory": 99}
    lines = report.targets_table([result(ours, {"cold": 2.0, "memory": 100.0})])
    verdicts = {line.split(" | ")[1]: line.rsplit(" | ", 1)[1].rstrip(" |") for line in lines[2:]}
    assert verdicts["cold build at most 2.5 × Hugo's"] == "PASS"  # 2.5× exactly
    assert verdicts["no-change rebuild faster than Hugo's cold build"] == "FAIL"  # 1.0× exactly
    assert verdicts["one-article rebuild under 25% of Hugo's cold build"] == "PASS"
    assert verdicts["dev server, save to served, under 5% of Hugo's cold build"] == "FAIL"  # exactly 5%
    assert verdicts["peak memory under Hugo's"] == "PASS"
    assert verdicts["cold build at most 0.5 × Pelican's"] == "n/a (not measured)"


def test_linear_growth_allows_a_fifth_more_of_each_ratio() -> None:
    small = result({"cold": 1.0, "nochange": 0.5, "edit": 0.2, "memory": 50}, {"cold": 1.0, "memory": 100})
    large = result({"cold": 6.0, "nochange": 1.0, "edit": 1.3, "memory": 65}, {"cold": 5.0, "memory": 100})
    large.articles = 500
    rows = {line.split(" | ")[1]: line for line in report.linear_rows(small, large)}
    assert rows["same ratio: cold build at most 2.5 × Hugo's"].endswith("| PASS |")  # 1.0× → 1.2×
    assert rows["same ratio: no-change rebuild faster than Hugo's cold build"].endswith("| PASS |")  # 0.5× → 0.2×
    assert rows["same ratio: one-article rebuild under 25% of Hugo's cold build"].endswith("| FAIL |")  # 0.2× → 0.26×
    assert rows["same ratio: peak memory under Hugo's"].endswith("| FAIL |")  # 0.5× → 0.65×
    assert "n/a (not measured)" in rows["same ratio: cold build at most 0.5 × Pelican's"]


def test_document_names_the_runs_and_the_missing_peers() -> None:
    small = report.SizeResult(100, 5, {"ours": {"cold": 1.0}}, {"Pelican": "not installed"}, peer_runs=1)
    text = report.document([small], "Preliminary.", 60.0, {"python": "3.11"}, 0.5)
    assert "(5 at 100 articles (peers 1))" in text and "Preliminary." in text and "load average 0.50" in text
    assert "- Pelican at 100 articles: not installed" in text
    assert "| 100 | cold build at most 0.5 × Pelican's | – | 0.50× | n/a (not installed) |" in text


def test_a_peer_not_installed_is_named_missing(monkeypatch) -> None:
    monkeypatch.setattr(run.shutil, "which", lambda name: None)
    monkeypatch.setattr(run.importlib.util, "find_spec", lambda name: None)
    assert run.missing_peers(["hugo", "pelican"]) == {
        "Hugo": "not installed (apt-get install -y hugo)",
        "Pelican": "not installed (pip install -e '.[bench]')",
    }
    assert run.missing_peers([]) == {}


def test_memory_counts_a_forked_workers_shared_pages_once(tmp_path: Path) -> None:
    """A parent touches 200 MiB, then forks a worker that only reads it: the build occupies about
    200 MiB, not the 400 MiB that summing resident sets would say."""
    import timing

    script = (
        "import os, time\n"
        "data = bytearray(200 * 2**20)\n"
        "for i in range(0, len(data), 4096): data[i] = 1\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    total = sum(data[i] for i in range(0, len(data), 4096)); time.sleep(1.0); os._exit(0)\n"
        "time.sleep(1.2); os.waitpid(pid, 0)\n"
    )
    timed = timing.run_timed([sys.executable, "-c", script], tmp_path)
    assert 190 * 1024 < timed.peak_kib < 280 * 1024, timed
