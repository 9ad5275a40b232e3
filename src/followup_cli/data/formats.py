"""How one file writes its dates and numbers, decided once for the whole file.

Exports write dates as their locale does (``4/12/1979`` in the US, ``12.04.1979`` in Germany,
``1979-04-12`` from an API, ``--04-12`` for a birthday without a year, ``0/0/00`` for none) and
amounts likewise (``$24,000``, ``€1.200``, ``1.200,50``, ``$ 1 200``). Whether ``4/12`` is
April or December, and whether ``1.200`` is twelve hundred or one point two, cannot be told
from one value: it is decided per file, from every value of the file's date and amount columns
(``FileFormats.survey``) and the delimiter, or from ``--date-order``. A value the file's
evidence does not settle is a bad row, never a wrong date or number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from followup_cli.core.errors import FollowupError
from followup_cli.data.csv_source import ImportFailed, RowError

DATE_ORDERS = ("mdy", "dmy")
_NUMERIC = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})$")
_EMPTY_DATES = re.compile(r"^0?0([./-])0?0\1(00|0000)$")
_GROUPED = {".": re.compile(r"^\d{1,3}(\.\d{3})+$"), ",": re.compile(r"^\d{1,3}(,\d{3})+$")}
_SPACES = re.compile(r"[\s\u00a0\u202f'’]")
_EDGES = re.compile(r"^[^\d+\-.,]+|[^\d.,]+$")


@dataclass
class FileFormats:
    """The date order and the decimal mark of one file (``None``: not settled by it)."""

    date_order: str | None = None  # "mdy" | "dmy"
    decimal: str | None = None  # "." | ","
    delimiter: str | None = ","
    forced: bool = False  # --date-order
    conflict: str = ""  # two amounts that show different decimal marks

    def survey(self, dates: Iterable[str], amounts: Iterable[str]) -> None:
        """Read the evidence: a date whose first part is over 12 is day-first, one whose
        second part is over 12 is month-first; an amount with both marks, or with a mark
        followed by other than three digits, shows the decimal mark."""
        day_first = month_first = None
        separators = set()
        for text in dates:
            found = _NUMERIC.match(text.strip())
            if not found or _EMPTY_DATES.match(text.strip()):
                continue
            first, sep, second, _year = found.groups()
            separators.add(sep)
            if int(first) > 12 and day_first is None:
                day_first = text
            if int(second) > 12 and month_first is None:
                month_first = text
        if not self.forced:
            if day_first and month_first:
                raise ImportFailed(
                    f"dates are written both day-first ({day_first!r}) and month-first "
                    f"({month_first!r}) in this file: say which with --date-order dmy or mdy."
                )
            if day_first or month_first:
                self.date_order = "dmy" if day_first else "mdy"
            elif separators:  # nothing settles it: the habit of the file's format
                dotted = separators == {"."} or self.delimiter in (";", "\t")
                self.date_order = "dmy" if dotted else "mdy"
        marks: dict[str, str] = {}
        for text in amounts:
            plain = _EDGES.sub("", _SPACES.sub("", text))
            mark = _decimal_shown(plain)
            if mark and mark not in marks:
                marks[mark] = text
        if len(marks) == 1:
            self.decimal = next(iter(marks))
        elif len(marks) > 1:
            self.decimal = None
            self.conflict = f"{marks['.']!r} and {marks[',']!r}"

    # --- reading one value ---------------------------------------------------------------------

    def day(self, value: str) -> str | None:
        """A calendar day (``YYYY-MM-DD`` or ``MM-DD``), or None for Outlook's ``0/0/00``."""
        text = value.strip()
        if _EMPTY_DATES.match(text):
            return None
        found = _NUMERIC.match(text)
        if found:
            first, _sep, second, year = found.groups()
            if self.date_order is None:
                raise RowError("is a date in an order this file does not settle: add --date-order")
            month, day = (first, second) if self.date_order == "mdy" else (second, first)
            if len(year) == 2:
                year = ("19" if int(year) > 30 else "20") + year
            text = f"{year}-{int(month):02d}-{int(day):02d}"
        from followup_cli.core.dates import parse_date

        try:
            return parse_date(text)
        except FollowupError:
            raise RowError("is not a date: use YYYY-MM-DD, M/D/YYYY, D.M.YYYY or --MM-DD") from None

    def amount(self, value: str) -> float:
        """ "$24,000", "€1.200", "1.200,50", "$ 1 200": as this file writes amounts."""
        text = _EDGES.sub("", _SPACES.sub("", value))
        if not re.fullmatch(r"-?[\d.,]*\d[\d.,]*", text or "x"):
            raise RowError("is not a number")
        shown = _decimal_shown(text.lstrip("-"))
        if shown and self.decimal and shown != self.decimal:
            raise RowError(f"writes its decimals unlike the rest of this file ({self.conflict})")
        mark = shown or self.decimal
        if mark is None:
            for sign, pattern in _GROUPED.items():
                if pattern.match(text.lstrip("-")):
                    # "1,200" in a comma-separated file is US style; "1.200" in a semicolon one
                    # is European style; the other two cases cannot be told apart.
                    usual = (sign == "," and self.delimiter == ",") or (
                        sign == "." and self.delimiter in (";", "\t")
                    )
                    if not usual:
                        raise RowError(
                            f"is ambiguous (is {sign} a thousands separator or the decimal "
                            "mark?): write it without the separator, e.g. 1200 or 1.2"
                        )
                    mark = "." if sign == "," else ","
        grouping = "." if mark == "," else ","
        text = text.replace(grouping, "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise RowError("is not a number") from None
        if not 0 <= number < float("inf"):
            raise RowError("is negative" if number < 0 else "is not a number")
        return number


def _decimal_shown(text: str) -> str | None:
    """The decimal mark a number shows beyond doubt, or None: "1.200,50" -> ",",
    "24000.5" -> ".", "1.200.000" -> ",", "1,200" -> None (three digits after one mark)."""
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        return "," if text.rfind(",") > text.rfind(".") else "."
    for mark, count, other in ((".", dots, ","), (",", commas, ".")):
        if count > 1:
            return other  # a mark used twice groups thousands
        if count == 1:
            return None if re.search(rf"\{mark}\d{{3}}$", text) else mark
    return None
