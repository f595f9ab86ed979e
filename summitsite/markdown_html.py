"""Markdown to HTML, exactly as markdown.markdown(text, output_format="html") makes it, faster.

One Markdown instance per thread is kept and reset between texts (making one costs a tenth of
converting an article). And each text is converted by an instance without the block processors
and inline patterns that cannot find anything in it: each looks for some character (a '#' for a
heading, a '[' for a link, a '*' or '_' for emphasis), and scanning every paragraph of a long
text once per pattern, in vain, is half of Markdown's time. A processor or pattern this module
does not name (a later Markdown's) always runs. tests/test_hardening_properties.py checks the
output against markdown.markdown's.
"""

from __future__ import annotations

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

_converters = threading.local()  # a Markdown instance is not safe to share between threads
_KEPT = 32  # instances kept per thread, at most (odd texts could ask for hundreds of kinds)


def to_html(text: str) -> str:
    """markdown.markdown(text, output_format="html")."""
    idle = (_absent(_INLINE, text), _absent(_BLOCK, text))
    cached: dict[tuple[frozenset[str], frozenset[str]], markdown.Markdown]
    cached = _converters.__dict__.setdefault("by_idle", {})
    converter = cached.get(idle)
    if converter is None:
        if len(cached) >= _KEPT:
            cached.clear()
        converter = cached[idle] = _without(*idle)
    return converter.reset().convert(text)


def _absent(triggers: dict[str, tuple[str, ...]], text: str) -> frozenset[str]:
    return frozenset(name for name, marks in triggers.items() if not any(mark in text for mark in marks))


def _without(inline: frozenset[str], block: frozenset[str]) -> markdown.Markdown:
    converter = markdown.Markdown(output_format="html")
    for registry, idle in ((converter.inlinePatterns, inline), (converter.parser.blockprocessors, block)):
        for name in idle & {item.name for item in registry._priority}:
            registry.deregister(name)
    return converter
