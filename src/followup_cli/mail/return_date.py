"""When someone who is out of the office is back, read from their auto-reply: "back on
7 December", "bis zum 04.01.2027", "jusqu'au 15 décembre", "hasta el 3 de enero",
"até 10/01", "tot en met 12 december", "fino al 9 gennaio", "until 2027-01-04".

The latest date in the text after the message itself, within 100 days, is the return;
a date that ends a period of absence ("until", "bis", "jusqu'au", ...) means back the
next day. None when the text gives no such date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MAX_AWAY = timedelta(days=100)

MONTHS = {
    # en
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
    # de
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6,
    "juli": 7, "oktober": 10, "dezember": 12, "okt": 10, "dez": 12,
    # fr
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    # es
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
    # pt
    "janeiro": 1, "fevereiro": 2, "março": 3, "marco": 3, "maio": 5, "junho": 6,
    "julho": 7, "setembro": 9, "outubro": 10, "dezembro": 12,
    # nl
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
    # it
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "dicembre": 12,
}  # fmt: skip
_MONTH = "|".join(sorted((re.escape(name) for name in MONTHS), key=len, reverse=True))
# Words after which a date is the last day away, not the first day back.
_UNTIL = re.compile(
    r"(until|till|through|thru|up to|bis( zum| einschlie(ß|ss)lich)?|jusqu'?(au|à)"
    r"|hasta( el)?|até|ate( o dia)?|tot( en met)?|t/m|fino al?|sino al)\W*(\w+\W+)?$",
    re.IGNORECASE,
)
_PATTERNS = (
    # 2027-01-04
    re.compile(r"(?P<y>20\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    # 04.01.2027, 4/1/27, 04-01 (day first; month first when the day cannot be a day)
    re.compile(
        r"(?<![\d.:/-])(?P<a>\d{1,2})[./-](?P<b>\d{1,2})(?:[./-](?P<y>(20)?\d\d))?(?![\d:])"
    ),
    # 7 December 2026, 7. Dezember, 15 de diciembre de 2026, 1er janvier
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|e|º|°)?\.?\s+(?:de\s+)?(?P<month>{_MONTH})\b\.?"
        r"(?:\s+(?:de\s+)?(?P<y>20\d\d))?",
        re.IGNORECASE,
    ),
    # December 7, 2026 / Dec 7th
    re.compile(
        rf"\b(?P<month>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<y>20\d\d))?",
        re.IGNORECASE,
    ),
)


def return_date(text: str, sent: date) -> date | None:
    """The day they are back, read from ``text`` (an auto-reply sent on ``sent``)."""
    best: date | None = None
    for pattern in _PATTERNS:
        for found in pattern.finditer(text):
            day = _date(found, sent)
            if day is None or not (sent < day <= sent + MAX_AWAY):
                continue
            if _UNTIL.search(text[max(0, found.start() - 40) : found.start()]):
                day += timedelta(days=1)
            if best is None or day > best:
                best = day
    return best


def _date(found: re.Match[str], sent: date) -> date | None:
    groups = found.groupdict()
    if "month" in groups:
        month = MONTHS.get(groups["month"].lower().rstrip("."))
        day = int(groups["d"])
    elif "a" in groups:
        first, second = int(groups["a"]), int(groups["b"])
        day, month = (first, second) if second <= 12 else (second, first)
    else:
        day, month = int(groups["d"]), int(groups["m"])
    if month is None:
        return None
    year_text = groups.get("y")
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        return _safe(year, month, day)
    # No year: the next such day after the message.
    for year in (sent.year, sent.year + 1):
        candidate = _safe(year, month, day)
        if candidate and candidate > sent:
            return candidate
    return None


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
