"""The JSON Schemas for editors agree with the build's validator: they are generated from the same
specs, the committed copies are current, the sample validates, and every bad input the build
rejects for a reason a JSON Schema can express is rejected by the schema too."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import ARTICLE, PROJECT, SUMMIT, Scratch

from summitsite.errors import ErrorList
from summitsite.jsonschemas import json_schemas
from summitsite.load import load_yaml
from summitsite.pipeline import build

SCHEMAS = PROJECT / "schemas"
ARTICLE_PATH = f"articles/{ARTICLE}.yaml"
SUMMIT_PATH = f"summits/{SUMMIT}.yaml"


def kind_of(relpath: str) -> str:
    return relpath.split("/")[0].rstrip("s") if "/" in relpath else relpath.removesuffix(".yaml")


def schema_errors(path: Path, kind: str) -> list[str]:
    """What the JSON Schema of this kind of file says about the file, read as YAML editors read it."""
    doc = load_yaml(path, ErrorList())
    assert doc is not None, path
    data = json.loads(json.dumps(doc.data))  # as JSON: keys are texts
    validator = jsonschema.Draft7Validator(json.loads((SCHEMAS / f"{kind}.schema.json").read_text("utf-8")))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def test_committed_schemas_are_the_generated_ones() -> None:
    generated = json_schemas()
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(generated)
    for name, text in generated.items():
        assert (SCHEMAS / name).read_text("utf-8") == text, f"schemas/{name} is stale: python build.py schemas"


@pytest.mark.parametrize("name", sorted(json_schemas()))
def test_each_schema_is_a_valid_draft_7_schema(name: str) -> None:
    jsonschema.Draft7Validator.check_schema(json.loads(json_schemas()[name]))


def sample_files() -> list[Path]:
    return sorted((PROJECT / "content").rglob("*.yaml"))


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_the_sample_validates_and_points_its_editor_at_its_schema(path: Path) -> None:
    relpath = path.relative_to(PROJECT / "content").as_posix()
    kind = kind_of(relpath)
    assert schema_errors(path, kind) == []
    first_line = path.read_text("utf-8").split("\n", 1)[0]
    schema_file = (path.parent / first_line.removeprefix("# yaml-language-server: $schema=")).resolve()
    assert schema_file == SCHEMAS / f"{kind}.schema.json", first_line


def test_the_scratch_project_validates(scratch: Scratch) -> None:
    for path in sorted(scratch.content.rglob("*.yaml")):
        assert schema_errors(path, kind_of(path.relative_to(scratch.content).as_posix())) == [], path


# Bad input, one change each. "both": the build rejects it and so must the JSON Schema.
BOTH = [
    ("site.yaml", "language: en", "language: en\ncolour: red", "unknown-key"),
    (ARTICLE_PATH, "- speaker: trump", "- speker: trump", "misspelt-quote-key"),
    ("outlets.yaml", "  country: RU\n  language: ru\n  kind: agency\nria",
     "  contry: RU\n  language: ru\n  kind: agency\nria", "misspelt-outlet-key"),
    (SUMMIT_PATH, "    time_note: afternoon", "    tim_note: afternoon", "misspelt-event-key"),
    (ARTICLE_PATH, "outlet: tass\n", "", "missing-outlet"),
    ("people.yaml", "  name: {en: Donald Trump, ru: Дональд Трамп}\n", "", "missing-name"),
    (SUMMIT_PATH, "    time: 2025-08-15T11:26\n", "", "missing-event-time"),
    (SUMMIT_PATH, "    people: [putin, trump]\n    sources:\n      - tass",
     "    people: putin\n    sources:\n      - tass", "people-a-text"),
    ("people.yaml", "  aliases: [Путин, Putin]", "  aliases: 5", "aliases-a-number"),
    ("people.yaml", "  aliases: [Путин, Putin]", "  aliases: [Путин, Путин]", "alias-twice"),
    (SUMMIT_PATH, "    key: true", "    key: yes", "key-yes"),
    (ARTICLE_PATH, "via: [ria-novosti]", "via: ria-novosti", "via-a-text"),
    (ARTICLE_PATH, 'translation: {ru: "Мы готовы — как всегда — говорить об урегулировании"}',
     "translation: Мы готовы", "translation-a-text"),
    (ARTICLE_PATH, 'translation: {ru: "Мы готовы — как всегда — говорить об урегулировании"}',
     "translation: {}", "translation-empty"),
    (ARTICLE_PATH, "    kind: indirect", "    kind: quoted", "kind-unknown"),
    ("outlets.yaml", "  kind: agency\nria", "  kind: agencyy\nria", "outlet-kind-unknown"),
    ("outlets.yaml", "  url: \"https://tass.ru\"", "  url: tass.ru", "url-without-scheme"),
    ("outlets.yaml", "  country: RU\n  language: ru\n  kind: agency\nria",
     "  country: XX\n  language: ru\n  kind: agency\nria", "country-unknown"),
    ("site.yaml", "language: en", "language: english", "language-code-unknown"),
    ("site.yaml", "title: Scratch Summit Watch", "title: '   '", "title-blank"),
    ("people.yaml", "trump:", "trump/us:", "id-with-slash"),
    ("people.yaml", "trump:", ".trump:", "id-starting-with-a-dot"),
    (SUMMIT_PATH, "start: 2025-08-15", "start: 2025-13-01", "month-13"),
    (SUMMIT_PATH, "time: 2025-08-15T10:20", "time: 10:20", "time-without-date"),
    (SUMMIT_PATH, "time: 2025-08-15T10:20", "time: 2025-08-15 at 10:20", "time-in-words"),
    (ARTICLE_PATH, "published: 2025-08-15T21:30+03:00", "published: 2025-08-15T21:30", "published-no-offset"),
    (SUMMIT_PATH, "timezone: America/Anchorage", "timezone: Anchorage time", "zone-with-space"),
    (SUMMIT_PATH, "      - tass-alaska-talks", "      - {outlet: tass}", "source-without-url"),
    (SUMMIT_PATH, "      - tass-alaska-talks", "      - [tass]", "source-a-list"),
    ("people.yaml", "putin:\n  name:", "putin:\n  name: []\n  nam:", "name-a-list"),
    (ARTICLE_PATH, "    event: talks-begin\n", "    event: talks-begin\n    statement: a/b\n", "statement-with-slash"),
]  # fmt: skip

# The build rejects these too, but a JSON Schema cannot see why: the reason is in another file,
# in the article's text, in the calendar or the time zone database, or in the characters of a
# text. README lists them; the schema must (honestly) let them through.
BUILD_ONLY = [
    (ARTICLE_PATH, "- speaker: trump", "- speaker: puttin", "unknown-speaker"),
    (ARTICLE_PATH, "summit: alaska-2025", "summit: alaska-2052", "unknown-summit"),
    (ARTICLE_PATH, "event: talks-begin", "event: talks-begun", "unknown-event"),
    (SUMMIT_PATH, "      - tass-alaska-talks", "      - tass-alaska-talk", "unknown-source-article"),
    (ARTICLE_PATH, 'to talk about a settlement"', 'to talk about a settlemint"', "quote-not-in-text"),
    (SUMMIT_PATH, "  - id: press-conference", "  - id: arrival", "duplicate-event-id"),
    (SUMMIT_PATH, "start: 2025-08-15", "start: 2025-02-30", "30-february"),
    (SUMMIT_PATH, "timezone: America/Anchorage", "timezone: America/Anchorge", "zone-unknown"),
    (SUMMIT_PATH, "time: 2025-08-15T10:20", "time: 2025-03-09T02:30", "dst-gap"),
    (SUMMIT_PATH, "end: 2025-08-15", "end: 2025-08-14", "end-before-start"),
    ("people.yaml", "trump:", "index:", "reserved-id"),
    ("people.yaml", "trump:", "tru\u200bmp:", "invisible-character-in-id"),
    ("site.yaml", "language: en", "language: kk", "no-interface-in-kazakh"),
    (ARTICLE_PATH, "    event: talks-begin\n  - speaker: trump\n",
     "    event: talks-begin\n    statement: x\n  - speaker: trump\n    statement: x\n", "statement-twice-in-article"),
]


def break_one(scratch: Scratch, relpath: str, old: str, new: str) -> None:
    text = scratch.read(relpath)
    assert text.count(old) == 1, f"{old!r} should occur once in {relpath}"
    scratch.write(relpath, text.replace(old, new))


def build_errors_in(scratch: Scratch, relpath: str) -> list[str]:
    result = build(scratch.content, None)
    return [e.message for e in result.errors if Path(e.path).resolve() == (scratch.content / relpath).resolve()]


@pytest.mark.parametrize(("relpath", "old", "new"), [c[:3] for c in BOTH], ids=[c[3] for c in BOTH])
def test_schema_rejects_what_the_build_rejects(scratch: Scratch, relpath: str, old: str, new: str) -> None:
    break_one(scratch, relpath, old, new)
    assert build_errors_in(scratch, relpath), "the build accepts it"
    assert schema_errors(scratch.content / relpath, kind_of(relpath)), "the JSON Schema accepts it"


@pytest.mark.parametrize(("relpath", "old", "new"), [c[:3] for c in BUILD_ONLY], ids=[c[3] for c in BUILD_ONLY])
def test_what_only_the_build_can_check(scratch: Scratch, relpath: str, old: str, new: str) -> None:
    break_one(scratch, relpath, old, new)
    assert build_errors_in(scratch, relpath), "the build accepts it"
    assert schema_errors(scratch.content / relpath, kind_of(relpath)) == []


def test_schemas_command_writes_them(scratch: Scratch) -> None:
    code, stdout, stderr = scratch.call("schemas", "--out", scratch.root / "out")
    assert code == 0, stderr
    assert "wrote 5 JSON Schemas" in stdout
    written = {p.name: p.read_text("utf-8") for p in (scratch.root / "out").iterdir()}
    assert written == json_schemas()
