"""The quote suggester: its precision and recall on two hand-annotated articles, and its rules."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tools"))

from evaluate_suggestions import ARTICLES, evaluate, gold_quotes, people  # noqa: E402

from summitsite.match import ArticleText  # noqa: E402
from summitsite.suggest import People, match, sentences, suggest  # noqa: E402

SEED, RUSSIAN = ARTICLES

PEOPLE = People(
    {
        "putin": {"name": {"en": "Vladimir Putin", "ru": "Владимир Путин"}, "aliases": ["Путин", "Путиннің"],
                  "role": {"en": "President of Russia"}, "country": "RU"},
        "trump": {"name": {"en": "Donald Trump", "ru": "Дональд Трамп"}, "aliases": ["Трамп", "Трамппен"],
                  "role": {"en": "President of the United States"}, "country": "US"},
        "ushakov": {"name": {"en": "Yuri Ushakov"}, "aliases": ["Ушаков"],
                    "role": {"en": "Aide to the President of Russia"}, "country": "RU"},
        "rubio": {"name": {"en": "Marco Rubio"}, "role": {"en": "US Secretary of State"}, "country": "US"},
    }
)  # fmt: skip


def found(text: str) -> list[tuple[str, str, str]]:
    return [(s.speaker, s.kind, text[s.start : s.end]) for s in suggest(text, PEOPLE)]


# --- measured against hand annotation ----------------------------------------------------------


@pytest.mark.parametrize(("base", "precision", "recall"), [(SEED, 0.95, 0.85), (RUSSIAN, 0.8, 0.85)])
def test_precision_and_recall_floors(base: Path, precision: float, recall: float) -> None:
    counts = evaluate(base, people())
    assert counts["matched"] / counts["suggested"] >= precision, counts
    assert counts["matched"] / counts["gold"] >= recall, counts
    assert counts["same_kind"] == counts["matched"], counts


def test_the_seed_direct_quotes_and_said_putin_statements_are_found_exactly() -> None:
    text, _, gold = gold_quotes(SEED)
    suggested = {(s.speaker, s.kind, text[s.start : s.end]) for s in suggest(text, people())}
    putin_direct = [text[a:b] for speaker, kind, (a, b) in gold if speaker == "putin" and kind == "direct"]
    assert len(putin_direct) == 3
    for quote in putin_direct:
        assert ("putin", "direct", quote) in suggested
    assert ("putin", "indirect", "Ресей Украинаның қауіпсіздігін қамтамасыз ету керек деген пікірмен келіседі және "
            "бұл бағытта жұмыс істеуге дайын") in suggested  # ", деді Путин"
    assert ("putin", "indirect", "Ресей мен Алясканы тек Беринг бұғазы бөліп тұр; елдер жақын көрші") in suggested
    assert ("putin", "indirect", "Ресей украиндық қақтығысты тоқтатуға және оның ұзақ мерзімді болуына шынайы "
            "мүдделі") in suggested  # "Оның айтуынша, ..."


def test_matching_is_one_to_one_by_largest_overlap() -> None:
    gold = [("trump", "indirect", (0, 50)), ("trump", "direct", (10, 20))]
    suggested = [("trump", "indirect", (0, 48)), ("trump", "direct", (10, 20)), ("putin", "direct", (10, 20)),
                 ("trump", "indirect", (30, 40))]  # fmt: skip
    assert match(suggested, gold) == [(0, 0), (1, 1)]


# --- the rules ---------------------------------------------------------------------------------


def test_names_are_found_in_their_case_forms() -> None:
    assert PEOPLE.mention("Путиннің", 0).person == "putin" and PEOPLE.mention("Путиннің", 0).case == "gen"
    assert PEOPLE.mention("Трамппен", 0).case == "other" and PEOPLE.mention("Трамппен", 0).person == "trump"
    assert PEOPLE.mention("Путина", 0).case == "gen"
    assert PEOPLE.mention("Ушаковым", 0).person == "ushakov"
    assert PEOPLE.mention("Rubio's", 0).case == "gen"
    assert PEOPLE.mention("Путинка", 0) is None and PEOPLE.mention("путин", 0) is None


def test_inflected_names_are_not_speakers() -> None:
    text = "Трамппен келіссөздер қорытындысы бойынша Путин қақтығысты тоқтатуға болатынын айтты."
    assert found(text) == [("putin", "indirect", text[:-1])]


def test_kazakh_dash_form_is_direct_and_comma_form_is_indirect() -> None:
    text = "Біз дайынбыз, - деді Путин. Елдер жақын көрші, деді Путин."
    assert found(text) == [("putin", "direct", "Біз дайынбыз"), ("putin", "indirect", "Елдер жақын көрші")]


def test_pronouns_and_titles_resolve_to_earlier_people() -> None:
    text = (
        "«Мы готовы к диалогу», — сказал Путин. По его словам, встреча была полезной.\n"
        "Трамп назвал переговоры «очень продуктивными». Американский президент добавил, что скоро позвонит.\n"
        "Помощник президента России заявил, что документов подписано не было."
    )
    assert found(text) == [
        ("putin", "direct", "Мы готовы к диалогу"),
        ("putin", "indirect", "встреча была полезной"),
        ("trump", "indirect", "Трамп назвал переговоры «очень продуктивными»"),
        ("trump", "direct", "очень продуктивными"),
        ("trump", "indirect", "Американский президент добавил, что скоро позвонит"),
        ("ushakov", "indirect", "Помощник президента России заявил, что документов подписано не было"),
    ]


def test_english_quotes_and_continued_quotations() -> None:
    text = "“We made great progress,” Trump told reporters. “We will meet again.” According to Rubio, talks go on."
    assert found(text) == [
        ("trump", "direct", "We made great progress"),
        ("trump", "direct", "We will meet again"),
        ("rubio", "indirect", "talks go on"),
    ]


def test_unknown_speakers_and_words_without_a_cue_give_nothing() -> None:
    text = ("Пресс-секретарь Дмитрий Песков сказал, что график будет согласован позднее. Путин и Трамп "
            "пожали друг другу руки. Тараптар «қырғи-қабақ соғыстан» бергі деңгейге келісті.")  # fmt: skip
    assert found(text) == []


def test_sentences_do_not_end_inside_quotes_or_after_initials() -> None:
    text = "«Мы готовы. Это важно», — сказал В. Путин. Mr. Trump said so! Next one\nНовая строка."
    assert [text[a:b] for a, b in sentences(text)] == [
        "«Мы готовы. Это важно», — сказал В. Путин", "Mr. Trump said so", "Next one", "Новая строка"]  # fmt: skip


PIECES = ["Путин", "Трамппен", "Ол", "Оның айтуынша", "деді", "сказал", "По словам Ушакова", "said", "he", "Rubio",
          "президент", "Американский", "«", "»", "“", "”", "„", '"', ",", ".", " - ", " — ", ":", "?", "\n", " ", "В.",
          "мы готовы", "x"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join))
def test_every_suggestion_is_a_findable_span_of_the_text(text: str) -> None:
    """What new-article writes must pass check: each quote's text is a non-empty span the matcher finds."""
    finder = ArticleText(text)
    for s in suggest(text, PEOPLE):
        assert 0 <= s.start < s.end <= len(text) and s.kind in ("direct", "indirect")
        quote = text[s.start : s.end]
        assert quote.strip() and finder.find(quote) is not None, quote
        assert "\n" not in quote
