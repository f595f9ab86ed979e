"""The small parts: slugs, quote matching, highlighting, times."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from summitsite.highlight import article_html
from summitsite.i18n import Words
from summitsite.match import ArticleText, fold
from summitsite.slug import slugify
from summitsite.timeparse import BadValue, localize, parse_datetime, parse_time


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Путин", "putin"),
        ("Щёлково — Жуковский", "shchyolkovo-zhukovskiy"),
        ("әғқңөұүһі", "aghqngouuhi"),
        ("Қазақстан Республикасы", "qazaqstan-respublikasy"),
        ("Алматы 2025!", "almaty-2025"),
        ("Café Zürich", "cafe-zurich"),
        ("  --  ", ""),
    ],
)
def test_slugify_transliterates_kazakh_and_russian(text: str, slug: str) -> None:
    assert slugify(text) == slug


ARTICLE = "Ол «өте  жақын\nарада» сөйлесетінін — деп айтты. Ресей мен АҚШ - көршілер."


@pytest.mark.parametrize(
    "quote",
    [
        "«өте жақын арада»",
        '"өте жақын арада"',
        "“өте жақын арада”",
        "өте жақын арада» сөйлесетінін - деп",
        "өте жақын арада» сөйлесетінін – деп",
        "Ресей мен АҚШ — көршілер",
        unicodedata.normalize("NFD", "өте жақын арада"),
        "  өте\tжақын   арада  ",
    ],
)
def test_quotes_match_despite_space_marks_dashes_and_normalization(quote: str) -> None:
    span = ArticleText(unicodedata.normalize("NFC", ARTICLE)).find(quote)
    assert span is not None
    found = ARTICLE[span[0] : span[1]]
    assert fold(found) == fold(quote) and found == found.strip()


@pytest.mark.parametrize("quote", ["өте жакын арада", "Өте жақын арада", "өте жақын арада."])
def test_quotes_do_not_match_other_letters_case_or_punctuation(quote: str) -> None:
    assert ArticleText(ARTICLE).find(quote) is None


def test_closest_passage_points_at_the_likely_place() -> None:
    text = ArticleText(ARTICLE)
    start, end = text.closest("Ресей мен АКШ - коршілер")
    assert ARTICLE[start:end].startswith("Ресей мен АҚШ")


class _Quote:
    def __init__(self, number: int, span: tuple[int, int], kind: str = "direct") -> None:
        self.number, self.span, self.kind = number, span, kind
        self.anchor = f"quote-{number}"


class _Article:
    def __init__(self, text: str, quotes: list[_Quote]) -> None:
        self.text, self.quotes = text, quotes


def _html(text: str, spans: list[tuple[int, int]]) -> BeautifulSoup:
    quotes = [_Quote(i + 1, span) for i, span in enumerate(spans)]
    return BeautifulSoup(str(article_html(_Article(text, quotes), lambda q: "X")), "html.parser")


def test_highlight_across_markdown_and_paragraphs() -> None:
    text = "First *line* goes on\nsecond line & more"
    doc = _html(text, [(6, 27)])  # from "*line*" into the second paragraph
    assert len(doc.find_all("p")) == 2
    marks = doc.select('mark[data-quotes~="quote-1"]')
    assert "".join(m.get_text() for m in marks) == "line goes onsecond"
    assert doc.find(id="quote-1").name == "mark"
    assert not doc.select("mark mark") and doc.find("em").find("mark")
    assert "&amp;" in str(doc) or "& more" in doc.get_text()


def test_overlapping_and_identical_spans_each_get_an_anchor() -> None:
    text = "alpha beta gamma delta"
    doc = _html(text, [(0, 10), (6, 16), (6, 16)])
    for number in (1, 2, 3):
        assert doc.find(id=f"quote-{number}") is not None
    both = [m for m in doc.find_all("mark") if m["data-quotes"] == "quote-1 quote-2 quote-3"]
    assert [m.get_text() for m in both] == ["beta"]
    refs = [a.get_text() for a in doc.select("sup.quote-ref a")]
    assert refs == ["1", "2", "3"]


def test_html_in_article_text_is_escaped_inside_marks() -> None:
    doc = _html("Say <b>&lt;x&gt;</b> now", [(0, 3)])
    assert doc.find("mark").get_text() == "Say"


def test_times_in_the_summit_zone() -> None:
    zone = ZoneInfo("America/Anchorage")
    local = localize(parse_time("2025-08-15T10:20"), zone)
    assert local.astimezone(UTC) == datetime(2025, 8, 15, 18, 20, tzinfo=UTC)
    assert localize(parse_time("2025-08-16T05:20+05:00"), zone).hour == 16  # given in Astana time
    words = Words("en")
    late = localize(parse_time("2025-08-15T17:45"), zone)
    assert words.utc(late, late.date()) == "01:45 UTC, 16 Aug"
    assert words.offset(late) == "UTC−08:00"
    with pytest.raises(BadValue, match="does not exist"):
        localize(parse_time("2025-03-09T02:30"), zone)
    with pytest.raises(BadValue, match="happens twice"):
        localize(parse_time("2025-11-02T01:30"), zone)
    with pytest.raises(BadValue, match="needs a UTC offset"):
        parse_datetime("2025-08-16T05:00")
    with pytest.raises(BadValue, match="has no date"):
        parse_time("10:20")


def test_words_in_russian() -> None:
    words = Words("ru")
    assert words.day(datetime(2025, 8, 15).date()) == "пятница, 15 августа 2025"
    assert words("Timeline") == "Хроника"


def test_fragments_forget_only_what_was_made_from_the_tokens() -> None:
    from summitsite.render import Fragments

    fragments = Fragments()
    fragments.get(("card", "a", 1), ["a"], lambda: "A1")
    fragments.get(("event", "s", "e"), ["a", "b", "summit:s"], lambda: "E")
    fragments.forget({"zzz"})  # the first time (a build's): one pass over the pieces
    assert len(fragments.pieces) == 2
    fragments.forget({"zzz"})  # a store kept across rebuilds: the index is made here
    fragments.get(("card", "b", 1), ["b"], lambda: "B1")  # noted in the index
    fragments.add({("card", "c", 1): (("c",), b"C1")})  # from a worker
    fragments.pieces[("card", "d", 1)] = (("d",), b"D1")  # behind the index's back: it is made again
    fragments.forget({"b"})
    assert set(fragments.pieces) == {("card", "a", 1), ("card", "c", 1), ("card", "d", 1)}
    fragments.forget({"d", "c"})
    assert set(fragments.pieces) == {("card", "a", 1)}
    fragments.pieces = {("card", "x", 1): (("x",), b"X"), ("card", "y", 1): (("y",), b"Y")}  # replaced whole
    fragments.forget({"x"})
    assert set(fragments.pieces) == {("card", "y", 1)}
    assert fragments.get(("card", "y", 1), ["y"], lambda: "not rendered again") == "Y"
    fragments.forget()
    assert fragments.pieces == {}


def test_a_dev_servers_fragments_keep_their_index_from_the_start(monkeypatch) -> None:
    """Fragments(indexed=True) (the dev server's) notes each piece as it is made, through a
    forget of everything too, so that no save has to index them all: the same pieces are
    forgotten as by a store that makes its index when first asked."""
    from summitsite.render import Fragments

    kept, lazy = Fragments(indexed=True), Fragments()
    monkeypatch.setattr(kept, "_indexed_pieces", lambda: kept._index)  # never made again whole
    for fragments in (kept, lazy):
        fragments.get(("card", "a", 1), ["a"], lambda: "A1")
        fragments.get(("event", "s", "e"), ["a", "b", "summit:s"], lambda: "E")
        fragments.add({("card", "c", 1): (("c",), b"C1")})
        fragments.forget({"zzz"})
        fragments.forget({"b"})
    assert set(kept.pieces) == set(lazy.pieces) == {("card", "a", 1), ("card", "c", 1)}
    kept.forget()
    kept.get(("card", "b", 1), ["b"], lambda: "B1")
    kept.get(("card", "d", 1), ["d"], lambda: "D1")
    kept.forget({"b"})
    assert set(kept.pieces) == {("card", "d", 1)}


def test_fragments_hold_pieces_as_utf8_and_give_back_the_same_text() -> None:
    """A piece is kept as its UTF-8 bytes (half the memory of a str of Cyrillic text) and
    given back as the very text rendered, Markup, when rendered and when used again."""
    from markupsafe import Markup

    from summitsite.render import Fragments

    fragments = Fragments()

    def joined(keys: list[tuple[str, str, int]]) -> str | None:
        data = fragments.joined_utf8(keys)
        return None if data is None else data.decode("utf-8", "surrogatepass")

    text = '<p lang="kk">Қазақстан \ud800 «Аляска»</p>'  # a lone surrogate too: kept as it came
    first = fragments.get(("card", "a", 1), ["a"], lambda: Markup(text))
    again = fragments.get(("card", "a", 1), ["a"], lambda: "not rendered again")
    assert first == again == text and isinstance(again, Markup)
    assert fragments.pieces[("card", "a", 1)] == (("a",), text.encode("utf-8", "surrogatepass"))
    fragments.get(("card", "b", 1), ["b"], lambda: "<p>B</p>")
    fragments.get(("card", "c", 1), ["c"], lambda: "")  # a card that cannot be shared
    assert joined([("card", "a", 1), ("card", "b", 1)]) == text + "<p>B</p>"
    assert joined([("card", "a", 1), ("card", "x", 1)]) is None  # one not rendered yet
    assert joined([("card", "b", 1), ("card", "c", 1)]) is None
    blob = b"<p>D</p>" + text.encode("utf-8", "surrogatepass")  # as read from the build cache
    fragments.add({("card", "d", 1): (("d",), blob, 0, 8), ("card", "e", 1): (("e",), blob, 8, len(blob)),
                   ("card", "f", 1): (("f",), blob, 8, 8)})  # fmt: skip
    assert fragments.get(("card", "e", 1), ["e"], lambda: "not rendered again") == text
    assert fragments.utf8(("card", "d", 1), ["d"], lambda: "not rendered again") == b"<p>D</p>"
    assert joined([("card", "d", 1), ("card", "e", 1)]) == "<p>D</p>" + text
    assert joined([("card", "d", 1), ("card", "f", 1)]) is None  # an empty one: not shared


def test_the_quick_template_call_passes_context_where_asked_and_nowhere_else() -> None:
    import jinja2

    from summitsite.jinjacall import QuickContext

    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.context_class = QuickContext

    @jinja2.pass_context
    def who(context: jinja2.runtime.Context, suffix: str) -> str:
        return context["name"] + suffix

    class Shout:
        def __call__(self, text: str) -> str:
            return text.upper()

    def stop() -> str:
        raise StopIteration

    template = env.from_string(
        "{% macro m(x) %}[{{ x }}]{% endmacro %}"
        "{% for i in [1] %}{{ who('!') }} {{ plain(i) }} {{ shout('a') }} {{ m(i) }} {{ words.upper() }}{% endfor %}"
        "{{ stop() is undefined }}"
    )
    assert template.render(name="n", who=who, plain=lambda i: i + 1, shout=Shout(), words="w", stop=stop) == (
        "n! 2 A [1] WTrue"
    )


def test_the_quick_template_escape_escapes_as_markupsafe_does(tmp_path: Path) -> None:
    """The templates' output escaped without a Markup per value (jinjacall.QuickTemplate): the same
    text as markupsafe.escape gives, for a str, a Markup, a number and an object with __html__."""
    import jinja2
    from markupsafe import Markup

    from summitsite import jinjacall
    from summitsite.render import environment

    (tmp_path / "page.html").write_text(
        "{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}{{ s }}|{{ safe }}|{{ n }}|{{ html }}|{{ m(s) }}|{{ m(safe) }}"
        "{% set kept %}{{ s }}{% endset %}|{{ kept }}",
        encoding="utf-8",
    )

    class Html:
        def __html__(self) -> str:
            return "<b>obj</b>"

    values = {"s": "<script>alert('x') & \"y\"</script>", "safe": Markup("<em>ok</em>"), "n": 3, "html": Html()}
    quick = environment(tmp_path).get_template("page.html").render(**values)
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), autoescape=True)
    assert quick == plain.get_template("page.html").render(**values)
    assert "<script>" not in quick and "&lt;script&gt;alert(&#39;x&#39;) &amp; &#34;y&#34;&lt;/script&gt;" in quick
    template = environment(tmp_path).get_template("page.html")
    assert template.root_render_func.__globals__["escape"] is jinjacall.output_escape
    with pytest.raises(jinja2.UndefinedError):  # an undefined value still fails as it did
        environment(tmp_path).from_string("{{ missing }}").render()


def test_a_chain_of_outlets_is_escaped_markup() -> None:
    """chain() (render._chain, the outlets an article came through): names, addresses and the word
    between them escaped, as the macro it replaced did."""
    from types import SimpleNamespace

    from markupsafe import Markup

    from summitsite.render import _chain

    hostile = SimpleNamespace(page="outlets/a.html?x=<b>&y", name="<script>alert('a')</script>")
    plain = SimpleNamespace(page="outlets/b.html", name="B & Sons")
    words = Words("ru")
    words.strings = {**words.strings, "via": "<via>"}
    chain = _chain(SimpleNamespace(outlet=hostile, via=[plain]), lambda path: "../" + path, words)
    assert isinstance(chain, Markup)
    assert chain == (
        '<a href="../outlets/a.html?x=&lt;b&gt;&amp;y">&lt;script&gt;alert(&#39;a&#39;)&lt;/script&gt;</a>'
        ' <span class="via">&lt;via&gt;</span> <a href="../outlets/b.html">B &amp; Sons</a>'
    )
    assert _chain(SimpleNamespace(outlet=plain, via=[]), lambda path: path, words) == (
        '<a href="outlets/b.html">B &amp; Sons</a>'
    )


def test_pages_showing_the_same_cards_go_to_one_process(tmp_path: Path) -> None:
    """quotes.html and every person's page list the same quote cards (show_speaker=false), which a
    process renders once: split() gives them all to one process, and still balances the rest."""
    import sys

    from summitsite.errors import ErrorList
    from summitsite.load import load_content
    from summitsite.model import build_site
    from summitsite.parallel import cost, split
    from summitsite.render import pages
    from summitsite.validate import validate

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import corpus

    corpus.write(tmp_path / "content", 300)
    errors = ErrorList()
    raw = load_content(tmp_path / "content", errors)
    site = build_site(raw, validate(raw, errors))
    todo, quotes = list(pages(site)), len(site.quotes)
    shares = split(todo, 2, quotes)
    listing = [index for index, share in enumerate(shares) for page in share
               if page.template in ("quotes.html", "person.html")]  # fmt: skip
    assert len(listing) == 1 + sum(1 for person in site.people) and len(set(listing)) == 1
    assert sorted(page.path for share in shares for page in share) == sorted(page.path for page in todo)
    loads = [sum(cost(page, quotes) for page in share) for share in shares]
    assert abs(loads[0] - loads[1]) <= max(cost(page, quotes) for page in todo if page.make is None) + 1


def test_the_queue_hands_each_chunk_to_one_process() -> None:
    """parallel.Queue: two processes taking chunks at once between them take every page once."""
    import pickle

    from summitsite.forks import fork, reap
    from summitsite.parallel import Queue

    pages = list(range(5000))
    queue = Queue(pages)  # type: ignore[arg-type]

    def take_all() -> list[int]:
        taken: list[int] = []
        while (chunk := queue.take()) is not None:
            taken.extend(chunk)  # type: ignore[arg-type]
        return taken

    pid, stream = fork(lambda out: pickle.dump(take_all(), out))
    mine = take_all()
    with stream:
        theirs = pickle.load(stream)
    reap(pid)
    queue.close()
    assert sorted(mine + theirs) == pages


def test_without_a_cache_workers_send_back_no_pieces(tmp_path: Path) -> None:
    """With no build cache to keep them, a worker's rendered pieces stay in the worker; the pages
    are the same bytes either way."""
    import sys

    from summitsite import TEMPLATES
    from summitsite.errors import ErrorList
    from summitsite.load import load_content
    from summitsite.model import build_site
    from summitsite.parallel import render_parallel
    from summitsite.render import Fragments, pages
    from summitsite.validate import validate

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import corpus

    corpus.write(tmp_path / "content", 120)
    errors = ErrorList()
    raw = load_content(tmp_path / "content", errors)
    site = build_site(raw, validate(raw, errors))
    todo = list(pages(site))
    kept, dropped = Fragments(), Fragments()
    with_cache = render_parallel(site, TEMPLATES, todo, 2, fragments=kept)
    without = render_parallel(site, TEMPLATES, todo, 2, fragments=dropped, cached=False)
    assert with_cache == without
    assert len(dropped.pieces) < len(kept.pieces)


def test_the_loaders_remembered_tags_are_those_the_resolver_gives() -> None:
    import yaml

    from summitsite.load import SafeLoader

    plain = yaml.resolver.Resolver()
    for value in ["NO", "yes", "10:20", "12", "0x1F", "1.5", ".inf", "null", "~", "", "2025-08-15", "true", "putin"]:
        expected = plain.resolve(yaml.ScalarNode, value, (True, False))
        for _ in range(2):  # asked again: from what the loader remembered
            assert SafeLoader("").resolve(yaml.ScalarNode, value, (True, False)) == expected, value
        assert SafeLoader("").resolve(yaml.ScalarNode, value, (False, True)) == "tag:yaml.org,2002:str"


def test_a_file_rewritten_in_the_instant_it_was_read_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                     ) -> None:  # fmt: skip
    """Same size, inode and time, other bytes: the digest kept is that of the bytes parsed, so
    the change is seen (git's racy-clean rule), and the file is read once per parse."""
    import hashlib
    import os

    from summitsite.errors import ErrorList
    from summitsite.load import FileCache, load_yaml

    path = tmp_path / "people.yaml"
    path.write_text("name: first\n", encoding="utf-8")
    files = FileCache()
    reads = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or read_bytes(self))
    assert files.get(path, load_yaml, ErrorList()).data == {"name": "first"}
    assert reads == [path]
    monkeypatch.undo()
    assert files.entries[path][2] == hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    stamp = path.stat()
    with path.open("r+b") as stream:  # the same inode and size
        stream.write(b"name: later\n")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert files.get(path, load_yaml, ErrorList()).data == {"name": "later"}


def test_pickling_an_articles_text_leaves_no_utf8_copy_in_it() -> None:
    """A forked worker pickles every article's text into the build cache (shards.write_docs):
    pickling a str would leave its UTF-8 form cached in it (memory the worker then holds)."""
    import pickle
    import sys

    from summitsite.load import TextDoc

    doc = TextDoc("articles/x.md", "Путин сказал: «мир». " * 200)
    size = sys.getsizeof(doc.text)
    assert pickle.loads(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)) == doc
    assert sys.getsizeof(doc.text) == size
    other = "Трамп ответил. " * 200
    pickle.dumps(other, protocol=pickle.HIGHEST_PROTOCOL)
    assert sys.getsizeof(other) > sys.getsizeof("Трамп ответил. " * 200)  # what it would have done


