"""Hostile or odd content files: YAML bombs and limits, symbolic links, path-like and colliding
ids, and the text encodings an article pasted from the web arrives in (byte-order mark, CRLF,
NFD, zero-width characters, right-to-left marks). Each is handled or reported as
`path:line:column: message`, never with a traceback.

These run the pipeline in-process (fast); test_errors.py covers the command line's output.
"""

from __future__ import annotations

import os
import time
import unicodedata

import pytest
from bs4 import BeautifulSoup
from conftest import ARTICLE, ARTICLE_MD, ARTICLE_YAML, PEOPLE_YAML, SUMMIT, Scratch

from summitsite.load import MAX_DEPTH, MAX_NODES
from summitsite.pipeline import build

ARTICLE_YAML_PATH = f"articles/{ARTICLE}.yaml"
ARTICLE_MD_PATH = f"articles/{ARTICLE}.md"


def errors_of(scratch: Scratch) -> list[str]:
    """The build's errors as 'relpath:line:column: message', relative to the content folder."""
    before = sorted(scratch.out.rglob("*")) if scratch.out.exists() else None
    result = build(scratch.content, scratch.out)
    assert not result.ok, "the build should have failed"
    assert (sorted(scratch.out.rglob("*")) if scratch.out.exists() else None) == before, "a failed build wrote"
    prefix = str(scratch.content) + os.sep
    shown = [str(e) for e in result.errors]
    return [e.removeprefix(prefix).removeprefix(os.path.relpath(scratch.content) + os.sep) for e in shown]


def built(scratch: Scratch) -> BeautifulSoup:
    result = build(scratch.content, scratch.out)
    assert result.ok, [str(e) for e in result.errors]
    return BeautifulSoup((scratch.out / f"articles/{ARTICLE}.html").read_text("utf-8"), "html.parser")


def marked(page: BeautifulSoup) -> list[str]:
    return [m.get_text() for m in page.find_all("mark", class_="quote-mark")]


# --- YAML -------------------------------------------------------------------------------------


def billion_laughs() -> str:
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_is_refused_at_once(scratch: Scratch) -> None:
    scratch.write("people.yaml", PEOPLE_YAML + billion_laughs())
    started = time.perf_counter()
    errors = errors_of(scratch)
    seconds = time.perf_counter() - started
    assert seconds < 0.5, f"took {seconds:.2f} s"
    first = len(PEOPLE_YAML.splitlines()) + 1
    assert [e for e in errors if e.startswith("people.yaml")] == [
        f"people.yaml:{first + 5}:7: this expands to more than {MAX_NODES:,} values (an alias bomb?)"
    ]


def test_an_alias_that_contains_itself_is_refused(scratch: Scratch) -> None:
    scratch.write("site.yaml", "title: x\nloop: &loop [a, *loop]\n")
    assert errors_of(scratch) == ["site.yaml:2:7: an alias refers to a list or mapping that contains it"]


@pytest.mark.parametrize(
    "text, where",
    [
        ("title: x\nnest: " + "[" * 150 + "]" * 150 + "\n", "2:106"),  # flow, one line
        ("title: x\nnest:\n" + " [\n" * 30_000 + " ]\n" * 30_000, f"{2 + MAX_DEPTH}:2"),  # deep enough to crash libyaml
        ("title: x\nnest:\n" + "".join(" " * i + "k:\n" for i in range(1, 150)) + " " * 150 + "x\n", "102:101"),
    ],
    ids=["flow", "flow-30000-lines", "block"],
)
def test_deep_nesting_is_refused(scratch: Scratch, text: str, where: str) -> None:
    scratch.write("site.yaml", text)
    started = time.perf_counter()
    assert errors_of(scratch) == [f"site.yaml:{where}: lists and mappings are nested more than {MAX_DEPTH} levels deep"]
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['echo pwned']",
        "!!python/name:os.system",
        "!!binary aGVsbG8=",
        "!custom x",
    ],
)
def test_no_python_or_other_tag_gets_through(scratch: Scratch, value: str) -> None:
    scratch.write("site.yaml", f"title: {value}\n")
    errors = errors_of(scratch)
    assert any(e.startswith("site.yaml:1:8: unsupported YAML tag") for e in errors), errors


def test_very_long_lines_are_refused(scratch: Scratch) -> None:
    scratch.write("site.yaml", "title: x\ndescription: " + "a" * 20_000 + "\n")
    scratch.write(ARTICLE_MD_PATH, ARTICLE_MD + "b" * 100_001 + "\n")
    assert errors_of(scratch) == [
        f"{ARTICLE_MD_PATH}:{len(ARTICLE_MD.splitlines()) + 1}:100001: "
        f"line {len(ARTICLE_MD.splitlines()) + 1} is 100,001 characters long; the limit is 100,000",
        "site.yaml:2:10001: line 2 is 20,013 characters long; the limit is 10,000",
    ]


