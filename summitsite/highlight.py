"""An article's Markdown as HTML, with every annotated quote highlighted and anchored.

Quote spans are offsets in the article's text. Before Markdown runs, a private-use
character that encodes its own index is put at every span boundary; after it runs,
the boundaries are found again in the HTML and each run of text that lies inside
one or more quotes is wrapped in <mark>. Only text runs are wrapped, never tags, so
the result stays well-formed whatever Markdown made of the paragraph.

Article text is pasted from the web, so its HTML is untrusted: Markdown's output passes an
allow-list sanitizer (nh3) before the marks are added, and the marked HTML passes it once
more, allowing only the attributes the marks add. No script, event handler, style, frame,
image or javascript:/data: link survives either pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

import nh3
from markupsafe import Markup, escape

from .markdown_html import to_html

if TYPE_CHECKING:
    from .model import Article, Quote

_BASE = 0xF0000  # Supplementary Private Use Area-A: never in a real article
_BOUNDARY = re.compile("[\U000f0000-\U000ffffd]")
_TAG_OR_TEXT = re.compile(r"(<(?:[^>\"]|\"[^\"]*\")*>)")  # a quoted attribute value may hold '>'
_NOT_A_BOUNDARY = "\ufffd"  # what a private-use boundary character in the text becomes (same length)

# What article text may keep of its HTML: the elements Markdown makes, and nothing that runs,
# loads, styles or positions anything. Links only to the web and mail, or within the page.
_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "i", "u", "s", "del", "ins",
    "small", "sub", "sup", "q", "cite", "abbr", "code", "kbd", "pre", "blockquote", "ul", "ol", "li",
    "dl", "dt", "dd", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
_SCHEMES = {"http", "https", "mailto"}
# The second pass also lets through exactly what _mark, _ref and the anchors add.
_MARKED_TAGS = _TAGS | {"mark", "span"}
_MARKED_ATTRIBUTES = _ATTRIBUTES | {
    "mark": {"class", "id", "data-quotes", "title"},
    "span": {"class", "id"},
    "sup": {"class"},
}


def _options(marked: bool) -> dict[str, Any]:
    return {"tags": _MARKED_TAGS if marked else _TAGS, "attributes": _MARKED_ATTRIBUTES if marked else _ATTRIBUTES,
            "url_schemes": _SCHEMES, "link_rel": None, "strip_comments": True}  # fmt: skip


def _cleaner(marked: bool) -> Callable[[str], str]:
    """nh3's clean with the options above; its Cleaner (nh3 0.2.18 and later) takes them in once,
    not at each call (4,000 calls at 2,000 articles)."""
    if hasattr(nh3, "Cleaner"):
        return nh3.Cleaner(**_options(marked)).clean  # type: ignore[no-any-return]
    return partial(nh3.clean, **_options(marked))


_CLEAN, _CLEAN_MARKED = _cleaner(False), _cleaner(True)


def sanitize(html: str, *, marked: bool = False) -> str:
    """Keep only the allow-listed HTML (contents of script, style and the like dropped)."""
    return _CLEAN_MARKED(html) if marked else _CLEAN(html)


def article_html(article: Article, label: Callable[[Quote], str]) -> Markup:
    text = _BOUNDARY.sub(_NOT_A_BOUNDARY, article.text)  # a stray marker would confuse us; spans keep their offsets
    offsets = sorted({o for q in article.quotes for o in q.span})
    covering = [
        [q for q in article.quotes if q.span[0] <= offset < q.span[1]] for offset in offsets
    ]  # covering[i]: the quotes that cover the text after boundary i
    ending = [[q for q in article.quotes if q.span[1] == offset] for offset in offsets]
    marked = _insert_boundaries(text, offsets) if article.quotes else text
    html = sanitize(to_html(_paragraphs_as_lines(marked)))
    wrapped = _wrap_runs(html, covering, ending, label)
    lost = "".join(_anchor(q) for q in article.quotes if f'id="{q.anchor}"' not in wrapped)
    return Markup(sanitize(wrapped + lost, marked=True))


def _insert_boundaries(text: str, offsets: list[int]) -> str:
    pieces, last = [], 0
    for index, offset in enumerate(offsets):
        pieces.append(text[last:offset])
        pieces.append(chr(_BASE + index))
        last = offset
    pieces.append(text[last:])
    return "".join(pieces)


def _paragraphs_as_lines(text: str) -> str:
    """The format puts one paragraph on each line; Markdown needs blank lines between."""
    return re.sub(r"\n(?=[^\n])", "\n\n", text)


def _wrap_runs(
    html: str, covering: list[list[Quote]], ending: list[list[Quote]], label: Callable[[Quote], str]
) -> str:
    out: list[str] = []
    active: list[Quote] = []
    started: set[Quote] = set()
    boundaries = [found.start() for found in _BOUNDARY.finditer(html)] + [len(html)]
    following, at = 0, 0  # the first boundary not before the piece, and where the piece ends
    for piece in _TAG_OR_TEXT.split(html):
        at += len(piece)
        if boundaries[following] >= at:  # no boundary in it (most of an article): as it is, or a text marked
            marked = active and piece.strip() and not piece.startswith("<")
            out.append(_mark(piece, active, started, label) if marked else piece)
            continue
        while boundaries[following] < at:
            following += 1
        if piece.startswith("<"):
            marks = [ord(m) - _BASE for m in _BOUNDARY.findall(piece)]
            out.append(_BOUNDARY.sub("", piece))
            if marks:
                active = covering[marks[-1]]
                out.extend(_ref(q) for i in marks for q in ending[i])
            continue
        markers = [ord(m) - _BASE for m in _BOUNDARY.findall(piece)]
        for run_index, run in enumerate(_BOUNDARY.split(piece)):
            if run_index:
                boundary = markers[run_index - 1]
                active = covering[boundary]
                out.extend(_ref(q) for q in ending[boundary])
            if run.strip() and active:
                out.append(_mark(run, active, started, label))
            else:
                out.append(run)
    return "".join(out)


def _anchor(quote: Quote) -> str:
    """Where a link to a quote lands when the sanitizer dropped its text (it was inside <script>)."""
    return f'<span class="anchor" id="{quote.anchor}"></span>'


def _ref(quote: Quote) -> str:
    """A footnote-style link from the end of a quote to its annotation."""
    return f'<sup class="quote-ref"><a href="#note-{quote.number}">{quote.number}</a></sup>'


def _mark(run: str, active: list[Quote], started: set[Quote], label: Callable[[Quote], str]) -> str:
    fresh = [q for q in active if q not in started]
    started.update(fresh)
    anchors = "".join(f'<span class="anchor" id="{q.anchor}"></span>' for q in fresh[1:])
    kinds = " ".join(sorted({q.kind for q in active}))
    ids = " ".join(q.anchor for q in active)
    title = "; ".join(f"{label(q)} ({q.kind})" for q in active)
    first = f' id="{fresh[0].anchor}"' if fresh else ""
    return f'{anchors}<mark class="quote-mark {kinds}"{first} data-quotes="{ids}" title="{escape(title)}">{run}</mark>'
