"""Reading the files people import: CSV as spreadsheets write it, JSON as `followup export`
writes it.

A CSV file is read the way a spreadsheet writes it: UTF-8 (with or without a BOM), UTF-16, or
Windows-1252/Latin-1; comma, semicolon, tab or pipe separated (sniffed, or Excel's ``sep=``
line). A JSON file is a list of records (objects) whose keys are the columns a CSV file would
have; custom fields may also sit in a ``fields`` object, as the export writes them.

Either way rows stream: a CSV row or a JSON record is parsed when the import reaches it, so a
million touches never sit in memory as Python objects. A row comes out as the text of its
cells, so both formats go through the same checks.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followup_cli.core.errors import FollowupError
from followup_cli.data.columns import unescape
from followup_cli.data.files import atomic_text

CSV_FIELD_LIMIT = 64 * 1024 * 1024  # what the csv module may read into one cell
MAX_CELL = 65_536  # characters: a longer cell is far more often a lost quote than a note
REJECT_COLUMN = "followup_error"
# What a JSON value may be, by the field it goes to (``JsonTable.expect``); null is always
# allowed and means "not given", like an empty cell.
TEXT: tuple[type, ...] = (str,)
NUMBER: tuple[type, ...] = (int, float, str)
FLAG: tuple[type, ...] = (bool, str)
LIST: tuple[type, ...] = (list, str)  # a list of strings, or one string to split like a cell
SCALAR: tuple[type, ...] = (str, int, float, bool)
KIND_NAMES = {str: "a string", int: "a number", float: "a number", bool: "true/false"}
KIND_NAMES |= {list: "a list of strings", dict: "an object"}


class ImportFailed(FollowupError):
    """The file as a whole cannot be imported (missing, empty, binary, no name column...)."""


class RowError(Exception):
    """One row is wrong; the message says which cell and how to fix it."""


@dataclass
class Table:
    """A CSV file being read."""

    path: Path
    encoding: str
    delimiter: str | None  # None: JSON
    total_lines: int  # what progress counts to: lines, or JSON records
    rows: Iterator[tuple[int, Any]]  # (first line of the row, its cells); blanks skipped
    header: list[str] = field(default_factory=list)
    reread: Any = None  # () -> a fresh iterator of the rows, for a second look at the file
    header_line: int = 0  # rows up to this one are the preamble and the header
    blank_lines: list[int] = field(default_factory=list)  # skipped as they were read
    preamble: list[int] = field(default_factory=list)  # lines before the header row
    guessed: bool = False  # the encoding is the Windows-1252 fallback, not known

    unit = "line"  # how a row is pointed at in messages: "line 4"
    noun = "row"

    def expect(self, targets: list[str], types: dict[str, tuple[type, ...]]) -> None:
        """A CSV cell is always text: nothing to check before the cells are read."""

    def cells(self, where: int, raw: list[str]) -> list[Any]:
        """A row's cells, checked against the header's width and the size limit."""
        width = len(self.header)
        if len(raw) != width:
            lost_quote = any("\n" in cell for cell in raw)
            hint = " (a quote opened on this row is never closed?)" if lost_quote else ""
            raise RowError(f"{len(raw)} cells but the header has {width} columns{hint}")
        cells = list(map(str.strip, raw))
        # One joined string answers, in C, whether any cell is long or starts with a quote
        # (a false alarm from a line break inside a cell only takes the slower look).
        joined = "\n".join(cells)
        if len(joined) > MAX_CELL and max(map(len, raw)) > MAX_CELL:
            longest = max(raw, key=len)
            hint = "is a closing quote missing?" if "\n" in longest else "shorten it"
            raise RowError(
                f"a cell is {len(longest):,} characters long (at most {MAX_CELL:,}): {hint}"
            )
        if "\r" in joined:  # a multi-line cell of a CRLF file: stored with \n, as typed
            cells = [cell.replace("\r\n", "\n").replace("\r", "\n") for cell in cells]
        if joined[:1] == "'" or "\n'" in joined:
            return [unescape(cell) if cell[:1] == "'" else cell for cell in cells]
        return cells

    def rejects_path(self) -> Path:
        return self.path.with_name(f"{self.path.stem}.rejects.csv")

    def write_rejects(self, target: Path, rejected: Sequence[tuple[Any, str]]) -> None:
        """The rows left out, as they were, with the reason in a last column that import
        ignores: fix them and import this file again."""
        with atomic_text(target) as out:
            writer = csv.writer(out, delimiter=self.delimiter or ",", lineterminator="\r\n")
            writer.writerow([*self.header, REJECT_COLUMN])
            for cells, reason in rejected:
                writer.writerow([*cells, reason])


SUFFIXES = {".json": "json", ".vcf": "vcf", ".vcard": "vcf"}


def format_of(path: Path, given: str | None) -> str:
    """``csv``, ``json`` or ``vcf``: ``--format`` if given, else from the file's suffix."""
    fmt = (given or SUFFIXES.get(Path(path).suffix.lower(), "csv")).lower()
    if fmt not in ("csv", "json", "vcf"):
        raise ImportFailed(f"--format {given}: use csv, json or vcf.")
    return fmt