def test_a_huge_file_is_refused_before_it_is_read(scratch: Scratch) -> None:
    with open(scratch.content / "outlets.yaml", "r+b") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: costs nothing to make
    assert errors_of(scratch) == ["outlets.yaml:1:1: file is larger than 20 MiB"]


def test_a_pipe_is_not_read(scratch: Scratch) -> None:
    (scratch.content / "summits" / "pipe.yaml").unlink(missing_ok=True)
    os.mkfifo(scratch.content / "summits" / "pipe.yaml")  # reading it would wait for ever
    errors = errors_of(scratch)
    assert "summits/pipe.yaml:1:1: not a regular file (a device, pipe or socket cannot be content)" in errors


# --- symbolic links ---------------------------------------------------------------------------


def test_symbolic_links_out_of_the_content_folder_are_refused(scratch: Scratch) -> None:
    secret = scratch.root / "secret.md"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (scratch.content / ARTICLE_MD_PATH).unlink()
    (scratch.content / ARTICLE_MD_PATH).symlink_to(secret)
    outside = scratch.root / "elsewhere"
    outside.mkdir()
    (outside / "other.yaml").write_text("name: x\n", encoding="utf-8")
    (scratch.content / "summits" / "linked.yaml").symlink_to(outside / "other.yaml")
    errors = errors_of(scratch)
    assert f"{ARTICLE_MD_PATH}:1:1: symbolic link leading out of the content folder (to {secret.resolve()}): " \
        "copy the file in instead" in errors
    assert any(e.startswith("summits/linked.yaml:1:1: symbolic link leading out of the content folder") for e in errors)
    assert not any("root:x" in e for e in errors)


def test_symbolic_links_inside_the_content_folder_are_followed(scratch: Scratch) -> None:
    kept = scratch.content / "texts"
    kept.mkdir()
    (kept / "a.txt").write_bytes(ARTICLE_MD.encode())
    (scratch.content / ARTICLE_MD_PATH).unlink()
    (scratch.content / ARTICLE_MD_PATH).symlink_to(kept / "a.txt")
    assert len(marked(built(scratch))) >= 2


# --- ids that would make bad paths --------------------------------------------------------------


@pytest.mark.parametrize(
    "key, message",
    [
        ('"../../etc"', "'../../etc' cannot be an id: use letters, digits and hyphens"),
        ('"/etc/passwd"', "'/etc/passwd' cannot be an id: use letters, digits and hyphens"),
        ('"C:evil"', "'C:evil' cannot be an id: use letters, digits and hyphens"),
        ('"..\\\\x"', "'..\\x' cannot be an id: use letters, digits and hyphens"),
        ('".hidden"', "'.hidden' cannot be an id: use letters, digits and hyphens"),
        ('"pu\\u200btin2"', "id 'pu\\u200btin2' has an invisible character U+200B (ZERO WIDTH SPACE) at "
         "character 3: type it again"),
        ("index", "'index' would be people/index.html, the index of people: rename it"),
        ("CON", "'CON' would be people/con.html, a name Windows reserves: rename it"),
        ("Putin", "'Putin' and 'putin' would both be people/putin.html: rename one"),
        ("ПУТИН", "'ПУТИН' and 'putin' would both be people/putin.html: rename one"),
        ("щ" * 40, f"'{'щ' * 40}…' gives a URL name of 160 characters (at most 150): shorten it"),
    ],
)
def test_ids_that_would_make_bad_or_colliding_paths_are_refused(scratch: Scratch, key: str, message: str) -> None:
    scratch.write("people.yaml", PEOPLE_YAML + f"{key}:\n  name: Someone\n")
    line = len(PEOPLE_YAML.splitlines()) + 1
    on_entry = "cannot be an id" in message or message.startswith("id ")  # id checks point at the entry
    where = f"{line + 1}:3" if on_entry else f"{line}:1"
    assert errors_of(scratch) == [f"people.yaml:{where}: {message}"]


def test_article_files_that_collide_without_case_are_refused(scratch: Scratch) -> None:
    upper = ARTICLE.upper()
    scratch.write(f"articles/{upper}.md", ARTICLE_MD)
    scratch.write(f"articles/{upper}.yaml", ARTICLE_YAML)
    errors = errors_of(scratch)
    assert any(f"'{ARTICLE}' and '{upper}' would both be articles/{ARTICLE}.html" in e
               or f"'{upper}' and '{ARTICLE}' would both be articles/{ARTICLE}.html" in e for e in errors), errors


