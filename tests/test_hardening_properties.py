"""Property-based tests (hypothesis) over the loader and the quote matcher: whatever the files
hold, the build gives a site or a list of clear `path:line:column: message` errors, never a
traceback; a quote taken from an article's text is always found, at a span that folds to it;
Markdown run the fast way (highlight.to_html) gives what markdown.markdown gives."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

import markdown
from conftest import ARTICLE, ARTICLE_MD, ARTICLE_YAML, FILES, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summitsite.errors import ContentError
from summitsite.markdown_html import to_html
from summitsite.match import DASHES, QUOTE_MARKS, ArticleText, collapse_spaces, fold, fold_marks
from summitsite.pipeline import build

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text with the characters that make YAML and Markdown interesting, and the odd ones of the web.
ODD = list(":-[]{}&*!|>'\"%@`#,?\n\r\t \\<>/=") + ["\ufeff", "\u200b", "\u200f", "\u202e", "\u0301", "\U000f0000",
                                                 "«", "»", "—", "ё", "й", "\x00", "\x85", "\u2028"]  # fmt: skip
TEXT = st.text(alphabet=st.one_of(st.sampled_from(ODD), st.characters()), max_size=300)
YAML_LINES = st.lists(st.sampled_from([line for text in FILES.values() for line in text.splitlines()]), max_size=25)


def run(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        write_project(content)
        for name, data in files.items():
            (content / name).write_bytes(data)
        result = build(content, None)  # any exception fails the test
    assert result.ok or result.errors
    for error in result.errors:
        assert isinstance(error, ContentError) and error.line >= 1 and error.column >= 1 and error.message
        assert "\n" not in error.message and "Traceback" not in error.message


@SETTINGS
@given(st.sampled_from(["site.yaml", "people.yaml", "summits/alaska-2025.yaml", f"articles/{ARTICLE}.yaml"]), TEXT)
def test_any_yaml_text_gives_a_site_or_errors(name: str, text: str) -> None:
    run({name: text.encode("utf-8", "surrogatepass")})


@SETTINGS
@given(st.sampled_from(["people.yaml", "summits/alaska-2025.yaml", f"articles/{ARTICLE}.yaml"]), YAML_LINES, TEXT)
def test_shuffled_real_lines_with_noise_give_a_site_or_errors(name: str, lines: list[str], noise: str) -> None:
    run({name: ("\n".join(lines) + noise).encode("utf-8", "surrogatepass")})


@SETTINGS
@given(st.binary(max_size=200))
def test_any_bytes_give_a_site_or_errors(data: bytes) -> None:
    run({f"articles/{ARTICLE}.md": data, "outlets.yaml": data})


@SETTINGS
@given(TEXT, st.data())
def test_any_article_with_a_quote_cut_from_it_gives_a_site_or_errors(text: str, data: st.DataObject) -> None:
    article = ARTICLE_MD + text
    start = data.draw(st.integers(0, len(article) - 1))
    end = data.draw(st.integers(start + 1, min(len(article), start + 80)))
    quote = article[start:end]
    yaml_quote = '"' + quote.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    annotations = ARTICLE_YAML + f"  - {{speaker: putin, kind: direct, text: {yaml_quote}}}\n"
    text_bytes = article.encode("utf-8", "surrogatepass")
    run({f"articles/{ARTICLE}.md": text_bytes, f"articles/{ARTICLE}.yaml": annotations.encode()})


@settings(max_examples=300, deadline=None)
@given(TEXT, st.data())
def test_the_matcher_finds_any_slice_at_a_span_that_folds_to_it(text: str, data: st.DataObject) -> None:
    text = unicodedata.normalize("NFC", text)  # as the loader gives every article text
    if not text:
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    article = ArticleText(text)
    if not fold(quote):
        assert article.find(quote) is None
        return
    span = article.find(quote)
    assert span is not None
    assert fold(text[span[0] : span[1]]) == fold(quote)
    assert article.closest(quote) is not None or not text.strip()


FOLDABLE = st.text(alphabet=st.sampled_from(list(QUOTE_MARKS + DASHES + " \n\t\u00a0\u2003аб1")), max_size=200)


@settings(max_examples=500, deadline=None)
@given(FOLDABLE)
def test_the_matchers_shortcuts_give_what_the_plain_regular_expressions_give(text: str) -> None:
    """fold_marks skips a substitution when the text has no mark it changes, and ArticleText the
    scan for runs of white space when there is none: the same results as without the shortcuts."""
    assert fold_marks(text) == re.sub(f"[{re.escape(DASHES)}]", "-", re.sub(f"[{re.escape(QUOTE_MARKS)}]", '"', text))
    article = ArticleText(text)
    folded = fold_marks(text)
    assert article.normalized == re.sub(r"\s+", " ", folded)
    assert [article.origin(index) for index in range(len(article.normalized))] == _origins(folded)


def _origins(folded: str) -> list[int]:
    """For each character of the normalized text, the offset of the one it stands for in folded
    (the first of a run of white space), found by walking the text."""
    origins, at = [], 0
    while at < len(folded):
        origins.append(at)
        if folded[at].isspace():
            while at < len(folded) and folded[at].isspace():
                at += 1
        else:
            at += 1
    return origins


MARKDOWN = st.lists(
    st.sampled_from(
        list("`\\[]()!<>&;*_#-=.:/@ \t\r\na1") + ["http://x", "  \n", "    ", "\n---\n", "\n> ", "\n# ", "\n===",
                                                  "\n[x]: http://y\n", "\n<div>", "</div>", "\n1. ", "\n- ", "\n* ",
                                                  "\n___", "\n- - -", "___", "\n=", "\n-"]  # fmt: skip
    )
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(MARKDOWN)
def test_markdown_without_the_patterns_that_cannot_match_gives_the_same_html(text: str) -> None:
    assert to_html(text) == markdown.markdown(text, output_format="html")


# Texts whose lines reach Markdown as written (no tab, quote, list item or indentation), where a
# horizontal rule or a heading underlined is looked for only when a line begins with its mark.
PLAIN_LINES = st.lists(
    st.sampled_from(["a", "b c", "1", ".", "x_y", "a-b", "a=b", "a*b", "_", "=", "-", "*", "__", "==", "--", "**",
                     "___", "===", "---", "***", "_ _ _", "\n", "\n\n", " "])  # fmt: skip
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(PLAIN_LINES)
def test_markdown_with_rules_and_headings_looked_for_by_line_gives_the_same_html(text: str) -> None:
    assert to_html(text) == markdown.markdown(text, output_format="html")


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_white_space_collapses_as_the_regular_expression_does(text: str) -> None:
    assert collapse_spaces(text) == re.sub(r"\s+", " ", text)


SNIPPET_TEXT = st.lists(st.sampled_from(["a", "word", "слово", " ", "  ", "\n", "\t", "\u00a0", "x" * 60, " " * 300])
                        ).map("".join)  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(SNIPPET_TEXT)
def test_a_search_snippet_is_the_whole_text_collapsed_and_cut(text: str) -> None:
    """search._shorten collapses only the text's start when that is long enough: the same snippet."""
    from summitsite.search import SNIPPET_CHARS, _shorten

    whole = " ".join(text.split())
    assert _shorten(text) == (whole if len(whole) <= SNIPPET_CHARS else whole[: SNIPPET_CHARS - 1].rstrip() + "…")


WORDY_TEXT = st.text(alphabet=st.one_of(st.sampled_from([*ODD, "_", "'", "İ", "ß", "²", "½", "٣", "Ё", "ﬁ", "\u00c9"]),
                                        st.characters()), max_size=300)  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(WORDY_TEXT)
def test_a_texts_word_set_is_the_set_of_its_words(text: str) -> None:
    """search.word_set looks for words only in the white-space-separated pieces that are not
    all letters and digits: the same set as finding every word of the whole text."""
    from summitsite.search import word_set, words

    assert word_set(text) == set(words(text))
