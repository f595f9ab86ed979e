"""check --coverage: sentences that attribute words to a known person but that no quote covers.

A sentence counts when the suggester finds in it a cue of saying (деді, сказал, said, по словам,
...) and a speaker from people.yaml (README: "Importing an article"); it is covered when a quote of
its article (confirmed or suggested) overlaps it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentWarning, ErrorList
from .load import RawContent, load_content
from .suggest import People, attributed
from .validate import Checked, validate

SHOWN_CHARS = 70


@dataclass
class ArticleCoverage:
    path: str  # the article's .md
    attributed: int
    gaps: list[ContentWarning] = field(default_factory=list)

    @property
    def covered(self) -> int:
        return self.attributed - len(self.gaps)


def coverage(raw: RawContent, checked: Checked) -> list[ArticleCoverage]:
    people = People(raw.people.data if raw.people is not None else {})
    report = []
    for slug in sorted(raw.articles):
        text = raw.texts[slug]
        spans = list(checked.by_article.get(slug, {}).values())
        found = attributed(text.text, people)
        result = ArticleCoverage(text.path, len(found))
        for (start, end), suggestion in found:
            if any(a < end and start < b for a, b in spans):
                continue
            line, column = text.position(start)
            words = " ".join(text.text[start:end].split())
            shown = words if len(words) <= SHOWN_CHARS else words[: SHOWN_CHARS - 1] + "…"
            result.gaps.append(ContentWarning(text.path, line, column, f"no quote covers this statement by "
                                            f"{suggestion.speaker} ('{suggestion.cue}'): '{shown}'"))
        report.append(result)
    return report


def coverage_of(content: Path) -> list[ArticleCoverage]:
    """The coverage of a content folder that has passed check."""
    errors = ErrorList()
    raw = load_content(content, errors)
    return coverage(raw, validate(raw, errors))
