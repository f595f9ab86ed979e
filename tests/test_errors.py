"""One kind of bad input per test: the exit code, each error's path:line:column and message,
and that a failed build leaves the previous site/ byte for byte as it was.

Every test starts from the valid scratch project of conftest.py, builds it once, breaks one
thing in it, and builds again. Expected positions are computed from the text written.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ARTICLE, ARTICLE_MD, ARTICLE_YAML, SUMMIT, Scratch

ARTICLE_YAML_PATH = f"articles/{ARTICLE}.yaml"
ARTICLE_MD_PATH = f"articles/{ARTICLE}.md"
SUMMIT_PATH = f"summits/{SUMMIT}.yaml"

ERROR_LINE = re.compile(r"(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<message>.+)")
COUNT_LINE = re.compile(r"(?P<count>\d+) (?P<word>errors?)(?:; (?P<out>.+) left as it was)?")


# --- helpers -----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Error:
    path: str
    line: int
    column: int
    message: str


Snapshot = dict[str, bytes | None]  # relative path -> bytes (None for a folder)


def snapshot(folder: Path) -> Snapshot:
    """Every file's and folder's path under folder, with each file's bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() if path.is_file() else None
        for path in sorted(folder.rglob("*"))
    }


def shown(relpath: str) -> str:
    """A content file's path as the build shows it (relative to the scratch root)."""
    return f"content/{relpath}"