def test_a_file_read_as_it_was_written_is_trusted_once_found_unchanged_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file read in the instant it was written is compared by its bytes on every load (racy);
    once found unchanged at a later time, its stamp is trusted again (FileCache.stale: False),
    so a rebuild does not read it, nor give it to another process to read."""
    import time
    from types import SimpleNamespace

    from summitsite import load
    from summitsite.errors import ErrorList
    from summitsite.load import FileCache, load_yaml

    path = tmp_path / "people.yaml"
    path.write_text("name: first\n", encoding="utf-8")
    files = FileCache()
    files.get(path, load_yaml, ErrorList())
    assert files.stale(path, path.stat())
    monkeypatch.setattr(load, "time", SimpleNamespace(time=lambda: time.time() + 10))
    assert files.get(path, load_yaml, ErrorList()).data == {"name": "first"}
    assert not files.stale(path, path.stat())


def test_fragments_holes_stand_for_bytes_until_the_page_is_filled() -> None:
    """A piece given as a hole (Fragments.hole, held) is a short mark in the page's text, filled
    with the piece's bytes once the page is encoded; a piece rendered around a hole is kept with
    the hole filled; the noncharacter the marks use, in a text, is left as it is."""
    from markupsafe import Markup

    from summitsite.render import HOLE, Fragments

    fragments = Fragments()
    stray = f"a {HOLE}0{HOLE} «б»"  # what a mark looks like, without this store's nonce
    first = fragments.held(("card", "a", 1), ["a"], lambda: Markup("<p>A</p>"))
    outer = fragments.get(("event", "e"), ["a"], lambda: Markup(f"<li>{first}{stray}</li>"))
    page = f"<main>{outer}|{fragments.hole(bytearray(b'<b>2</b>'))}|{stray}</main>"
    assert len(first) < 20 and str(outer).startswith("<li>" + HOLE)
    assert fragments.pieces[("event", "e")][1] == f"<li><p>A</p>{stray}</li>".encode()
    filled = fragments.fill(page.encode("utf-8"), last=True)
    assert filled.decode("utf-8") == f"<main><li><p>A</p>{stray}</li>|<b>2</b>|{stray}</main>"
    assert fragments.fill(b"<p>next page</p>", last=True) == b"<p>next page</p>"


def test_a_rebuilds_largest_pages_are_all_one_workers() -> None:
    """With the last build's sizes, the pages at least parallel.LARGE times the largest one's
    (the search index counted three times over) all go to the last worker, one after another;
    the others are shared out by cost, to even the loads."""
    from summitsite import parallel
    from summitsite.render import Page
    from summitsite.search import INDEX

    sizes = {"data/site.json": 9_000_000, INDEX: 1_000_000, "quotes.html": 2_500_000, "people/a.html": 2_000_000,
             "people/b.html": 1_500_000, "people/c.html": 1_400_000, "outlets/x.html": 10_000}  # fmt: skip
    todo = [Page(path, "" if path.startswith("data") or path == INDEX else "page.html", {}) for path in sizes]
    shares = parallel.split(todo, 2, 100, sizes)
    assert {page.path for page in shares[1]} == {"data/site.json", INDEX, "quotes.html"}
    assert {page.path for page in shares[0]} == {"people/a.html", "people/b.html", "people/c.html", "outlets/x.html"}
    assert [page.path for page in parallel.split(todo, 3, 100, sizes)[2]] == ["data/site.json", INDEX, "quotes.html"]


def test_a_published_time_kept_by_words_is_that_moment_in_its_own_zone() -> None:
    """Words.published keeps its texts: one instant in two zones, an ambiguous hour's two folds, a
    date and a datetime at its midnight each keep their own text; clock() is strftime's."""
    from datetime import date

    words = Words("en")
    utc, new_york = datetime(2025, 8, 15, 18, 54, tzinfo=UTC), ZoneInfo("America/New_York")
    ambiguous = datetime(2025, 11, 2, 1, 30, tzinfo=new_york)  # the hour clocks go back: twice
    moments = [utc, utc.astimezone(ZoneInfo("America/Anchorage")), date(2025, 8, 15), datetime(2025, 8, 15, tzinfo=UTC),
               ambiguous, ambiguous.replace(fold=1)]  # fmt: skip
    expected = ["15 August 2025, 18:54 (UTC+00:00)", "15 August 2025, 10:54 (UTC−08:00)", "15 August 2025",
                "15 August 2025, 00:00 (UTC+00:00)", "2 November 2025, 01:30 (UTC−04:00)",
                "2 November 2025, 01:30 (UTC−05:00)"]  # fmt: skip
    for _ in range(2):  # made, then kept
        assert [words.published(moment) for moment in moments] == expected
    for moment in (datetime(2025, 1, 1, 3, 4, 5), datetime(2025, 1, 1, 23, 0)):
        assert words.clock(moment) == moment.strftime("%H:%M:%S" if moment.second else "%H:%M")


