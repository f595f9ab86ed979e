"""`status: suggested` on a quote: validated like any quote, reported as a warning, not published."""

from __future__ import annotations

from bs4 import BeautifulSoup
from conftest import ARTICLE, ARTICLE_YAML, Scratch

SUGGESTED = ARTICLE_YAML + """\
  - speaker: trump
    kind: direct
    text: "very productive"
    status: suggested
"""


def test_a_suggested_quote_is_a_warning_and_stays_off_the_site(scratch: Scratch) -> None:
    scratch.write(f"articles/{ARTICLE}.yaml", SUGGESTED)
    code, out, err = scratch.run("build")
    assert code == 0, err
    status_line = SUGGESTED.splitlines().index("    status: suggested") + 1
    assert f"articles/{ARTICLE}.yaml:{status_line}:13: warning: unconfirmed quote by trump (status: suggested" in err
    assert "2 quote(s) (1 suggested, not published)" in out
    page = BeautifulSoup((scratch.out / f"articles/{ARTICLE}.html").read_text("utf-8"), "html.parser")
    assert page.find(id="quote-2") is not None and page.find(id="quote-3") is None
    assert "very productive" not in (scratch.out / "quotes.html").read_text("utf-8")


def test_confirming_a_suggestion_publishes_it(scratch: Scratch) -> None:
    scratch.write(f"articles/{ARTICLE}.yaml", SUGGESTED.replace("    status: suggested\n", ""))
    code, out, err = scratch.run("build")
    assert code == 0 and "unconfirmed" not in err
    page = BeautifulSoup((scratch.out / f"articles/{ARTICLE}.html").read_text("utf-8"), "html.parser")
    assert page.find(id="quote-3") is not None
    assert "very productive" in (scratch.out / "quotes.html").read_text("utf-8")


def test_a_suggested_quote_is_still_checked(scratch: Scratch) -> None:
    scratch.write(f"articles/{ARTICLE}.yaml", SUGGESTED.replace('"very productive"', '"very fruitful"')
                  .replace("status: suggested", "status: suggestd"))  # fmt: skip
    code, _, err = scratch.run("check")
    assert code == 1
    assert "'status' must be one of suggested, not 'suggestd'" in err
    assert "quote not found" in err