def pos(text: str, needle: str, at: str | None = None, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of needle in text, or of `at` inside it."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    if at is not None:
        index += needle.index(at)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def value_pos(text: str, fragment: str) -> tuple[int, int]:
    """1-based (line, column) of the value after 'key: ' on the line that holds fragment."""
    at = text.index(fragment)
    line_start = text.rfind("\n", 0, at) + 1
    line = text[line_start : text.index("\n", at)]
    return text.count("\n", 0, line_start) + 1, line.index(": ") + 3


def edit(scratch: Scratch, relpath: str, old: str, new: str) -> str:
    """Replace the one occurrence of old in a content file by new; return the new text."""
    text = scratch.read(relpath)
    assert text.count(old) == 1, f"{old!r} should occur once in {relpath}"
    text = text.replace(old, new)
    scratch.write(relpath, text)
    return text


def build_valid(scratch: Scratch) -> Snapshot:
    code, _, err = scratch.run("build")
    assert code == 0, err
    assert (scratch.out / "index.html").is_file()
    return snapshot(scratch.out)


def parse_errors(stderr: str, out: Path | None) -> list[Error]:
    """The error lines of stderr; checks the count line that ends them."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.rstrip("\n").split("\n")
    *error_lines, last = lines
    errors = []
    for line in error_lines:
        found = ERROR_LINE.fullmatch(line)
        assert found, f"not a 'path:line:column: message' line: {line!r}\n{stderr}"
        errors.append(Error(found["path"], int(found["line"]), int(found["column"]), found["message"]))
    count = COUNT_LINE.fullmatch(last)
    assert count, f"not a count line: {last!r}\n{stderr}"
    assert int(count["count"]) == len(errors), stderr
    assert count["word"] == ("error" if len(errors) == 1 else "errors"), last
    if out is None:
        assert count["out"] is None, last
    else:
        assert count["out"] in {str(out), os.path.relpath(out, out.parent)}, last  # as given, or relative
    assert errors == sorted(errors), f"errors are not sorted:\n{stderr}"
    return errors


def build_broken(scratch: Scratch, before: Snapshot) -> list[Error]:
    """Build the broken content: exit 1, errors reported, site/ and its folder untouched."""
    siblings = sorted(os.listdir(scratch.root))
    code, stdout, stderr = scratch.run("build")
    assert code == 1, f"exit {code}\nstdout: {stdout}\nstderr: {stderr}"
    errors = parse_errors(stderr, scratch.out)
    assert errors, stderr
    assert snapshot(scratch.out) == before, "a failed build changed site/"
    assert sorted(os.listdir(scratch.root)) == siblings, "a failed build left files beside site/"
    return errors


def assert_error(error: Error, path: str, where: tuple[int, int], *fragments: str) -> None:
    assert (error.path, error.line, error.column) == (path, *where), error
    for fragment in fragments:
        assert fragment in error.message, f"{fragment!r} not in {error.message!r}"


def only_error(errors: list[Error]) -> Error:
    assert len(errors) == 1, "\n".join(map(str, errors))
    return errors[0]


# --- 1. YAML syntax ----------------------------------------------------------------------


SITE_DESCRIPTION = "title: Scratch Summit Watch\ndescription:\n  en: A scratch site\n{}language: en\n"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param(SITE_DESCRIPTION.format(" ru: Тест\n"), (" ru: Тест", "ru"), id="indented-less"),
        pytest.param(SITE_DESCRIPTION.format("   ru: Тест\n"), ("   ru: Тест", ":"), id="indented-more"),
        pytest.param(SITE_DESCRIPTION.format("\tru: Тест\n"), ("\tru: Тест", "\t"), id="tab-indented"),
    ],
)
def test_yaml_syntax_error(scratch: Scratch, text: str, where: tuple[str, str]) -> None:
    before = build_valid(scratch)
    scratch.write("site.yaml", text)
    error = only_error(build_broken(scratch, before))
    assert_error(error, shown("site.yaml"), pos(text, *where), "YAML syntax error")


@pytest.mark.parametrize(
    ("text", "opener"),
    [
        pytest.param("title: Scratch Summit Watch\ndescription: {en: A scratch site\nlanguage: en\n",
                     ("{en: A scratch", "{"), id="unclosed-brace"),
        pytest.param("title: Scratch Summit Watch\ndescription: [A scratch site\nlanguage: en\n",
                     ("[A scratch", "["), id="unclosed-bracket"),
        pytest.param('title: "Scratch Summit Watch\nlanguage: en\n', ('"Scratch', '"'), id="unclosed-quote"),
    ],
)  # fmt: skip
def test_yaml_unclosed_bracket_or_quote_is_reported_where_it_opens(
    scratch: Scratch, text: str, opener: tuple[str, str]
) -> None:
    """The parser notices a missing ']', '}' or '"' only lines later (or at the end of the
    file); the editor must be pointed at the line that opened it: there, or named in the message."""
    before = build_valid(scratch)
    scratch.write("site.yaml", text)
    error = only_error(build_broken(scratch, before))
    line, column = pos(text, *opener)
    assert error.path == shown("site.yaml")
    assert "YAML syntax error" in error.message
    assert (error.line, error.column) == (line, column) or f"line {line}" in error.message, error


@pytest.mark.parametrize(
    ("relpath", "old", "new", "where", "fragment"),
    [
        pytest.param("people.yaml", "  aliases: [Путин, Putin]", "   aliases: [Путин, Putin]",
                     ("   aliases", "aliases"), "YAML syntax error", id="people-syntax"),
        pytest.param(ARTICLE_YAML_PATH, "    kind: indirect", "     kind: indirect",
                     ("     kind: indirect", ":"), "YAML syntax error", id="article-syntax"),
        pytest.param("people.yaml", None, "- putin\n- trump\n", ("- putin", None), "must be a mapping",
                     id="people-a-list"),
        pytest.param("people.yaml", None, "putin:\n  name: {en: Vladimir Putin, ru: \udcc2}\n",
                     ("\udcc2", None), "not valid UTF-8", id="people-not-utf8"),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_read_is_the_only_error(
    scratch: Scratch, relpath: str, old: str | None, new: str, where: tuple[str, str | None], fragment: str
) -> None:
    """A file that does not parse must not make every reference to its ids 'unknown':
    'putin' is in people.yaml, the build just could not read it."""
    before = build_valid(scratch)
    if old is None:
        text = new
        (scratch.content / relpath).write_bytes(new.encode("utf-8", "surrogateescape"))
    else:
        text = edit(scratch, relpath, old, new)
    error = only_error(build_broken(scratch, before))
    assert_error(error, shown(relpath), pos(text, *where), fragment)


# --- 2. unknown keys ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relpath", "old", "new", "key", "suggestion"),
    [
        pytest.param(ARTICLE_YAML_PATH, "- speaker: trump", "- speker: trump", "speker", "speaker",
                     id="quote"),
        pytest.param("outlets.yaml", "  country: RU\n  language: ru\n  kind: agency\nria",
                     "  contry: RU\n  language: ru\n  kind: agency\nria", "contry", "country", id="outlet"),
        pytest.param(SUMMIT_PATH, "timezone: America", "timezon: America", "timezon", "timezone",
                     id="summit"),
        pytest.param(SUMMIT_PATH, "    time_note: afternoon", "    tim_note: afternoon", "tim_note",
                     "time_note", id="event-optional"),
        pytest.param("people.yaml", "  role: {en: President of Russia}", "  roll: {en: President of Russia}",
                     "roll", "role", id="person-optional"),
    ],
)  # fmt: skip
def test_unknown_key(scratch: Scratch, relpath: str, old: str, new: str, key: str, suggestion: str) -> None:
    before = build_valid(scratch)
    text = edit(scratch, relpath, old, new)
    errors = build_broken(scratch, before)
    unknown = [e for e in errors if "unknown key" in e.message]
    assert_error(only_error(unknown), shown(relpath), pos(text, new, key),
                 f"unknown key '{key}' (did you mean '{suggestion}'?)")  # fmt: skip
    # the misspelled key may also leave a required key missing; nothing else may be reported
    for other in errors:
        assert other in unknown or other.message == f"missing required key '{suggestion}'", other


def test_unknown_key_without_a_close_match_lists_the_known_keys(scratch: Scratch) -> None:
    before = build_valid(scratch)
    text = edit(scratch, "site.yaml", "language: en\n", "language: en\ncolour: red\n")
    error = only_error(build_broken(scratch, before))
    assert_error(error, shown("site.yaml"), pos(text, "colour"), "unknown key 'colour'", "title", "language")


# --- 3. missing required keys ------------------------------------------------------------


@pytest.mark.parametrize(
    ("relpath", "old", "where", "key"),
    [
        pytest.param(ARTICLE_YAML_PATH, "outlet: tass\n", ("title:", None), "outlet", id="article-outlet"),
        pytest.param("people.yaml", "  name: {en: Donald Trump, ru: Дональд Трамп}\n", ("trump:", None),
                     "name", id="person-name"),
        pytest.param(SUMMIT_PATH, "    time: 2025-08-15T11:26\n", ("id: talks-begin", None), "time",
                     id="event-time"),
        pytest.param(ARTICLE_YAML_PATH, "    text: 'the sides had made \"great progress\" on many points'\n",
                     ("speaker: trump", None), "text", id="quote-text"),
    ],
)  # fmt: skip
def test_missing_required_key(
    scratch: Scratch, relpath: str, old: str, where: tuple[str, str | None], key: str
) -> None:
    before = build_valid(scratch)
    text = edit(scratch, relpath, old, "")
    error = only_error(build_broken(scratch, before))
    assert_error(error, shown(relpath), pos(text, *where), f"missing required key '{key}'")


# --- 4. wrong types ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relpath", "old", "new", "at", "fragments"),
    [
        pytest.param(SUMMIT_PATH, "    people: [putin, trump]\n    sources:\n      - tass",
                     "    people: putin\n    sources:\n      - tass", "putin",
                     ("'people' must be a list", "'putin'"), id="people-string"),
        pytest.param("people.yaml", "  aliases: [Путин, Putin]", "  aliases: 5", "5",
                     ("'aliases' must be a list", "the number 5"), id="aliases-number"),
        pytest.param(SUMMIT_PATH, "    key: true", "    key: yes", "yes",
                     ("'key' must be true or false", "'yes'"), id="key-yes"),
        pytest.param(ARTICLE_YAML_PATH, "via: [ria-novosti]", "via: ria-novosti", "ria-novosti",
                     ("'via' must be a list", "'ria-novosti'"), id="via-string"),
        pytest.param(ARTICLE_YAML_PATH,
                     'translation: {ru: "Мы готовы — как всегда — говорить об урегулировании"}',
                     "translation: Мы готовы", "Мы",
                     ("'translation' must be a mapping", "'Мы готовы'"), id="translation-text"),
    ],
)  # fmt: skip
def test_wrong_type(
    scratch: Scratch, relpath: str, old: str, new: str, at: str, fragments: tuple[str, ...]
) -> None:
    before = build_valid(scratch)
    text = edit(scratch, relpath, old, new)
    error = only_error(build_broken(scratch, before))
    assert_error(error, shown(relpath), pos(text, new, at), *fragments)


# --- 5. unknown references ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("relpath", "old", "new", "target", "suggestion"),
    [
        pytest.param(ARTICLE_YAML_PATH, "- speaker: trump", "- speaker: puttin", "puttin", "putin",
                     id="speaker"),
        pytest.param(ARTICLE_YAML_PATH, "outlet: tass", "outlet: taas", "taas", "tass", id="outlet"),
        pytest.param(ARTICLE_YAML_PATH, "via: [ria-novosti]", "via: [ria-novsti]", "ria-novsti",
                     "ria-novosti", id="via-outlet"),
        pytest.param(ARTICLE_YAML_PATH, "summit: alaska-2025", "summit: alaska-2052", "alaska-2052",
                     "alaska-2025", id="summit"),
        pytest.param(ARTICLE_YAML_PATH, "event: talks-begin", "event: talks-begun", "talks-begun",
                     "talks-begin", id="event"),
        pytest.param(SUMMIT_PATH, "      - tass-alaska-talks", "      - tass-alaska-talk", "tass-alaska-talk",
                     "tass-alaska-talks", id="source-article"),
        pytest.param(SUMMIT_PATH, "{outlet: ria-novosti, url", "{outlet: ria-novosty, url", "ria-novosty",
                     "ria-novosti", id="source-outlet"),
        pytest.param(SUMMIT_PATH, "via: [ria-novosti]", "via: [riya-novosti]", "riya-novosti", "ria-novosti",
                     id="source-via-outlet"),
        pytest.param(SUMMIT_PATH, "participants: [putin, trump]", "participants: [putin, trumpp]", "trumpp",
                     "trump", id="participant"),
        pytest.param(SUMMIT_PATH, "    people: [trump]", "    people: [trum]", "trum", "trump",
                     id="event-person"),
    ],
)  # fmt: skip
def test_unknown_reference(
    scratch: Scratch, relpath: str, old: str, new: str, target: str, suggestion: str
) -> None:
    before = build_valid(scratch)
    text = edit(scratch, relpath, old, new)
    error = only_error(build_broken(scratch, before))
    assert_error(error, shown(relpath), pos(text, new, target),
                 "unknown", f"'{target}'", f"(did you mean '{suggestion}'?)")  # fmt: skip


# --- 6. duplicate ids --------------------------------------------------------------------


def test_duplicate_key_in_people(scratch: Scratch) -> None:
    before = build_valid(scratch)
    text = scratch.read("people.yaml") + "putin:\n  name: {en: Another Putin}\n"
    scratch.write("people.yaml", text)
    error = only_error(build_broken(scratch, before))
    assert_error(error, shown("people.yaml"), pos(text, "putin:", nth=2),
                 "duplicate key 'putin'", f"line {pos(text, 'putin:')[0]}")  # fmt: skip


def test_duplicate_key_in_a_quote(scratch: Scratch) -> None:
    before = build_valid(scratch)
    new = "    kind: indirect\n    kind: direct\n"
    text = edit(scratch, ARTICLE_YAML_PATH, "    kind: indirect\n", new)
    error = only_error(build_broken(scratch, before))
    assert_error(error, shown(ARTICLE_YAML_PATH), pos(text, "kind: direct\n", nth=2),
                 "duplicate key 'kind'", f"line {pos(text, 'kind: indirect')[0]}")  # fmt: skip


def test_duplicate_timeline_event_id(scratch: Scratch) -> None:
    before = build_valid(scratch)
    text = edit(scratch, SUMMIT_PATH, "  - id: press-conference", "  - id: arrival")
    error = only_error(build_broken(scratch, before))
    assert_error(error, shown(SUMMIT_PATH), pos(text, "- id: arrival", "arrival", nth=2),
                 "duplicate event id 'arrival'", f"line {pos(text, '- id: arrival')[0]}")  # fmt: skip


def test_event_ids_that_make_the_same_anchor(scratch: Scratch) -> None:
    before = build_valid(scratch)
    text = edit(scratch, SUMMIT_PATH, "  - id: press-conference", "  - id: Arrival")
    error = only_error(build_broken(scratch, before))
    first = f"line {pos(text, '- id: arrival')[0]}"
    assert_error(error, shown(SUMMIT_PATH), pos(text, "- id: Arrival", "Arrival"),
                 "event id 'Arrival' makes the same #arrival anchor", first)  # fmt: skip


# --- 7. a quote that is not in its article -----------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "passage"),
    [
        pytest.param("to talk about a settlement\"", "to talk about a settlemint\"",
                     "We are ready — as always — to talk about a settlement", id="after-quotation-mark"),
        pytest.param("had made \"great progress\"", "had made \"grate progress\"",
                     'the sides had made "great progress" on many points', id="after-space"),
    ],
)  # fmt: skip
def test_quote_not_found_shows_the_closest_passage(
    scratch: Scratch, old: str, new: str, passage: str
) -> None:
    before = build_valid(scratch)
    text = edit(scratch, ARTICLE_YAML_PATH, old, new)
    error = only_error(build_broken(scratch, before))
    line, column = pos(ARTICLE_MD, passage)
    assert_error(error, shown(ARTICLE_YAML_PATH), value_pos(text, new),
                 f"quote not found in {shown(ARTICLE_MD_PATH)}",
                 f"closest passage, at line {line} column {column}: '{passage}'")  # fmt: skip


# --- 8. dates and time zones -------------------------------------------------------------


@pytest.mark.parametrize(
    ("relpath", "old", "new", "fragments"),
    [
        pytest.param(SUMMIT_PATH, "start: 2025-08-15", "start: 2025-13-01",
                     ("'2025-13-01' is not a valid date",), id="month-13"),
        pytest.param(SUMMIT_PATH, "time: 2025-08-15T10:20", "time: 10:20",
                     ("'10:20' has no date",), id="time-without-date"),
        pytest.param(SUMMIT_PATH, "timezone: America/Anchorage", "timezone: America/Anchorge",
                     ("unknown time zone 'America/Anchorge'", "(did you mean 'America/Anchorage'?)"),
                     id="time-zone-typo"),
        pytest.param(SUMMIT_PATH, "time: 2025-08-15T10:20", "time: 2025-03-09T02:30",
                     ("2025-03-09T02:30 does not exist in America/Anchorage",), id="dst-gap"),
        pytest.param(SUMMIT_PATH, "time: 2025-08-15T10:20", "time: 2025-11-02T01:30",
                     ("2025-11-02T01:30 happens twice in America/Anchorage", "offset"), id="dst-fold"),
        pytest.param(ARTICLE_YAML_PATH, "published: 2025-08-15T21:30+03:00", "published: 2025-08-15T21:30",
                     ("'2025-08-15T21:30' needs a UTC offset",), id="published-without-offset"),
        pytest.param(SUMMIT_PATH, "end: 2025-08-15", "end: 2025-08-14",
                     ("ends (2025-08-14) before it starts (2025-08-15)",), id="end-before-start"),
    ],
)  # fmt: skip
def test_bad_date_or_time_zone(
    scratch: Scratch, relpath: str, old: str, new: str, fragments: tuple[str, ...]
) -> None:
    before = build_valid(scratch)
    text = edit(scratch, relpath, old, new)
    error = only_error(build_broken(scratch, before))
    assert_error(error, shown(relpath), value_pos(text, new), *fragments)


# --- 9. an article's .md without its .yaml, and the reverse ------------------------------


def test_article_text_without_metadata(scratch: Scratch) -> None:
    before = build_valid(scratch)
    scratch.write("articles/orphan.md", "Putin said nothing.\n")
    error = only_error(build_broken(scratch, before))
    assert_error(error, shown("articles/orphan.md"), (1, 1), "without its metadata", "orphan.yaml")


def test_article_metadata_without_text(scratch: Scratch) -> None:
    before = build_valid(scratch)
    scratch.write("articles/orphan.yaml", ARTICLE_YAML.split("quotes:")[0])
    error = only_error(build_broken(scratch, before))
    assert_error(error, shown("articles/orphan.yaml"), (1, 1), "without its text", "orphan.md")


# --- 10. many errors in many files, in one run -------------------------------------------


def test_every_error_of_every_file_in_one_sorted_report(scratch: Scratch) -> None:
    before = build_valid(scratch)
    people = edit(scratch, "people.yaml", "  aliases: [Путин, Putin]", "  aliases: 5")
    outlets = edit(scratch, "outlets.yaml", "  kind: agency\nria", "  kind: agencyy\nria")
    summit = edit(scratch, SUMMIT_PATH, "time: 2025-08-15T10:20", "time: 2025-03-09T02:30")
    summit = edit(scratch, SUMMIT_PATH, "      - tass-alaska-talks", "      - tass-alaska-talk")
    article = edit(scratch, ARTICLE_YAML_PATH, "- speaker: trump", "- speaker: puttin")
    errors = build_broken(scratch, before)
    expected = [
        (shown(ARTICLE_YAML_PATH), pos(article, "speaker: puttin", "puttin"), "did you mean 'putin'?"),
        (shown("outlets.yaml"), pos(outlets, "agencyy"), "did you mean 'agency'?"),
        (shown("people.yaml"), pos(people, "aliases: 5", "5"), "must be a list"),
        (shown(SUMMIT_PATH), pos(summit, "2025-03-09T02:30"), "does not exist"),
        (shown(SUMMIT_PATH), pos(summit, "tass-alaska-talk\n"), "did you mean 'tass-alaska-talks'?"),
    ]
    assert len(errors) == len(expected), "\n".join(map(str, errors))
    for error, (path, where, fragment) in zip(errors, expected, strict=True):
        assert_error(error, path, where, fragment)
    # line 9 sorts before line 20: by number, not as text
    assert [e.line for e in errors[3:]] == sorted(e.line for e in errors[3:])


# --- 11. quote matching tolerance --------------------------------------------------------


def only_quote(text_yaml: str) -> str:
    """The article's annotations with a single quote, whose text: line is text_yaml."""
    return ARTICLE_YAML.split("quotes:")[0] + f"quotes:\n  - speaker: putin\n    kind: direct\n{text_yaml}"


NFD = unicodedata.normalize("NFD", "a día histórico for both countries")


@pytest.mark.parametrize(
    ("text_yaml", "passage"),
    [
        pytest.param("    text: |\n      We are  ready — as always —\n        to talk about a settlement\n",
                     "We are ready — as always — to talk about a settlement", id="newline-and-double-spaces"),
        pytest.param('    text: "We are\\tready —  as always —\\n to talk"\n',
                     "We are ready — as always — to talk", id="tab-and-escaped-newline"),
        pytest.param("    text: 'said: \"We are ready'\n", "said: “We are ready", id="straight-for-curly"),
        pytest.param("    text: \"said: «We are ready — as always — to talk about a settlement.»\"\n",
                     "said: “We are ready — as always — to talk about a settlement.”",
                     id="guillemets-for-curly"),
        pytest.param("    text: \"the meeting “very productive”\"\n", "the meeting «very productive»",
                     id="curly-for-guillemets"),
        pytest.param("    text: 'the meeting \"very productive\"'\n", "the meeting «very productive»",
                     id="straight-for-guillemets"),
        pytest.param("    text: \"had made “great progress” on\"\n", 'had made "great progress" on',
                     id="curly-for-straight"),
        pytest.param("    text: \"We are ready - as always - to talk\"\n",
                     "We are ready — as always — to talk", id="hyphens-for-em-dashes"),
        pytest.param("    text: \"at the base - briefly - before\"\n", "at the base – briefly – before",
                     id="hyphens-for-en-dashes"),
        pytest.param("    text: \"at the base — briefly — before\"\n", "at the base – briefly – before",
                     id="em-dashes-for-en-dashes"),
        pytest.param(f'    text: "{NFD}"\n', "a día histórico for both countries", id="nfd-characters"),
        pytest.param('    text: "a di\\u0301a histo\\u0301rico"\n', "a día histórico", id="nfd-escapes"),
    ],
)  # fmt: skip
def test_quote_matches_despite_space_marks_dashes_and_normalization(
    scratch: Scratch, text_yaml: str, passage: str
) -> None:
    assert passage in ARTICLE_MD
    scratch.write(ARTICLE_YAML_PATH, only_quote(text_yaml))
    code, stdout, stderr = scratch.run("build")
    assert code == 0, stderr
    assert "Traceback" not in stderr
    page = BeautifulSoup((scratch.out / f"articles/{ARTICLE}.html").read_text("utf-8"), "html.parser")
    marked = "".join(m.get_text() for m in page.select('mark[data-quotes~="quote-1"]'))
    assert marked == passage  # the span highlighted is exactly the article's own text


@pytest.mark.parametrize(
    "text_yaml",
    [
        pytest.param('    text: "We are ready — as always — to talk about a settlemant"\n', id="one-letter"),
        pytest.param('    text: "we are ready — as always — to talk"\n', id="case"),
        pytest.param('    text: "We are ready — as always, to talk"\n', id="dash-for-comma"),
    ],
)
def test_quote_differing_in_a_letter_does_not_match(scratch: Scratch, text_yaml: str) -> None:
    before = build_valid(scratch)
    text = only_quote(text_yaml)
    scratch.write(ARTICLE_YAML_PATH, text)
    error = only_error(build_broken(scratch, before))
    assert_error(error, shown(ARTICLE_YAML_PATH), value_pos(text, "    text: "), "quote not found")


# --- 12. usage errors --------------------------------------------------------------------


def assert_usage_error(result: tuple[int, str, str], *fragments: str) -> None:
    code, stdout, stderr = result
    assert code == 2, f"exit {code}\nstdout: {stdout}\nstderr: {stderr}"
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in stderr, stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["frobnicate"], id="unknown-command"),
        pytest.param(["build", "--frobnicate"], id="unknown-option"),
        pytest.param(["check", "--frobnicate"], id="unknown-check-option"),
        pytest.param(["--frobnicate"], id="unknown-option-without-command"),
    ],
)
def test_unknown_command_or_option(scratch: Scratch, args: list[str]) -> None:
    content = snapshot(scratch.content)
    assert_usage_error(scratch.run(*args), "frobnicate")
    assert not scratch.out.exists()
    assert snapshot(scratch.content) == content
    assert sorted(os.listdir(scratch.root)) == ["content"]


