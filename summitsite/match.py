"""Find a quote in its article's text.

Matching ignores differences of white space, Unicode normalization (NFC),
quotation-mark style and dash style, and nothing else. Both texts are
normalized character by character, keeping for each normalized character
the offset it came from, so a match maps back to an exact span of the
article's own text.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

QUOTE_MARKS = "\"'«»“”„‟‘’‚‛‹›"
DASHES = "-‐‑‒–—―−"
_FOLD = {ord(c): '"' for c in QUOTE_MARKS} | {ord(c): "-" for c in DASHES}


@dataclass(frozen=True)
class Normalized:
    text: str
    origin: tuple[int, ...]  # origin[i] = offset in the source of text[i]


def normalize(source: str) -> Normalized:
    """Fold quote marks and dashes, collapse white space; remember origins."""
    chars: list[str] = []
    origin: list[int] = []
    in_space = False
    for offset, char in enumerate(source):
        if char.isspace():
            if not in_space and chars:
                chars.append(" ")
                origin.append(offset)
            in_space = True
            continue
        in_space = False
        chars.append(char.translate(_FOLD))
        origin.append(offset)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return Normalized("".join(chars), tuple(origin))


def fold(quote: str) -> str:
    """The normalized form of a quote (NFC first, as article texts are)."""
    return normalize(unicodedata.normalize("NFC", quote)).text


class ArticleText:
    """An article's text prepared for many quote look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.normalized = normalize(text)

    def find(self, quote: str) -> tuple[int, int] | None:
        """The (start, end) span of quote in the text, or None."""
        needle = fold(quote)
        if not needle:
            return None
        at = self.normalized.text.find(needle)
        if at < 0:
            return None
        origin = self.normalized.origin
        return origin[at], origin[at + len(needle) - 1] + 1

    def closest(self, quote: str) -> tuple[int, int] | None:
        """The span of the passage most like quote, for 'not found' messages."""
        needle = fold(quote)
        hay = self.normalized.text
        if not needle or not hay:
            return None
        starts = [i for i, c in enumerate(hay) if c.isalnum() and (i == 0 or not hay[i - 1].isalnum())]
        best, best_at = 0.0, 0
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(needle)
        for start in starts:
            matcher.set_seq1(hay[start : start + len(needle)])
            if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
                ratio = matcher.ratio()
                if ratio > best:
                    best, best_at = ratio, start
        end = min(len(hay), best_at + len(needle))
        while end < len(hay) and hay[end].isalnum():  # finish the last word
            end += 1
        origin = self.normalized.origin
        return origin[best_at], origin[end - 1] + 1