def read_table(path: Path, fmt: str | None = None, encoding: str | None = None) -> Table:
    """Open a CSV file, detecting its encoding (unless given) and delimiter, or a JSON file."""
    path = Path(path)
    kind = format_of(path, fmt).upper()
    if kind == "JSON":
        return read_json(path)
    data = file_bytes(path, kind)
    codec, label = _given(data, path.name, encoding) if encoding else _encoding(data, path.name)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=codec, newline="")
    head = stream.read(65_536)
    stream.seek(0)
    delimiter, skip = _delimiter(head)
    for _ in range(skip):
        stream.readline()
    lines = data.count(b"\n") + 1
    blanks: list[int] = []

    def reread() -> Iterator[tuple[int, list[str]]]:
        again = io.TextIOWrapper(io.BytesIO(data), encoding=codec, newline="")
        for _ in range(skip):
            again.readline()
        return _rows(again, delimiter, skip, [])

    table = Table(path, label, delimiter, lines, _rows(stream, delimiter, skip, blanks))
    table.blank_lines, table.reread = blanks, reread
    table.guessed = not encoding and codec in ("cp1252", "latin-1")
    return table


def file_bytes(path: Path, kind: str) -> bytes:
    """The bytes of the file, or one clear line when it is missing, a folder or empty."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed(f"{path} does not exist: check the path and try again.") from None
    except IsADirectoryError:
        raise ImportFailed(f"{path} is a directory: give the path of a {kind} file.") from None
    except OSError as error:
        raise ImportFailed(f"Cannot read {path}: {error.strerror}.") from None
    if not data.strip():
        raise ImportFailed(f"{path.name} is empty: export your data as {kind} and try again.")
    return data


def _given(data: bytes, name: str, encoding: str) -> tuple[str, str]:
    """``--encoding NAME``: that codec, or a clear error when it is unknown or does not fit."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise ImportFailed(
            f"--encoding {encoding}: not an encoding Python knows; try utf-8, cp1252, "
            "gbk, big5, shift_jis or cp1251."
        ) from None
    if codec.startswith("utf-8") and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    try:
        data.decode(codec)
    except UnicodeDecodeError as error:
        raise ImportFailed(
            f"{name} is not {encoding} text (byte {error.start:,} does not decode): "
            "try another --encoding, or leave it out to detect it."
        ) from None
    return codec, encoding.lower()


