"""Suggest who-said-what in an article's text: direct quotes and reported speech, with the speaker.

Deterministic rules, one sentence at a time (see README, "Importing an article: suggested quotes"):

- A sentence is *attributed* when it has a verb of saying (деді, айтты, сказал, заявил, said, ...)
  or an "according to" phrase (айтуынша, по словам, according to) outside its quotation marks.
- The speaker is a person of people.yaml named in the sentence: a surname from `name` or an
  `aliases` entry, bare (nominative) or with a known case ending (Путиннің, Трамппен, Путина).
  Pronouns (Ол, Оның, он, его, he, his) are the last speaker; a title (президент, басшысы,
  министр, president) is the most recently mentioned person whose role and country fit it.
- "X, - деді Путин" / "«X», — сказал Путин" / "“X,” Trump said": X is a direct quote (a dash or
  quotation marks) or reported speech (a plain comma). "Оның айтуынша, X" / "По словам Ушакова, X":
  X is reported speech. Otherwise the whole sentence is reported speech by its subject (the first
  name before the verb), and every «quoted» phrase in it is a direct quote by the same speaker.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from .schema import unbalanced_bidi

Span = tuple[int, int]

VERBS = re.compile(
    r"деді|айтты|атады|мәлімдеді|қосты|күтеді|санайды"
    r"|(?:сказал|заявил|отметил|добавил|подчеркнул|сообщил|рассказал|пояснил|признал|уточнил|ответил|назвал"
    r"|говорил|заметил|указал)а?|считает|говорит"
    r"|said|says|told|added|stressed|noted|declared|insisted|warned|replied|called",
    re.IGNORECASE,
)
ACCORDING = re.compile(r"\b(?:айтуынша|сөзінше|по\s+(?:\w+\s+)?словам|according\s+to)\b", re.IGNORECASE)
QUOTED = re.compile(r"«[^«»\n]*»|„[^„“”\n]*[“”]|“[^“”\n]*”|\"[^\"\n]*\"")
WORD = re.compile(r"\w+(?:['’]s\b)?")
TAIL_WORDS = 15
MAX_QUOTE_CHARS = 2000  # a longer "sentence" is a list or a table, not a statement
DASHES = "-‐‑‒–—―−"
DASH = "[" + re.escape(DASHES) + "]"
CONJUNCTIONS = {"что", "чтобы", "как", "и", "а", "но", "that", "and", "but", "which", "деп", "және", "бірақ"}
NOT_SENTENCE_ENDS = {"г", "гг", "т", "е", "п", "им", "ул", "mr", "mrs", "ms", "dr", "st", "us", "vs"}

GENITIVE = ("ның", "нің", "дың", "дің", "тың", "тің", "а", "я", "'s", "’s")
OTHER_CASES = ("ға", "ге", "қа", "ке", "на", "не", "е", "ды", "ді", "ты", "ті", "ны", "ні", "да", "де", "та", "те",
               "нда", "нде", "дан", "ден", "тан", "тен", "нан", "нен", "мен", "пен", "бен", "у", "ю", "ом", "ем",
               "ым", "им", "ой", "ей")  # fmt: skip
PRONOUNS = {"ол": "nom", "оның": "gen", "он": "nom", "она": "nom", "его": "gen", "её": "gen", "ее": "gen",
            "тот": "nom", "he": "nom", "she": "nom", "his": "gen", "her": "gen", "him": "gen"}  # fmt: skip
# A title and the word of the English role it stands for ("" = any role).
TITLES = {"президент": "president", "басшы": "president", "лидер": "president", "leader": "president",
          "president": "president", "министр": "minister", "minister": "minister", "глава": "",
          "помощник": "aide", "көмекші": "aide", "aide": "aide", "госсекретарь": "secretary",
          "спецпосланник": "envoy", "envoy": "envoy"}  # fmt: skip
TITLE_ENDINGS = {"": "nom", "і": "nom", "сы": "nom", "а": "gen", "інің": "gen", "сының": "gen", "'s": "gen"}
TITLE = re.compile(f"({'|'.join(TITLES)})({'|'.join(TITLE_ENDINGS)})")
COUNTRIES = {"ресей": "RU", "росси": "RU", "российск": "RU", "russia": "RU", "ақш": "US", "америка": "US",
             "сша": "US", "американск": "US", "us": "US", "u.s": "US", "american": "US"}


@dataclass(frozen=True)
class Suggestion:
    speaker: str
    kind: str  # direct | indirect
    start: int
    end: int
    cue: str  # the verb or phrase that marked it, for messages


@dataclass(frozen=True)
class Mention:
    """A word in the text that names someone: a person, a pronoun or a title."""

    start: int
    end: int
    case: str  # nom | gen | other
    person: str | None = None  # a named person's id
    role: str | None = None  # for a title: the role word; None for a pronoun
    country: str | None = None


@dataclass(frozen=True)
class Person:
    id: str
    role: str
    country: str


class People:
    """The people of people.yaml and every written form of their names."""

    def __init__(self, data: Any) -> None:
        self.people: dict[str, Person] = {}
        self.forms: dict[str, tuple[str, str]] = {}  # a word -> (person id, case)
        for pid, entry in (data if isinstance(data, dict) else {}).items():
            if not isinstance(entry, dict):
                continue
            role = entry.get("role")
            role_text = role.get("en", next(iter(role.values()), "")) if isinstance(role, dict) else role
            self.people[str(pid)] = Person(str(pid), str(role_text or "").lower(), str(entry.get("country") or ""))
            names = entry.get("name")
            names = list(names.values()) if isinstance(names, dict) else [names]
            bases = {str(n).split()[-1] for n in names if isinstance(n, str) and n.split()}
            aliases = [a for a in entry.get("aliases") or [] if isinstance(a, str) and a.strip()]
            bases |= {a for a in aliases if not any(a.startswith(b) and a != b for b in bases)}
            for base in sorted(bases):  # sorted: the same forms win on every run
                self.forms.setdefault(base, (str(pid), "nom"))
                for ending in GENITIVE + OTHER_CASES:
                    self.forms.setdefault(base + ending, (str(pid), "gen" if ending in GENITIVE else "other"))
            for alias in aliases:
                self.forms.setdefault(alias, (str(pid), "other"))

    def mention(self, word: str, start: int) -> Mention | None:
        if word in self.forms:
            pid, case = self.forms[word]
            return Mention(start, start + len(word), case, person=pid)
        lower = word.lower()
        if lower in PRONOUNS:
            return Mention(start, start + len(word), PRONOUNS[lower])
        title = TITLE.fullmatch(lower)
        if title:
            return Mention(start, start + len(word), TITLE_ENDINGS[title.group(2)], role=TITLES[title.group(1)])
        return None


def sentences(text: str) -> list[Span]:
    """Sentence spans, line by line, without the final full stop; never ending inside quotation marks."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        inside = [(line.start() + m.start() + 1, line.start() + m.end() - 1) for m in QUOTED.finditer(line.group())]
        start = line.start()
        for stop in re.finditer(r"[.!?…]+[»”“\"]?\s+(?=[\"«“„\d]|" + DASH + r"|[^\W\d_])", line.group()):
            at, after = line.start() + stop.start(), line.start() + stop.end()
            last = at + len(stop.group().rstrip()) - 1  # the full stop, or the quotation mark after it
            if text[after].isalpha() and not text[after].isupper():
                continue
            if any(a <= last < b for a, b in inside) or _abbreviation(text, start, at):
                continue
            spans.append(_trim(text, (start, after)))
            start = after
        spans.append(_trim(text, (start, line.end())))
    return [(a, b) for a, b in spans if b > a]


