"""Readable Latin slugs for URLs, with Kazakh and Russian Cyrillic transliterated."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Kazakh letters beyond Russian's
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
    "і": "i",
    # Ukrainian and Belarusian, for completeness
    "є": "ye", "ї": "yi", "ґ": "g", "ў": "w",
}  # fmt: skip
_TABLE = str.maketrans(_CYRILLIC)
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def transliterate(text: str) -> str:
    """Cyrillic to Latin letters; other accents dropped (é -> e)."""
    latin = unicodedata.normalize("NFC", text.lower()).translate(_TABLE)
    decomposed = unicodedata.normalize("NFKD", latin)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def slugify(text: str) -> str:
    """'Путин мен Трамп' -> 'putin-men-tramp'; '' when nothing Latin is left."""
    return _NON_SLUG.sub("-", transliterate(text)).strip("-")
