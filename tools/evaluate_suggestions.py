"""Precision and recall of the quote suggester against hand-annotated articles.

    python tools/evaluate_suggestions.py [-v]

A suggestion matches a gold quote when it names the same speaker and their spans in the
article's text overlap; matching is one to one, largest overlap first. Precision is matched /
suggested, recall matched / gold; "same kind" counts matched pairs that agree on direct/indirect.
-v lists every suggestion (+ matched, - not) and every gold quote that was missed.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from summitsite.errors import ErrorList  # noqa: E402
from summitsite.load import load_yaml  # noqa: E402
from summitsite.match import ArticleText  # noqa: E402
from summitsite.suggest import People, match, score, suggest  # noqa: E402

ARTICLES = [
    PROJECT / "content/articles/baq-kz-2025-08-16-putin-trump-press-conference",
    PROJECT / "tests/data/suggest/tass-2025-08-16-alaska-talks-ru",
]


def gold_quotes(base: Path) -> tuple[str, str, list[tuple[str, str, tuple[int, int]]]]:
    """The article's text, its language and its confirmed quotes as (speaker, kind, span)."""
    text = unicodedata.normalize("NFC", base.with_suffix(".md").read_text("utf-8"))
    doc = load_yaml(base.with_suffix(".yaml"), ErrorList())
    assert doc is not None, base
    finder = ArticleText(text)
    gold = []
    for quote in doc.data.get("quotes") or []:
        span = finder.find(quote["text"])
        assert span is not None, quote["text"]
        if quote.get("status") != "suggested":
            gold.append((quote["speaker"], quote["kind"], span))
    return text, doc.data["language"], gold


def evaluate(base: Path, people: People) -> dict[str, int]:
    text, _, gold = gold_quotes(base)
    found = [(s.speaker, s.kind, (s.start, s.end)) for s in suggest(text, people)]
    return score(found, gold)


def people() -> People:
    doc = load_yaml(PROJECT / "content/people.yaml", ErrorList())
    assert doc is not None
    return People(doc.data)


def main(verbose: bool = False) -> None:
    index = people()
    print("| article | language | gold | suggested | matched | precision | recall | same kind |")
    print("|---|---|---|---|---|---|---|---|")
    for base in ARTICLES:
        counts = evaluate(base, index)
        _, lang, _ = gold_quotes(base)
        precision = counts["matched"] / counts["suggested"] if counts["suggested"] else 0.0
        recall = counts["matched"] / counts["gold"] if counts["gold"] else 0.0
        print(f"| {base.name} | {lang} | {counts['gold']} | {counts['suggested']} | {counts['matched']} | "
              f"{precision:.2f} | {recall:.2f} | {counts['same_kind']} of {counts['matched']} |")  # fmt: skip
    if verbose:
        for base in ARTICLES:
            details(base, index)


def details(base: Path, index: People) -> None:
    text, _, gold = gold_quotes(base)
    print(f"\n{base.name}")
    found = suggest(text, index)
    pairs = match([(s.speaker, s.kind, (s.start, s.end)) for s in found], gold)
    matched_found, matched_gold = {i for i, _ in pairs}, {j for _, j in pairs}
    for i, s in enumerate(found):
        print(f"  {'+' if i in matched_found else '-'} {s.speaker:8} {s.kind:8} [{s.cue}] {text[s.start:s.end][:90]}")
    for j, (speaker, kind, (a, b)) in enumerate(gold):
        if j not in matched_gold:
            print(f"  missed {speaker:8} {kind:8} {text[a:b][:90]}")


if __name__ == "__main__":
    main(verbose="-v" in sys.argv[1:])
