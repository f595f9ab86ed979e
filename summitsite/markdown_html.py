"""Markdown to HTML, exactly as markdown.markdown(text, output_format="html") makes it, faster.

One Markdown instance per thread is kept and reset between texts (making one costs a tenth of
converting an article). And each text is converted by an instance without the preprocessors,
block processors and inline patterns that cannot find anything in it: each looks for some
character (a '<' for HTML, a '#' for a heading, a '[' for a link, a '*' or '_' for emphasis; a
horizontal rule's '-' or an underlined heading's '=' only at the start of a line, where the
text's lines are those Markdown reads), and scanning every paragraph of a long text once per
pattern, in vain, is half of Markdown's time. A processor or pattern this module does not name
(a later Markdown's) always runs.
tests/test_hardening_properties.py checks the output against markdown.markdown's.
"""

from __future__ import annotations

import re
import threading

import markdown

_LINK, _HTML, _EMPHASIS = ("[",), ("<",), ("*", "_")
# The inline patterns, and the strings one of which a text must hold for each to match. Tabs and
# carriage returns become spaces and newlines before the patterns run, hence the line break's.
_INLINE: dict[str, tuple[str, ...]] = {
    "backtick": ("`",), "escape": ("\\",), "entity": ("&",), "linebreak": (" \n", "\t", "\r"),
    "reference": _LINK, "link": _LINK, "image_link": _LINK, "image_reference": _LINK, "short_reference": _LINK,
    "short_image_ref": _LINK, "autolink": _HTML, "automail": _HTML, "html": _HTML,
    "em_strong": _EMPHASIS, "em_strong2": _EMPHASIS, "not_strong": _EMPHASIS, "strong": _EMPHASIS,
    "emphasis": _EMPHASIS,
}  # fmt: skip
# The block processors that search a whole block for their mark (the others look at its start only).
_BLOCK: dict[str, tuple[str, ...]] = {
    "quote": (">",), "hashheader": ("#",), "hr": ("-", "_", "*"), "setextheader": ("=", "-"), "reference": _LINK,
}  # fmt: skip
# Of those, the two whose mark is a whole line (hr: ---, ___ or ***; setextheader: === or --- under a
# heading): in a text whose lines reach them as written, only a line that begins with the mark. Not
# in a text whose lines Markdown may change first (tabs made spaces, carriage returns line ends, its
# placeholders' marks dropped, HTML blocks set apart; a quote's '>', a list item's marker or an
# indentation taken off a line): there, any mark.
_LINE_MARKS = {"hr": ("-", "_", "*"), "setextheader": ("=", "-")}
_RESHAPED = ("\t", "\r", "\x02", "\x03", "<", ">")
_CONTAINED = re.compile(r"^(?:[ *+-]|\d+\.)", re.MULTILINE)  # an indented line, a list item's

# The preprocessor that sets HTML blocks apart: a text without a tag or an entity passes it unchanged.
_PRE: dict[str, tuple[str, ...]] = {"html_block": ("<", "&")}

_converters = threading.local()  # a Markdown instance is not safe to share between threads
_KEPT = 32  # instances kept per thread, at most (odd texts could ask for hundreds of kinds)


def to_html(text: str) -> str:
    """markdown.markdown(text, output_format="html")."""
    idle = (_absent(_INLINE, text), _absent(_BLOCK, text) | _no_line_marks(text), _absent(_PRE, text))
    cached: dict[tuple[frozenset[str], ...], markdown.Markdown]
    cached = _converters.__dict__.setdefault("by_idle", {})
    converter = cached.get(idle)
    if converter is None:
        if len(cached) >= _KEPT:
            cached.clear()
        converter = cached[idle] = _without(*idle)
    return converter.reset().convert(text)


def _absent(triggers: dict[str, tuple[str, ...]], text: str) -> frozenset[str]:
    return frozenset(name for name, marks in triggers.items() if not any(mark in text for mark in marks))


def _no_line_marks(text: str) -> frozenset[str]:
    """The processors of _LINE_MARKS that no line of the text begins for, when its lines are read as written."""
    if any(mark in text for mark in _RESHAPED) or _CONTAINED.search(text) is not None:
        return frozenset()
    return frozenset(name for name, marks in _LINE_MARKS.items()
                     if not text.startswith(marks) and not any(f"\n{mark}" in text for mark in marks))  # fmt: skip


def _without(inline: frozenset[str], block: frozenset[str], pre: frozenset[str]) -> markdown.Markdown:
    converter = markdown.Markdown(output_format="html")
    registries = ((converter.inlinePatterns, inline), (converter.parser.blockprocessors, block),
                  (converter.preprocessors, pre))  # fmt: skip
    for registry, idle in registries:
        for name in idle & {item.name for item in registry._priority}:
            registry.deregister(name)
    return converter