def _abbreviation(text: str, start: int, dot: int) -> bool:
    """'В. Путин', 'Mr. Trump', '2025 г.': a full stop that does not end a sentence."""
    word = re.search(r"(\w+)$", text[start:dot])
    return word is not None and (word.group(1).lower() in NOT_SENTENCE_ENDS
                                 or (len(word.group(1)) == 1 and word.group(1).isupper()))  # fmt: skip


def _inner(text: str, quoted: Span) -> Span:
    """Inside a quotation's marks, without a final comma or full stop (“We are ready,” he said)."""
    start, end = quoted[0] + 1, quoted[1] - 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",.;:"):
        end -= 1
    return start, end


def _trim(text: str, span: Span) -> Span:
    """Without surrounding white space and the final full stop (quotes are written without it)."""
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".!?…"):
        end -= 1
    return start, end


def suggest(text: str, people: People) -> list[Suggestion]:
    """Every quote the rules find in text, in text order."""
    found: list[Suggestion] = []
    context = Context(people)
    for span in sentences(text):
        found += context.sentence(text, span)
    unique = {(s.speaker, s.start, s.end): s for s in found if _quotable(text[s.start : s.end])}
    return sorted(unique.values(), key=lambda s: (s.start, -s.end, s.speaker))


def attributed(text: str, people: People) -> list[tuple[Span, Suggestion]]:
    """Each sentence with a cue of saying and a known speaker, with its first suggestion."""
    context = Context(people)
    found = []
    for span in sentences(text):
        suggestions = context.sentence(text, span)
        if suggestions:
            found.append((span, suggestions[0]))
    return found


