"""Shared fixtures: a small, valid scratch project that each test may break one file of.

The scratch content is kept as literal YAML and Markdown text below, so a test can take
a file's text, change one line, and know exactly where the error it introduced is.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
BUILD = PROJECT / "build.py"

ARTICLE = "tass-alaska-talks"
SUMMIT = "alaska-2025"

SITE_YAML = """\
title: Scratch Summit Watch
language: en
"""

PEOPLE_YAML = """\
putin:
  name: {en: Vladimir Putin, ru: Владимир Путин}
  aliases: [Путин, Putin]
  role: {en: President of Russia}
  country: RU
trump:
  name: {en: Donald Trump, ru: Дональд Трамп}
  aliases: [Трамп, Trump]
  role: {en: President of the United States}
  country: US
"""

OUTLETS_YAML = """\
tass:
  name: TASS
  url: "https://tass.ru"
  country: RU
  language: ru
  kind: agency
ria-novosti:
  name: RIA Novosti
  url: "https://ria.ru"
  country: RU
  language: ru
  kind: agency
"""

SUMMIT_YAML = """\
name: {en: Scratch summit in Alaska}
place: {en: "Anchorage, Alaska"}
timezone: America/Anchorage
start: 2025-08-15
end: 2025-08-15
participants: [putin, trump]
timeline:
  - id: arrival
    time: 2025-08-15T10:20
    title: "Air Force One lands"
    people: [trump]
    sources:
      - {outlet: tass, via: [ria-novosti], url: "https://tass.ru/politika/1"}
  - id: talks-begin
    time: 2025-08-15T11:26
    title: "Talks begin"
    key: true
    people: [putin, trump]
    sources:
      - tass-alaska-talks
  - id: press-conference
    time: 2025-08-15
    time_note: afternoon
    title: "Joint press conference"
    people: [putin, trump]
    sources:
      - {outlet: ria-novosti, url: "https://ria.ru/politika/2"}
"""

ARTICLE_MD = """\
# Putin and Trump talk in Alaska

President Putin said: “We are ready — as always — to talk about a settlement.”

Trump called the meeting «very productive» and said the sides had made "great progress" \
on many points, calling it a día histórico for both countries.

The leaders later met reporters at the base – briefly – before flying home.
"""

ARTICLE_YAML = """\
title: {en: "Putin and Trump talk in Alaska"}
outlet: tass
via: [ria-novosti]
published: 2025-08-15T21:30+03:00
language: en
summit: alaska-2025
quotes:
  - speaker: putin
    kind: direct
    text: "We are ready — as always — to talk about a settlement"
    translation: {ru: "Мы готовы — как всегда — говорить об урегулировании"}
    event: talks-begin
  - speaker: trump
    kind: indirect
    text: 'the sides had made "great progress" on many points'
"""

FILES: dict[str, str] = {
    "site.yaml": SITE_YAML,
    "people.yaml": PEOPLE_YAML,
    "outlets.yaml": OUTLETS_YAML,
    f"summits/{SUMMIT}.yaml": SUMMIT_YAML,
    f"articles/{ARTICLE}.md": ARTICLE_MD,
    f"articles/{ARTICLE}.yaml": ARTICLE_YAML,
}


@dataclass
class Scratch:
    """A scratch project: content/ to build from, site/ to build into, both under root."""

    root: Path
    content: Path
    out: Path

    def write(self, relpath: str, text: str) -> Path:
        """Overwrite (or create) a content file with text, written as UTF-8."""
        path = self.content / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return path

    def read(self, relpath: str) -> str:
        return (self.content / relpath).read_bytes().decode("utf-8")

    def call(self, *args: str | os.PathLike[str]) -> tuple[int, str, str]:
        """Run build.py with exactly these arguments, in root."""
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1"}
        done = subprocess.run(
            [sys.executable, str(BUILD), *map(str, args)],
            cwd=self.root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=120,
        )
        return done.returncode, done.stdout, done.stderr

    def run(self, *args: str | os.PathLike[str]) -> tuple[int, str, str]:
        """Run build.py with args, then --content (and --out, except for check)."""
        extra: list[str | os.PathLike[str]] = ["--content", self.content]
        if not args or args[0] != "check":
            extra += ["--out", self.out]
        return self.call(*args, *extra)


def write_project(content: Path) -> None:
    for relpath, text in FILES.items():
        path = content / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


@pytest.fixture(autouse=True, scope="session")
def _build_cache_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Builds run by the tests keep their build cache (by default in ~/.cache) in a temporary folder."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture
def scratch(tmp_path: Path) -> Scratch:
    content = tmp_path / "content"
    write_project(content)
    return Scratch(root=tmp_path, content=content, out=tmp_path / "site")
