"""python build.py new-article and check --coverage, on a copy of the sample content."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ARTICLE, ARTICLE_YAML, PROJECT, Scratch

SEED = PROJECT / "tests/data/suggest/seed-000_631e70c4f47be797.txt"  # ../shared/seed's, byte for byte
SAMPLE = PROJECT / "content/articles/baq-kz-2025-08-16-putin-trump-press-conference"
RUSSIAN = PROJECT / "tests/data/suggest/tass-2025-08-16-alaska-talks-ru"


@pytest.fixture
def sample(tmp_path: Path) -> Scratch:
    """The sample content, to import into."""
    shutil.copytree(PROJECT / "content", tmp_path / "content")
    return Scratch(root=tmp_path, content=tmp_path / "content", out=tmp_path / "site")


def raw_file(tmp_path: Path, text: str, name: str = "raw.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def seed_text() -> str:
    return SEED.read_text("utf-8")


def test_the_seed_imports_verbatim_with_suggestions_and_passes_check(sample: Scratch, tmp_path: Path) -> None:
    source = raw_file(tmp_path, seed_text())
    code, out, err = sample.call("new-article", source, "--outlet", "baq-kz", "--via", "ria-novosti",
                                 "--content", sample.content)  # fmt: skip
    assert code == 0, err
    slug = "baq-kz-2025-08-16-putin-trump"
    assert "18 suggested quote(s): 6 direct, 12 indirect" in out
    md = sample.content / f"articles/{slug}.md"
    assert md.read_bytes() == SAMPLE.with_suffix(".md").read_bytes()  # the header moved to `published`
    data = yaml.safe_load((sample.content / f"articles/{slug}.yaml").read_text("utf-8"))
    assert data["outlet"] == "baq-kz" and data["via"] == ["ria-novosti"] and data["summit"] == "alaska-2025"
    assert str(data["published"]) == "2025-08-16" and data["language"] == "kk"
    assert {q["status"] for q in data["quotes"]} == {"suggested"}
    assert {"speaker": "putin", "kind": "direct", "status": "suggested",
            "text": "Ресей мен АҚШ парағын ашып, ынтымақтастыққа қайта оралуы керек"} in data["quotes"]  # fmt: skip
    code, out, err = sample.run("check")
    assert code == 0, err
    assert "28 quote(s) (18 suggested, not published)" in out
    assert len(re.findall(rf"articles/{slug}\.yaml:\d+:13: warning: unconfirmed quote by (putin|trump)", err)) == 18


def test_a_russian_article_imports_and_passes_check(sample: Scratch, tmp_path: Path) -> None:
    source = raw_file(tmp_path, "date 2025-08-16T09:40+03:00\n" + RUSSIAN.with_suffix(".md").read_text("utf-8"))
    title = "Ушаков и Лавров рассказали о переговорах"
    code, out, err = sample.call("new-article", source, "--outlet", "tass", "--slug", "tass-talks",
                                 "--title", title, "--content", sample.content)  # fmt: skip
    assert code == 0, err
    assert (sample.content / "articles/tass-talks.md").read_bytes() == RUSSIAN.with_suffix(".md").read_bytes()
    data = yaml.safe_load((sample.content / "articles/tass-talks.yaml").read_text("utf-8"))
    assert data["language"] == "ru" and data["title"] == title
    assert {q["speaker"] for q in data["quotes"]} == {"ushakov", "putin", "trump", "lavrov", "rubio"}
    code, _, err = sample.run("check")
    assert code == 0, err


def test_an_existing_article_is_never_overwritten(sample: Scratch, tmp_path: Path) -> None:
    source = raw_file(tmp_path, seed_text())
    before = SAMPLE.with_suffix(".yaml").read_bytes()
    code, _, err = sample.call("new-article", source, "--outlet", "baq-kz", "--slug", SAMPLE.name,
                               "--content", sample.content)  # fmt: skip
    assert code == 2
    assert f"error: content/articles/{SAMPLE.name}.md already exists: give another --slug" in err
    assert (sample.content / f"articles/{SAMPLE.name}.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--outlet", "baq-kx"], "error: unknown outlet 'baq-kx' (did you mean 'baq-kz'?)"),
        (["--outlet", "baq-kz", "--via", "ria"], "error: unknown outlet 'ria'"),
        (["--outlet", "baq-kz", "--summit", "alaska"], "error: unknown summit 'alaska' (did you mean 'alaska-2025'?)"),
        (["--outlet", "baq-kz", "--slug", "../escape"], "error: --slug: '../escape' cannot be an id"),
    ],
)
def test_bad_arguments_are_usage_errors(sample: Scratch, tmp_path: Path, args: list[str], message: str) -> None:
    source = raw_file(tmp_path, seed_text())
    before = sorted(p.name for p in (sample.content / "articles").iterdir())
    code, out, err = sample.call("new-article", source, *args, "--content", sample.content)
    assert code == 2 and message in err and "Traceback" not in err
    assert sorted(p.name for p in (sample.content / "articles").iterdir()) == before  # nothing written


def test_a_missing_file_is_a_usage_error(sample: Scratch, tmp_path: Path) -> None:
    code, _, err = sample.call("new-article", tmp_path / "nope.txt", "--outlet", "baq-kz", "--content", sample.content)
    assert code == 2 and f"error: no such file: {tmp_path / 'nope.txt'}" in err


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("Путин сказал.\n", "1:1", "no 'date' header: the text must start with 'date YYYY-MM-DD'"),
        ("\ndate 2025-13-16\nПутин сказал.\n", "2:6", "'2025-13-16' is not a valid date"),
        ("date 2025-08-16T10:00 Текст.\n", "1:6", "'2025-08-16T10:00' needs a UTC offset"),
        ("date 2025-08-16\n\n", "1:6", "no text after the 'date' header"),
    ],
)
def test_bad_raw_files_are_reported_at_their_place(sample: Scratch, tmp_path: Path, text: str, where: str,
                                                   message: str) -> None:  # fmt: skip
    source = raw_file(tmp_path, text)
    code, _, err = sample.call("new-article", source, "--outlet", "baq-kz", "--content", sample.content)
    assert code == 1
    assert f"raw.txt:{where}: {message}" in err and "Traceback" not in err  # paths as seen from the working folder


def test_bad_utf8_is_reported_at_its_place(sample: Scratch, tmp_path: Path) -> None:
    source = tmp_path / "raw.txt"
    source.write_bytes(b"date 2025-08-16\nok\n\xff\n")
    code, _, err = sample.call("new-article", source, "--outlet", "baq-kz", "--content", sample.content)
    assert code == 1 and "raw.txt:3:1: not valid UTF-8 (byte 0xff)" in err


def test_coverage_lists_attributed_sentences_no_quote_covers(scratch: Scratch) -> None:
    code, out, err = scratch.run("check", "--coverage")
    assert code == 0, err
    assert f"articles/{ARTICLE}.md: 2 of 2 attributed sentence(s) covered by quotes" in out
    scratch.write(f"articles/{ARTICLE}.yaml", ARTICLE_YAML.split("  - speaker: trump")[0])
    code, out, err = scratch.run("check", "--coverage")
    assert code == 0, err
    line = next(n for n, text in enumerate(out.splitlines()) if "no quote covers" in text)
    assert re.search(rf"articles/{ARTICLE}\.md:5:1: warning: no quote covers this statement by trump \('called'\): "
                     r"'Trump called the meeting «very productive» and said", out.splitlines()[line])  # fmt: skip
    assert f"articles/{ARTICLE}.md: 1 of 2 attributed sentence(s) covered by quotes" in out


def test_the_summit_is_the_one_held_on_or_just_before_the_date() -> None:
    from summitsite.importer import ImportProblem, choose_summit

    summits = {"alaska": {"start": "2025-08-15", "end": "2025-08-15"},
               "astana": {"start": "2025-09-01", "end": "2025-09-02"}}  # fmt: skip
    assert choose_summit(summits, "2025-08-16") == "alaska"
    assert choose_summit(summits, "2025-09-02T23:00+05:00") == "astana"
    with pytest.raises(ImportProblem, match=r"no summit is near 2025-10-01: give --summit ID"):
        choose_summit(summits, "2025-10-01")
    assert choose_summit({"alaska": summits["alaska"]}, "2026-01-01") == "alaska"