def _quotable(quote: str) -> bool:
    """Words, of a sensible length, that the content format accepts as a quote's text."""
    return any(c.isalnum() for c in quote) and len(quote) <= MAX_QUOTE_CHARS and not unbalanced_bidi(quote)


@dataclass
class Sentence:
    text: str  # the whole article
    start: int
    end: int
    quoted: list[Span]  # quotations in it, marks included
    outside: str  # the sentence with its quotations blanked out, so no cue inside them is seen
    mentions: list[Mention]

    def phrases(self, speaker: str, body: Span, cue: str) -> list[Suggestion]:
        """The «quoted» phrases inside reported speech: the speaker's own words (not names: «Газпром»)."""
        return [Suggestion(speaker, "direct", *_inner(self.text, (a, b)), cue) for a, b in self.quoted
                if body[0] <= a and b <= body[1] and not _looks_like_a_name(self.text[a + 1 : b - 1])]  # fmt: skip


def _looks_like_a_name(phrase: str) -> bool:
    words = phrase.split()
    return not words or all(w[:1].isupper() or not w[:1].isalpha() for w in words) and len(words) <= 3


class Context:
    """What a sentence needs from those before it: who spoke last and who was named most recently."""

    def __init__(self, people: People) -> None:
        self.people = people
        self.last_speaker: str | None = None
        self.last_direct: str | None = None  # the speaker, if the previous sentence ended a direct quote
        self.recent: list[str] = []  # person ids, the most recently named last

    def sentence(self, text: str, span: Span) -> list[Suggestion]:
        start, end = span
        quoted = [(start + m.start(), start + m.end()) for m in QUOTED.finditer(text[start:end])]
        chars = list(text[start:end])
        for a, b in quoted:
            chars[a + 1 - start : b - 1 - start] = "#" * (b - a - 2)
        sentence = Sentence(text, start, end, quoted, "".join(chars), [])
        sentence.mentions = self._mentions(sentence)
        found = self._tail(sentence) or self._according(sentence) or self._subject(sentence) or self._more(sentence)
        self.recent += [m.person for m in sentence.mentions if m.person]
        if found:
            self.last_speaker = found[0].speaker
            self.recent.append(found[0].speaker)
        self.last_direct = found[-1].speaker if found and found[-1].kind == "direct" else None
        return found

    def _mentions(self, sentence: Sentence) -> list[Mention]:
        words = list(WORD.finditer(sentence.outside))
        found = []
        for index, word in enumerate(words):
            mention = self.people.mention(word.group(), sentence.start + word.start())
            if mention is not None and mention.role is not None:
                near = [w.group().lower() for w in words[max(0, index - 1) : index] + words[index + 1 : index + 3]]
                country = next((COUNTRIES[k] for w in near for k in COUNTRIES if w.startswith(k)), None)
                mention = Mention(mention.start, mention.end, mention.case, None, mention.role, country)
            if mention is not None:
                found.append(mention)
        return found

    def resolve(self, mention: Mention) -> str | None:
        """A person's id: named, the last speaker for a pronoun, the latest fitting person for a title."""
        if mention.person:
            return mention.person
        if mention.role is None:
            return self.last_speaker or (self.recent[-1] if self.recent else None)
        fits = {p.id for p in self.people.people.values()
                if mention.role in re.split(r" of | to ", p.role)[0]
                and (mention.country is None or p.country == mention.country)}  # fmt: skip
        latest = next((pid for pid in reversed(self.recent) if pid in fits), None)
        return latest or (next(iter(fits)) if len(fits) == 1 else None)

    def _tail(self, s: Sentence) -> list[Suggestion]:
        """'X, - деді Путин' / '«X», — сказал Путин' / '“X,” Trump said' / 'X, деді Путин'."""
        cuts = list(re.finditer(r"[,:]?\s*" + DASH + r"\s+|,\s+|(?<=[»”“\"])\s+", s.outside))
        all_words = list(WORD.finditer(s.outside))
        word_starts = [w.start() for w in all_words]
        for cut in reversed(cuts):
            first = bisect.bisect_left(word_starts, cut.end())
            if len(all_words) - first > TAIL_WORDS:
                break  # a tail of saying is short: "- деді Путин", "— заявил журналистам Лавров"
            words = all_words[first : first + 4]
            if cut.start() == 0 or not words or words[0].group().lower() in CONJUNCTIONS:
                continue
            verb = next((w for w in words[:3] if VERBS.fullmatch(w.group())), None)
            limit = s.start + words[-1].end()
            who = [m for m in s.mentions if s.start + cut.end() <= m.start < limit and m.case == "nom"]
            speaker = next((p for p in map(self.resolve, who) if p), None)
            if verb is None or speaker is None:
                continue
            body = _trim(s.text, (s.start, s.start + cut.start()))
            inner = next((_inner(s.text, (a, b)) for a, b in s.quoted if (a, b) == body), None)
            if inner:
                return [Suggestion(speaker, "direct", *inner, verb.group())]
            kind = "direct" if any(c in cut.group() for c in DASHES) else "indirect"
            return [Suggestion(speaker, kind, *body, verb.group()), *s.phrases(speaker, body, verb.group())]
        return []

    def _according(self, s: Sentence) -> list[Suggestion]:
        """'Оның айтуынша, X' / 'Путиннің айтуынша, X' / 'По словам Ушакова, X' / 'According to Rubio, X'."""
        cue = ACCORDING.search(s.outside)
        if cue is None:
            return []
        at, kazakh = s.start + cue.start(), cue.group().lower() in ("айтуынша", "сөзінше")
        before = [m for m in s.mentions if m.end <= at and m.case == "gen"]
        after = [m for m in s.mentions if m.start >= at and m.case in ("gen", "nom")]
        who = before[-1:] if kazakh else after[:1]
        speaker = self.resolve(who[0]) if who else None
        if speaker is None:
            return []
        comma = s.outside.find(",", cue.end())
        leads = kazakh or not s.outside[: cue.start()].strip()  # the cue opens the sentence
        body = _trim(s.text, (s.start + comma + 1, s.end)) if leads and comma >= 0 else (s.start, s.end)
        return [Suggestion(speaker, "indirect", *body, cue.group()), *s.phrases(speaker, body, cue.group())]

    def _subject(self, s: Sentence) -> list[Suggestion]:
        """'Трамп ... атады' / 'Путин заявил, что X' / 'Он добавил, что X': the whole sentence."""
        verb = next((w for w in WORD.finditer(s.outside) if VERBS.fullmatch(w.group())), None)
        if verb is None:
            return []
        at = s.start + verb.start()
        before = [m for m in s.mentions if m.end <= at and m.case == "nom"]
        after = [m for m in s.mentions if at < m.start <= at + 40 and m.case == "nom"]
        who = [m for m in before if m.person] or before or after[:1]
        speaker = self.resolve(who[0]) if who else None
        if speaker is None:
            return []
        body = (s.start, s.end)
        return [Suggestion(speaker, "indirect", *body, verb.group()), *s.phrases(speaker, body, verb.group())]

    def _more(self, s: Sentence) -> list[Suggestion]:
        """'“We made progress,” Trump said. “We will meet again.”': a quotation alone goes on the last one."""
        if self.last_direct and len(s.quoted) == 1 and s.quoted[0] == (s.start, s.end):
            return [Suggestion(self.last_direct, "direct", *_inner(s.text, s.quoted[0]), "continued")]
        return []