@pytest.mark.parametrize("out", ["content", "CONTENT_ABSOLUTE", ".", "ROOT_ABSOLUTE"])
def test_out_must_not_be_or_hold_the_content_folder(scratch: Scratch, out: str) -> None:
    out = {"CONTENT_ABSOLUTE": str(scratch.content), "ROOT_ABSOLUTE": str(scratch.root)}.get(out, out)
    everything = snapshot(scratch.root)
    assert_usage_error(scratch.call("build", "--content", "content", "--out", out))
    assert snapshot(scratch.root) == everything


def test_out_must_not_be_a_folder_the_tool_did_not_make(scratch: Scratch) -> None:
    mine = scratch.root / "mine"
    (mine / "sub").mkdir(parents=True)
    (mine / "notes.txt").write_text("keep me\n", "utf-8")
    (mine / "sub" / "data.bin").write_bytes(b"\x00\x01\x02")
    (mine / "index.html").write_text("<p>my own page</p>\n", "utf-8")
    everything = snapshot(scratch.root)
    assert_usage_error(scratch.call("build", "--content", scratch.content, "--out", mine), "mine")
    assert snapshot(scratch.root) == everything


def test_out_made_by_the_tool_is_replaced(scratch: Scratch) -> None:
    """The counterpart of the test above: a folder marked as the tool's own is rebuilt."""
    build_valid(scratch)
    (scratch.out / "stale.html").write_text("old\n", "utf-8")
    code, _, stderr = scratch.run("build")
    assert code == 0, stderr
    assert not (scratch.out / "stale.html").exists()