def _encoding(data: bytes, name: str) -> tuple[str, str]:
    binary = ImportFailed(
        f"{name} is not a CSV file (it contains binary data): "
        "export it as CSV from your spreadsheet or CRM."
    )
    if data.startswith(codecs.BOM_UTF8):
        codec, label = "utf-8-sig", "utf-8 with BOM"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec, label = "utf-16", "utf-16"
    elif b"\x00" in data[:65_536]:
        raise binary
    else:
        try:
            data.decode("utf-8")
            codec = label = "utf-8"
        except UnicodeDecodeError:  # Excel on Windows writes cp1252, a superset of Latin-1
            codec, label = "cp1252", "latin-1"
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                codec = "latin-1"
    text = data[:65_536].decode(codec, errors="ignore")
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n")
    if controls > max(2, len(text) // 200):
        raise binary
    return codec, label


def _delimiter(head: str) -> tuple[str, int]:
    """The delimiter, and how many lines to skip (Excel's ``sep=;`` hint line)."""
    first = head.lstrip("\ufeff").split("\n", 1)[0].strip()
    if first.lower().startswith("sep=") and len(first) == 5:
        return first[4], 1
    lines = head.splitlines()[:50]
    if len(head) >= 65_536 and len(lines) > 1:
        lines = lines[:-1]  # the sample may cut the last line short
    best, best_score = ",", (0, 0)
    for candidate in (",", ";", "\t", "|"):
        widths = [len(row) for row in csv.reader(lines, delimiter=candidate) if any(row)]
        mode = max(set(widths), key=widths.count) if widths else 0
        score = (widths.count(mode), mode) if mode > 1 else (0, 0)
        if score > best_score:
            best, best_score = candidate, score
    return best, 0


def _rows(
    stream: io.TextIOWrapper, delimiter: str, offset: int, blanks: list[int]
) -> Iterator[tuple[int, list[str]]]:
    # Read long cells whole (up to 64 MB) so that a long cell is reported as too long,
    # and only a quote never closed runs to the end of the file.
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    last = 0
    try:
        for cells in reader:
            line, last = last + 1 + offset, reader.line_num
            if "".join(cells).strip():  # one C call: some cell holds more than spaces
                yield line, cells
            else:
                blanks.append(line)
    except csv.Error as error:
        where, why = f"line {last + 1 + offset}", str(error)
        if "unexpected end of data" in why:
            why = "a quote opened on this row is never closed, so the rest of the file is one cell"
        elif "field larger" in why:
            why = (
                f"a cell runs past {CSV_FIELD_LIMIT:,} characters (a cell holds at most "
                f"{MAX_CELL:,}): is a quote opened on this row never closed?"
            )
        raise ImportFailed(f"{where}: {why}. Fix the file and import it again.") from None


# --- JSON ---------------------------------------------------------------------------------------


@dataclass
class JsonTable(Table):
    """A JSON file being read: a list of records, each pointed at by its index (from 0)."""

    keys: list[tuple[bool, str]] = field(default_factory=list)  # per column: (in "fields", key)
    allowed: list[tuple[type, ...] | None] = field(default_factory=list)  # None: not read

    unit = "index"
    noun = "record"

    def expect(self, targets: list[str], types: dict[str, tuple[type, ...]]) -> None:
        """What each column's values may be: text unless ``types`` says otherwise for its
        field; a string, number or true/false for a custom field; anything if ignored."""
        self.allowed = [
            None if t == "-" else SCALAR if t.startswith("field:") else types.get(t, TEXT)
            for t in targets
        ]

    def cells(self, where: int, raw: dict[str, Any]) -> list[Any]:
        """A record's values as the text CSV cells would hold (a list stays a tuple of
        strings). A value of the wrong type stops the import: the file is not what
        `followup export` writes."""
        fields = raw.get("fields") or {}
        cells: list[Any] = []
        for (nested, key), allowed in zip(self.keys, self.allowed, strict=True):
            value = (fields if nested else raw).get(key)
            kind = type(value)
            if value is None or allowed is None:
                cells.append("")
            elif kind not in allowed or (kind is list and {type(v) for v in value} - {str}):
                *others, last = dict.fromkeys(KIND_NAMES[k] for k in allowed)
                expected = f"{', '.join(others)} or {last}" if others else last
                raise ImportFailed(
                    f'{self.path.name}, index {where}: "{"fields." * nested}{key}" is '
                    f"{_kind(value)}, but it should be {expected}. Fix the file and import "
                    "it again."
                )
            elif kind is str:
                cells.append(value.strip())
            elif kind is list:
                cells.append(tuple(v.strip() for v in value))
            else:
                cells.append(json.dumps(value))  # a number or true/false, as JSON writes it
        return cells

    def rejects_path(self) -> Path:
        return self.path.with_name(f"{self.path.stem}.rejects.json")

    def write_rejects(self, target: Path, rejected: Sequence[tuple[Any, str]]) -> None:
        """The records left out, as they were, each with the reason under a key that
        import ignores: fix them and import this file again."""
        with atomic_text(target) as out:
            out.write("[")
            for count, (record, reason) in enumerate(rejected):
                out.write(",\n  " if count else "\n  ")
                out.write(json.dumps({**record, REJECT_COLUMN: reason}, ensure_ascii=False))
            out.write("\n]\n")


def read_json(path: Path) -> JsonTable:
    """Check the file is a list of records and collect its columns (keys, then the keys of
    the ``fields`` objects as ``field:KEY``); the records are read again, one at a time,
    as the import goes. The file is read a chunk at a time, both times: a million touches
    never sit in memory, as text or as objects."""
    try:
        with path.open("rb") as head:
            start = head.read(4)
    except FileNotFoundError:
        raise ImportFailed(f"{path} does not exist: check the path and try again.") from None
    except IsADirectoryError:
        raise ImportFailed(f"{path} is a directory: give the path of a JSON file.") from None
    except OSError as error:
        raise ImportFailed(f"Cannot read {path}: {error.strerror}.") from None
    encoding = json.detect_encoding(start)
    keys: dict[tuple[bool, str], None] = {}
    count = 0
    for index, record in _records(path, encoding):
        if type(record) is not dict:
            raise ImportFailed(
                f"{path.name}, index {index}: {_kind(record)} where a record (an object) "
                'is expected: the file must be a list of records, [{"name": ...}, ...].'
            )
        for key, value in record.items():
            if key != "fields":
                keys[(False, key)] = None
            elif type(value) is dict:
                keys.update(dict.fromkeys((True, k) for k in value))
            elif value is not None:
                raise ImportFailed(
                    f'{path.name}, index {index}: "fields" is {_kind(value)}, but it should '
                    "be an object of custom fields. Fix the file and import it again."
                )
        count += 1
    if not count:
        raise ImportFailed(f"{path.name} is an empty list: nothing to import.")
    header = [f"field:{key}" if nested else key for nested, key in keys]
    label = {"utf-8-sig": "utf-8 with BOM"}.get(encoding, encoding)
    table = JsonTable(path, label, None, count, _records(path, encoding), header, keys=list(keys))
    table.reread, table.header_line = (lambda: _records(path, encoding)), -1
    return table


_SPACE = re.compile(r"[ \t\n\r]*")


def _records(path: Path, encoding: str) -> Iterator[tuple[int, Any]]:
    try:
        yield from _stream_records(path, encoding, path.name)
    except UnicodeDecodeError:
        raise ImportFailed(
            f"{path.name} is not JSON (it is not UTF-8 text): export it again, "
            "e.g. followup export prospects.json."
        ) from None


# --- reading JSON a chunk at a time ---------------------------------------------------------------

CHUNK = 1 << 20  # characters read at a time: a JSON file is never in memory whole


class _Stream:
    """The text of a JSON file, a chunk at a time, with the line and column of any point
    (for messages) though the text before the current chunk is gone."""

    def __init__(self, path: Path, encoding: str):
        self.file = path.open(encoding=encoding, newline="")
        self.buf, self.pos, self.eof = "", 0, False
        self.lines, self.line_start = 0, 0  # newlines dropped; offset of the last line's start
        self.dropped = 0  # characters dropped before buf
        self.more()

    def more(self) -> bool:
        """Read the next chunk onto the buffer (dropping what is read); False at the end."""
        if self.eof:
            return False
        chunk = self.file.read(CHUNK)
        if not chunk:
            self.eof = True
            self.file.close()
            return False
        gone = self.buf[: self.pos]
        count = gone.count("\n")
        if count:
            self.lines += count
            self.line_start = self.dropped + gone.rfind("\n") + 1
        self.dropped += self.pos
        self.buf, self.pos = self.buf[self.pos :] + chunk, 0
        return True

    def skip(self) -> str:
        """Past white space; the next character ("" at the end)."""
        while True:
            self.pos = _SPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos : self.pos + 1]

    def value(self, decode: Any, name: str) -> Any:
        """The JSON value at the current point (reading on until it is whole)."""
        while True:
            try:
                value, end = decode(self.buf, self.pos)
            except json.JSONDecodeError as error:
                if self.more():
                    continue
                raise self.error(name, error.pos, error.msg) from None
            except RecursionError:
                raise ImportFailed(
                    f"{name} nests lists or objects too deeply: a record is one object of "
                    "fields; fix the file."
                ) from None
            if end == len(self.buf) and self.more():
                continue  # a number may go on in the next chunk
            self.pos = end
            return value

    def error(self, name: str, at: int, why: str) -> ImportFailed:
        """``at`` in the buffer, as a line and column of the file."""
        absolute = self.dropped + at
        before = self.buf[:at]
        line = self.lines + before.count("\n") + 1
        start = self.dropped + before.rfind("\n") + 1 if "\n" in before else self.line_start
        hint = "is it a CSV file? Add --format csv" if absolute == 0 else "fix the file"
        return ImportFailed(
            f"{name} is not valid JSON: {why} at line {line}, column {absolute - start + 1}: "
            f"{hint}."
        )