def test_a_pages_head_escapes_its_title_and_site_name() -> None:
    """structured.head's meta and feed links: a title and a site title holding markup are escaped
    (one Markup made of the joined parts, none escaped twice)."""
    from types import SimpleNamespace

    from markupsafe import Markup

    from summitsite import structured

    site = SimpleNamespace(title="<script>alert('s')</script>", base_url="https://example.org/?a=1&b=<", language="en",
                           description={"en": 'Say "<b>hi</b>" & go'}, summits=[])  # fmt: skip
    head = structured.head(site, "search.html", {}, lambda path: path, "<img src=x onerror=alert(1)>")  # type: ignore[arg-type]
    assert isinstance(head, Markup)
    assert "<script>alert" not in head and "<img" not in head and "<b>" not in head
    assert '<meta property="og:site_name" content="&lt;script&gt;alert(&#39;s&#39;)&lt;/script&gt;">' in head
    assert '<meta name="twitter:title" content="&lt;img src=x onerror=alert(1)&gt;">' in head
    assert '<meta name="description" content="Say &#34;&lt;b&gt;hi&lt;/b&gt;&#34; &amp; go">' in head
    assert 'href="https://example.org/?a=1&amp;b=&lt;feeds/articles.xml">' in head
    assert "&amp;amp;" not in head and "&amp;lt;" not in head  # nothing escaped twice