# --- 13. check writes nothing ------------------------------------------------------------


def test_check_valid_content_writes_nothing(scratch: Scratch) -> None:
    everything = snapshot(scratch.root)
    code, stdout, stderr = scratch.run("check")
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert not scratch.out.exists()
    assert snapshot(scratch.root) == everything


def test_check_invalid_content_exits_1_and_writes_nothing(scratch: Scratch) -> None:
    text = edit(scratch, ARTICLE_YAML_PATH, "- speaker: trump", "- speaker: puttin")
    everything = snapshot(scratch.root)
    code, stdout, stderr = scratch.run("check")
    assert code == 1, stderr
    error = only_error(parse_errors(stderr, None))
    assert_error(error, shown(ARTICLE_YAML_PATH), pos(text, "speaker: puttin", "puttin"), "'puttin'")
    assert not scratch.out.exists()
    assert snapshot(scratch.root) == everything


def test_check_leaves_an_existing_site_alone(scratch: Scratch) -> None:
    before = build_valid(scratch)
    edit(scratch, "site.yaml", "title: Scratch Summit Watch", "title: Another title")
    code, _, stderr = scratch.run("check")
    assert code == 0, stderr
    assert snapshot(scratch.out) == before


# --- 14. the same input gives the same bytes ---------------------------------------------


def test_same_content_builds_byte_identical_sites(scratch: Scratch) -> None:
    first = build_valid(scratch)
    other = scratch.root / "site2"
    code, _, stderr = scratch.call("build", "--content", scratch.content, "--out", other)
    assert code == 0, stderr
    assert snapshot(other) == first
    assert build_valid(scratch) == first  # and a rebuild in place changes nothing