def _stream_records(path: Path, encoding: str, name: str) -> Iterator[tuple[int, Any]]:
    """(index, item) for each item of the JSON list in the file, parsed one by one."""
    decode = json.JSONDecoder().raw_decode
    stream = _Stream(path, encoding)
    if not stream.skip():
        raise ImportFailed(f"{name} is empty: export your data as JSON and try again.")
    if stream.skip() != "[":
        value = stream.value(decode, name)
        if stream.skip():
            raise stream.error(name, stream.pos, "Extra data")
        raise ImportFailed(
            f'{name} holds {_kind(value)}, not a list of records: [{{"name": ...}}, ...].'
        )
    stream.pos += 1
    if stream.skip() != "]":
        for index in itertools.count():
            yield index, stream.value(decode, name)
            after = stream.skip()
            if after == "]":
                break
            if after != ",":
                raise stream.error(name, stream.pos, "Expecting ',' delimiter")
            stream.pos += 1
            stream.skip()
    stream.pos += 1
    if stream.skip():
        raise stream.error(name, stream.pos, "Extra data")


def _kind(value: Any) -> str:
    """What a JSON value is, in words: "a number", "a list holding an object"..."""
    if type(value) is list:
        odd = [v for v in value if type(v) is not str]
        return f"a list holding {_kind(odd[0])}" if odd else "a list of strings"
    if type(value) is bool:
        return json.dumps(value)
    return "null" if value is None else KIND_NAMES[type(value)]