def test_a_path_is_displayed_as_relpath_shows_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """load.display_path's shortcut for absolute paths: what os.path.relpath gives inside the working
    folder, the path itself outside it, from a working folder or from the root."""
    import os

    from summitsite.load import display_path

    inside = tmp_path / "work"
    (inside / "content").mkdir(parents=True)
    paths = [inside / "content" / "a.yaml", inside, tmp_path / "workshop" / "b.md", tmp_path, Path("/"),
             Path("//host/x"), Path("content/c.md"), inside / "content" / ".." / "d.md"]  # fmt: skip
    for folder in (inside, Path("/")):
        monkeypatch.chdir(folder)
        for path in paths:
            relative = os.path.relpath(path)
            assert display_path(path) == (str(path) if relative.startswith("..") else relative), (folder, path)


def test_the_sanitizer_cleans_as_nh3_clean_with_its_options() -> None:
    """highlight.sanitize through nh3's Cleaner, made once: what nh3.clean gives with the same options."""
    import nh3

    from summitsite import highlight

    html = ('<p onclick="x">a<script>alert(1)</script><mark class="quote-mark" id="quote-1" title="t">m</mark>'
            '<span class="anchor" id="q"></span><a href="javascript:x">l</a><a href="https://x" title="t">k</a>'
            '<img src=x onerror=alert(2)></p><!-- c -->')  # fmt: skip
    for marked in (False, True):
        assert highlight.sanitize(html, marked=marked) == nh3.clean(html, **highlight._options(marked))
    assert "<script" not in highlight.sanitize(html) and "<mark" not in highlight.sanitize(html)
    assert '<mark class="quote-mark" id="quote-1" title="t">' in highlight.sanitize(html, marked=True)


