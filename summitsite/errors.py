"""Errors and warnings are values: a path, a 1-based line and column, and a message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class ContentError:
    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True, order=True)
class ContentWarning:
    """Something the build works around but an editor should know; never fails the build.
    Line 0 means the whole file (printed without line and column)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        return f"{where}: warning: {self.message}"


@dataclass
class ErrorList:
    """Collects every problem of a run, so all of them are reported at once."""

    errors: list[ContentError] = field(default_factory=list)

    def add(self, path: str, line: int, column: int, message: str) -> None:
        self.errors.append(ContentError(path, line, column, message))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    def sorted(self) -> list[ContentError]:
        return sorted(set(self.errors))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a candidate is close to word, else ''."""
    pool = sorted({str(c) for c in candidates})
    matches = difflib.get_close_matches(str(word), pool, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        if str(word).lower() in lowered:
            matches = [lowered[str(word).lower()]]
    return f" (did you mean '{matches[0]}'?)" if matches else ""
