"""A synthetic corpus in the content format, for benchmarks.

    python bench/corpus.py N OUT_DIR

N articles of about 600 words of Cyrillic or Latin prose, 5 quotes each (direct and
indirect, with translations), 8 speakers, 50 outlets with via chains, one summit with a
timeline of N/10 events. Deterministic: the same N gives the same files.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

LATIN = ("summit talks leaders delegation agreement security conflict press statement minister meeting "
         "sanctions trade energy border dialogue partners cooperation negotiations region peace").split()  # fmt: skip
CYRILLIC = ("саммит переговоры лидеры делегация соглашение безопасность конфликт заявление министр встреча "
            "санкции торговля энергетика граница диалог партнеры сотрудничество регион мир кездесу келіссөз "
            "көшбасшылар мәлімдеме қауіпсіздік ынтымақтастық").split()  # fmt: skip
SPEAKERS = ["putin", "trump", "lavrov", "rubio", "witkoff", "ushakov", "tokayev", "scavino"]


def sentence(rng: random.Random, words: list[str], n: int) -> str:
    chosen = [rng.choice(words) for _ in range(n)]
    return " ".join(chosen).capitalize()


def write(root: Path, n: int) -> None:
    rng = random.Random(n)
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "summits").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text("title: Synthetic summit\nlanguage: en\nbase_url: https://example.org/\n")
    people = "".join(
        f"{pid}:\n  name: {{en: {pid.title()} Person, ru: Персона {pid.title()}}}\n  role: {{en: Delegate}}\n"
        f"  country: {'RU' if i % 2 else 'US'}\n"
        for i, pid in enumerate(SPEAKERS)
    )
    (root / "people.yaml").write_text(people, encoding="utf-8")
    outlets = "".join(
        f"outlet-{i}: {{name: Outlet {i}, url: 'https://outlet{i}.example', country: {'KZ' if i % 3 else 'RU'}, "
        f"language: {'ru' if i % 2 else 'en'}, kind: {['agency', 'newspaper', 'online', 'broadcaster'][i % 4]}}}\n"
        for i in range(50)
    )
    (root / "outlets.yaml").write_text(outlets, encoding="utf-8")
    events = max(1, n // 10)
    timeline = "".join(
        f"  - id: event-{i}\n    time: 2025-08-{15 + i * 3 // events:02d}T{(i * 7) % 24:02d}:{(i * 13) % 60:02d}\n"
        f"    title: Event {i}\n    people: [{SPEAKERS[i % 8]}, {SPEAKERS[(i + 3) % 8]}]\n"
        f"    sources:\n      - {{outlet: outlet-{i % 50}, url: 'https://outlet{i % 50}.example/{i}'}}\n"
        for i in range(events)
    )
    (root / "summits" / "synthetic.yaml").write_text(
        "name: {en: Synthetic summit}\nplace: {en: Anchorage}\ntimezone: America/Anchorage\n"
        "start: 2025-08-15\nend: 2025-08-18\nparticipants: [putin, trump]\ntimeline:\n" + timeline,
        encoding="utf-8",
    )
    for a in range(n):
        write_article(root, rng, a, events)


def write_article(root: Path, rng: random.Random, a: int, events: int) -> None:
    cyrillic = a % 2 == 0
    words = CYRILLIC if cyrillic else LATIN
    paragraphs = [" ".join(sentence(rng, words, rng.randint(9, 18)) + "." for _ in range(5)) for _ in range(8)]
    quotes = []
    for q in range(5):
        paragraph = rng.randrange(len(paragraphs))
        spoken = sentence(rng, words, 9)
        kind = "direct" if q % 2 == 0 else "indirect"
        paragraphs[paragraph] += f" «{spoken}», - said {SPEAKERS[(a + q) % 8]}." if kind == "direct" else f" {spoken}."
        quotes.append(
            f"  - speaker: {SPEAKERS[(a + q) % 8]}\n    kind: {kind}\n    text: \"{spoken}\"\n"
            f"    translation: {{{'en' if cyrillic else 'ru'}: \"Translation {a}-{q}\"}}\n"
            f"    event: event-{(a + q) % events}\n"
        )
    outlet = a % 50
    via = [(outlet + 1) % 50] + ([(outlet + 7) % 50] if a % 3 == 0 else [])
    slug = f"article-{a:05d}"
    (root / "articles" / f"{slug}.md").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    (root / "articles" / f"{slug}.yaml").write_text(
        f"title: Article {a}\noutlet: outlet-{outlet}\nvia: [{', '.join(f'outlet-{v}' for v in via)}]\n"
        f"published: 2025-08-{16 + a % 10:02d}T{a % 24:02d}:00+05:00\nlanguage: {'ru' if cyrillic else 'en'}\n"
        f"summit: synthetic\nquotes:\n" + "".join(quotes),
        encoding="utf-8",
    )


if __name__ == "__main__":
    write(Path(sys.argv[2]), int(sys.argv[1]))