def test_a_text_in_another_language_is_marked_and_escaped() -> None:
    """The templates' text(): in the page's language escaped as it is; in another, in a span with
    its lang, both escaped (a name or a title holding a script stays text)."""
    from types import SimpleNamespace

    from markupsafe import Markup

    from summitsite.render import _helpers

    site = SimpleNamespace(base_url=None, summits=[SimpleNamespace(url="summits/s.html")])
    text = _helpers(site, Words("en"), "people/p.html")["text"]  # type: ignore[arg-type]
    hostile = "<script>alert('x')</script> & co"
    assert text({"en": hostile}) == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"
    marked = text({"kk": hostile})
    assert isinstance(marked, Markup)
    assert marked == '<span lang="kk">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</span>'
    assert text("<b>", default_lang='r"u') == '<span lang="r&#34;u">&lt;b&gt;</span>'
    assert text(None) == ""


def test_a_timeline_slides_text_escapes_every_value() -> None:
    """exports._slide_text (TimelineJS's HTML): a script in a description, a quote, a name or an
    outlet stays text, each value escaped once."""
    from types import SimpleNamespace

    from summitsite.exports import _slide_text

    site = SimpleNamespace(language="en", base_url="https://example.org/")
    outlet = SimpleNamespace(name="<b>Outlet</b> & Co")
    article = SimpleNamespace(page="articles/a.html", language='k"k', outlet=outlet)
    quote = SimpleNamespace(speaker=SimpleNamespace(name={"en": "<i>Speaker</i>"}), article=article, anchor="quote-1",
                            text="<script>alert('q')</script>")  # fmt: skip
    event = SimpleNamespace(description={"en": "<script>alert('d')</script>"}, quotes=[quote])
    assert _slide_text(site, event) == (  # type: ignore[arg-type]
        "<p>&lt;script&gt;alert(&#39;d&#39;)&lt;/script&gt;</p>"
        '<p>&lt;i&gt;Speaker&lt;/i&gt;: <q lang="k&#34;k">&lt;script&gt;alert(&#39;q&#39;)&lt;/script&gt;</q> '
        '(<a href="https://example.org/articles/a.html#quote-1">&lt;b&gt;Outlet&lt;/b&gt; &amp; Co</a>)</p>'
    )


