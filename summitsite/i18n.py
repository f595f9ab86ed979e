"""The reader-facing words: UI strings, dates and times, language and country names.

Every page is in the site's UI language (site.yaml `language`); English and Russian
are provided. Month and day names are ours, not the C library's, so output never
depends on the machine's locale.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from markupsafe import Markup

from .iso import COUNTRIES, LANGUAGES

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
}
WEEKDAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "ru": "понедельник вторник среда четверг пятница суббота воскресенье",
}

RUSSIAN = {
    "Skip to content": "Перейти к содержанию",
    "Home": "Главная",
    "Timeline": "Хроника",
    "Who said what": "Кто что сказал",
    "People": "Люди",
    "Outlets": "Издания",
    "Articles": "Статьи",
    "Search": "Поиск",
    "Results: {shown} of {total}.": "Результаты: {shown} из {total}.",
    "Nothing found.": "Ничего не найдено.",
    "Statement": "Заявление",
    "Article": "Статья",
    "Words from articles, statements and the timeline, in any language":
        "Слова из статей, заявлений и хроники, на любом языке",
    "Event": "Событие",
    "Search needs JavaScript.": "Для поиска нужен JavaScript.",
    "Summit": "Саммит",
    "Where": "Где",
    "When": "Когда",
    "Who": "Кто",
    "Time zone": "Часовой пояс",
    "Key moments": "Ключевые моменты",
    "Latest statements": "Последние заявления",
    "Full timeline": "Вся хроника",
    "All statements": "Все заявления",
    "direct": "прямая речь",
    "indirect": "косвенная речь",
    "Direct quote": "Прямая речь",
    "Indirect statement": "Косвенная речь",
    "Translation": "Перевод",
    "Original": "Оригинал",
    "via": "со ссылкой на",
    "Reported by": "Сообщает",
    "in the article": "в статье",
    "Said at": "Сказано на событии",
    "Sources": "Источники",
    "Took part": "Участники",
    "What was said": "Что было сказано",
    "Published": "Опубликовано",
    "Language": "Язык",
    "Outlet": "Издание",
    "Source chain": "Цепочка источников",
    "Original address": "Исходный адрес",
    "not given": "не указан",
    "Annotated statements": "Размеченные высказывания",
    "Statements": "Высказывания",
    "Role": "Должность",
    "Country": "Страна",
    "Events": "События",
    "Cites": "Ссылается на",
    "Cited by": "На него ссылаются",
    "Cited as the source of": "Указан как источник статей",
    "Timeline events it is a source for": "События хроники, где оно указано источником",
    "Kind": "Тип",
    "Website": "Сайт",
    "agency": "агентство",
    "newspaper": "газета",
    "broadcaster": "телерадиокомпания",
    "online": "интернет-издание",
    "government": "государственный источник",
    "Page not found": "Страница не найдена",
    "This page does not exist. Start again from the home page.":
        "Такой страницы нет. Начните с главной страницы.",
    "Highlighted": "Выделено",
    "direct quote": "прямая речь",
    "indirect statement": "косвенная речь",
    "Numbers lead to the annotations below.": "Номера ведут к разметке ниже.",
    "time not reported": "время не сообщается",
    "Times are local": "Время местное",
    "with UTC alongside": "рядом указано UTC",
    "No statements annotated yet.": "Высказывания пока не размечены.",
    "None": "Нет",
    "Nobody": "Никто",
    "Summits": "Саммиты",
    "Built from": "Собрано из",
    "Main": "Главное меню",
    "the article": "статья",
    "Filter": "Фильтр",
    "Person": "Человек",
    "Kind of statement": "Вид высказывания",
    "Show all": "Показать всё",
    "{shown} of {total}": "{shown} из {total}",
    "Statements shown: {shown} of {total}.": "Показано высказываний: {shown} из {total}.",
    "Events shown: {events} of {events_total}; statements: {shown} of {total}.":
        "Показано событий: {events} из {events_total}; высказываний: {shown} из {total}.",
    "No statement matches these filters.": "Ни одно высказывание не подходит под эти фильтры.",
    "Nothing on this timeline matches these filters.": "В хронике нет ничего, что подходило бы под эти фильтры.",
    "Show my time zone": "Показать моё время",
    "or another zone": "или другой пояс",
    "summit time only": "только время саммита",
    "my time zone": "мой часовой пояс",
    "Times are also shown in {zone}.": "Время показано также для пояса {zone}.",
    "Time": "Время",
    "Duration": "Длительность",
    "Accounts differ": "Источники расходятся",
    "As reported": "По сообщениям",
    "sources differ": "источники расходятся",
    "the report": "сообщение",
    "h": "ч",
    "min": "мин",
    "One statement, several outlets": "Одно высказывание в разных изданиях",
    "Each version is compared word by word with the earliest report in its language, or its translation:":
        "Каждая версия сравнивается пословно с самым ранним сообщением на её языке или с его переводом:",
    "struck through": "зачёркнуто",
    "its words that this version lacks": "его слова, которых нет в этой версии",
    "underlined": "подчёркнуто",
    "words this version adds": "слова, добавленные в этой версии",
    "Earliest report": "Самое раннее сообщение",
    "not certain": "не наверняка",
    "gives only the date, and may have been earlier": "указывает только дату и могло выйти раньше",
    "added:": "добавлено:",
    "removed:": "убрано:",
    "The earliest report": "Самое раннее сообщение",
    "Not compared: no earlier version in this language": "Не сравнивается: более ранней версии на этом языке нет",
    "Compared with the translation of": "Сравнение с переводом версии издания",
    "Compared with": "Сравнение с версией издания",
    "the same words": "те же слова",
}  # fmt: skip
PLURALS = {
    "en": {
        "article": ("article", "articles"),
        "person": ("person", "people"),
        "outlet": ("outlet", "outlets"),
        "statement": ("statement", "statements"),
    },
    "ru": {
        "article": ("статья", "статьи", "статей"),
        "person": ("человек", "человека", "человек"),
        "outlet": ("издание", "издания", "изданий"),
        "statement": ("высказывание", "высказывания", "высказываний"),
    },
}
STRINGS = {"en": {}, "ru": RUSSIAN}
UI_LANGUAGES = tuple(STRINGS)


class Words:
    """Formatting in one UI language; passed to templates as helpers."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in STRINGS else "en"
        self.strings = STRINGS[self.lang]
        self.months = MONTHS[self.lang].split()
        self.weekdays = WEEKDAYS[self.lang].split()
        self._published: dict[tuple[Any, ...], str] = {}  # published()'s texts: an article's is shown on many pages

    def __call__(self, text: str) -> str:
        return self.strings.get(text, text)

    def count(self, number: int, noun: str) -> str:
        """'1 article', '2 articles'; in Russian '1 статья', '3 статьи', '5 статей'."""
        forms = PLURALS[self.lang][noun]
        if self.lang == "ru":
            tens, ones = number % 100, number % 10
            if ones == 1 and tens != 11:
                form = forms[0]
            elif 2 <= ones <= 4 and not 12 <= tens <= 14:
                form = forms[1]
            else:
                form = forms[2]
        else:
            form = forms[0] if number == 1 else forms[1]
        return f"{number} {form}"

    def date(self, day: date) -> str:
        return f"{day.day} {self.months[day.month - 1]} {day.year}"

    def day(self, day: date) -> str:
        return f"{self.weekdays[day.weekday()]}, {self.date(day)}"

    def short_date(self, day: date) -> str:
        return f"{day.day} {self.months[day.month - 1][:3]}"

    def date_range(self, start: date, end: date) -> str:
        return self.date(start) if start == end else f"{self.date(start)} – {self.date(end)}"

    @staticmethod
    def clock(moment: datetime) -> str:
        """'10:54', '10:54:30' (as strftime's %H:%M[:%S], four times as fast)."""
        if moment.second == 0:
            return f"{moment.hour:02d}:{moment.minute:02d}"
        return f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"

    @staticmethod
    def offset(moment: datetime) -> str:
        delta = moment.utcoffset() or timedelta()
        sign = "−" if delta < timedelta() else "+"
        minutes = abs(int(delta.total_seconds())) // 60
        return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"

    def utc(self, moment: datetime, local_day: date) -> str:
        """'18:20 UTC', with the UTC date when it is not the local one."""
        in_utc = moment.astimezone(UTC)
        text = f"{self.clock(in_utc)} UTC"
        return text if in_utc.date() == local_day else f"{text}, {self.short_date(in_utc.date())}"

    def duration(self, length: timedelta) -> str:
        """'2 h 45 min', '12 min'; in Russian '2 ч 45 мин'."""
        hours, minutes = divmod(int(length.total_seconds()) // 60, 60)
        parts = [f"{number}\u00a0{self(unit)}" for number, unit in ((hours, "h"), (minutes, "min")) if number]
        return " ".join(parts) or f"0\u00a0{self('min')}"

    def published(self, moment: date | datetime) -> str:
        # keyed by the zone and fold too: aware datetimes in different zones are equal at one instant
        key = (moment, getattr(moment, "tzinfo", None), getattr(moment, "fold", 0))
        text = self._published.get(key)
        if text is None:
            if isinstance(moment, datetime):
                text = f"{self.date(moment.date())}, {self.clock(moment)} ({self.offset(moment)})"
            else:
                text = self.date(moment)
            self._published[key] = text
        return text

    def language(self, code: str) -> str:
        return self._english(LANGUAGES.get(code.split("-")[0], code))

    def country(self, code: str | None) -> str:
        return self._english(COUNTRIES.get(code or "", code or ""))

    def _english(self, name: str) -> str:
        """Language and country names are English only: marked as such on a page in another language."""
        return name if self.lang == "en" or not name else Markup('<span lang="en">{}</span>').format(name)