def test_event_ids_and_zero_width_file_names(scratch: Scratch) -> None:
    scratch.write(f"articles/{ARTICLE}\u200b.md", ARTICLE_MD)
    scratch.write(f"articles/{ARTICLE}\u200b.yaml", ARTICLE_YAML)
    errors = errors_of(scratch)
    assert f"articles/{ARTICLE}\u200b.yaml:1:1: the file name has an invisible character U+200B (ZERO WIDTH " \
        f"SPACE) at character {len(ARTICLE) + 1}: rename the file" in errors


# --- text encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["bom", "crlf", "cr", "nfd", "all"])
def test_quotes_match_and_highlight_in_any_encoding_of_the_text(scratch: Scratch, form: str) -> None:
    text = ARTICLE_MD + "Путин сказал: «Ёлки зелёные, мы готовы к диалогу».\n"
    yaml = ARTICLE_YAML + "  - speaker: putin\n    kind: direct\n    text: \"Ёлки зелёные, мы готовы к диалогу\"\n"
    if form in ("nfd", "all"):
        text = unicodedata.normalize("NFD", text)
        assert text != unicodedata.normalize("NFC", text)
    if form in ("crlf", "all"):
        text = text.replace("\n", "\r\n")
    if form == "cr":
        text = text.replace("\n", "\r")
    data = text.encode("utf-8")
    if form in ("bom", "all"):
        data = b"\xef\xbb\xbf" + data
    (scratch.content / ARTICLE_MD_PATH).write_bytes(data)
    if form == "all":  # the YAML in NFD with CRLF and a byte-order mark too
        (scratch.content / ARTICLE_YAML_PATH).write_bytes(
            b"\xef\xbb\xbf" + unicodedata.normalize("NFD", yaml).replace("\n", "\r\n").encode()
        )
    else:
        scratch.write(ARTICLE_YAML_PATH, yaml)
    page = built(scratch)
    marks = marked(page)
    assert "Ёлки зелёные, мы готовы к диалогу" in marks
    assert "We are ready — as always — to talk about a settlement" in marks
    assert "\ufeff" not in page.get_text() and "\r" not in str(page)


def test_a_zero_width_space_in_the_article_is_pointed_at(scratch: Scratch) -> None:
    text = ARTICLE_MD.replace("as always", "as\u200b always")
    scratch.write(ARTICLE_MD_PATH, text)
    line = text.count("\n", 0, text.index("\u200b")) + 1
    column = text.index("\u200b") - text.rfind("\n", 0, text.index("\u200b"))
    (error,) = errors_of(scratch)
    assert error.startswith(f"{ARTICLE_YAML_PATH}:10:11: quote not found in ")
    assert error.endswith(
        f"(the article has an invisible character U+200B (ZERO WIDTH SPACE) at line {line} column {column}, "
        "which the quote lacks)"
    )


def test_right_to_left_marks_match_and_overrides_left_open_are_refused(scratch: Scratch) -> None:
    scratch.write(ARTICLE_MD_PATH, ARTICLE_MD + "قال \u200fبوتين: «نحن مستعدون للحوار»\n")
    quote = "  - {speaker: putin, kind: direct, text: \"نحن مستعدون للحوار\"}\n"
    scratch.write(ARTICLE_YAML_PATH, ARTICLE_YAML + quote)
    assert "نحن مستعدون للحوار" in marked(built(scratch))
    scratch.write("people.yaml", PEOPLE_YAML.replace("role: {en: President of Russia}",
                                                      "role: {en: \"President \u202eof Russia\"}"))
    assert errors_of(scratch) == [
        "people.yaml:4:14: 'en': a direction control U+202E (RIGHT-TO-LEFT OVERRIDE) at character 11 is not "
        "closed (U+202C or U+2069): it would turn the text after it around"
    ]
    scratch.write("people.yaml", PEOPLE_YAML.replace("role: {en: President of Russia}",
                                                      "role: {en: \"President \u202eof\u202c Russia\"}"))
    built(scratch)


def test_a_private_use_character_in_the_article_does_not_shift_the_highlight(scratch: Scratch) -> None:
    scratch.write(ARTICLE_MD_PATH, "\U000f0001\U000f0000 " + ARTICLE_MD)
    assert "We are ready — as always — to talk about a settlement" in marked(built(scratch))


assert SUMMIT  # the scratch project's summit, used by the fixtures