def test_pieces_made_only_inside_another_are_not_kept_for_the_next_build() -> None:
    """A piece made while another is rendered (an event's compact quote cards), and used by no
    page itself, is left out of what the build cache keeps: the piece around it holds its bytes.
    One that a page also uses itself (the cards of who said what, also in a person's piece) is
    kept, whichever came first; so is one made again at the top after it was forgotten, and one
    that another process kept."""
    from summitsite.render import SHARED_ROOT, Fragments
    from summitsite.reuse import kept_pieces

    fragments = Fragments()

    def card_key(article: str) -> tuple[object, ...]:
        return ("card", article, 1, SHARED_ROOT, (("show_event", False),))

    def event(name: str, cards: list[str]) -> str:
        return name + "".join(str(fragments.get(card_key(card), [card], lambda card=card: card.upper()))
                              for card in cards)  # fmt: skip

    fragments.get(("event", "e1"), ["a", "b"], lambda: event("E1:", ["a", "b"]))
    fragments.get(("event", "e2"), ["c"], lambda: event("E2:", ["c"]))
    assert str(fragments.get(("event", "e1"), ["a", "b"], lambda: "not rendered again")) == "E1:AB"
    assert fragments.inner == {card_key("a"), card_key("b"), card_key("c")}
    fragments.get(card_key("a"), ["a"], lambda: "not rendered again")  # a page's own use
    assert fragments.joined_utf8([card_key("b")]) == b"B"  # who said what: the cards joined
    fragments.add({card_key("c"): (("c",), b"C")})  # kept by a worker that used it itself
    assert fragments.inner == set()
    fragments.get(("event", "e3"), ["d"], lambda: event("E3:", ["d"]))
    kept = kept_pieces(fragments)
    assert card_key("d") not in kept and set(kept) == set(fragments.pieces) - {card_key("d")}
    fragments.forget({"d"})
    fragments.get(card_key("d"), ["d"], lambda: "D again")  # made again, at the top this time
    assert card_key("d") in kept_pieces(fragments)
    assert str(fragments.get(("event", "e3"), ["d"], lambda: event("E3:", ["d"]))) == "E3:D again"
    assert kept_pieces(fragments).keys() == fragments.pieces.keys()