Quote = tuple[str, str, Span]  # speaker, kind, span


def match(found: list[Quote], gold: list[Quote]) -> list[tuple[int, int]]:
    """Suggestions paired with gold quotes one to one: same speaker and overlapping spans, the
    largest overlaps first. Returns (suggestion index, gold index) pairs."""
    pairs = sorted(
        ((min(f[2][1], g[2][1]) - max(f[2][0], g[2][0]), i, j) for i, f in enumerate(found) for j, g in enumerate(gold)
         if f[0] == g[0] and min(f[2][1], g[2][1]) > max(f[2][0], g[2][0])),  # fmt: skip
        reverse=True,
    )
    used_found: set[int] = set()
    used_gold: set[int] = set()
    matched = []
    for _, i, j in pairs:
        if i not in used_found and j not in used_gold:
            used_found.add(i)
            used_gold.add(j)
            matched.append((i, j))
    return sorted(matched)


def score(found: list[Quote], gold: list[Quote]) -> dict[str, int]:
    """Counts: suggested, gold, matched, and same_kind (matched pairs agreeing on direct/indirect)."""
    pairs = match(found, gold)
    same_kind = sum(found[i][1] == gold[j][1] for i, j in pairs)
    return {"suggested": len(found), "gold": len(gold), "matched": len(pairs), "same_kind": same_kind}
