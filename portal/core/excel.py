"""Every workbook the portal writes, and the one reader for every workbook it imports.

Writing: names, reasons and comments come from users and departments, so a text is always
written as a text cell, never as a formula. openpyxl turns any string starting with ``=``
into a formula (``=cmd|' /C calc'!A0`` in a bank name, ``=HYPERLINK(...)`` in a withdraw
reason) and ``#N/A`` into an error; here every ``str`` becomes an inline string, and a text
starting with ``= + - @``, a tab or a carriage return also gets Excel's "quote prefix" (shown
as typed, kept as text when the cell is edited), the OWASP advice for CSV injection done the
Excel way, without changing the text. Numbers (``Decimal`` yuan, ``int``) stay numbers.
Characters XML cannot hold (control characters) are dropped instead of failing the export.

Reading: ``iter_rows`` opens an untrusted .xlsx through ``uploads.open_workbook`` (size, zip
bomb and external-link checks, read-only, formulas as cached values) and counts every row
it reads, empty ones included, against a limit: a 1 MB file declaring 800,000 empty rows is
refused after the limit, not read to its end.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from urllib.parse import quote

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.styles import Alignment, Font
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

from portal.core import uploads
from portal.core.errors import DomainError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YUAN = "#,##0.00"
TEXT = "@"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_TEXT = 32_767  # Excel's limit for one cell
WIDTH_SAMPLE = 500  # rows looked at to size the columns (the rest stream through)

# --- writing ----------------------------------------------------------------------------

_ILLEGAL = dict.fromkeys((*range(0, 9), 11, 12, *range(14, 32)))


def _plain(value: object) -> object:
    """What a cell can hold: numbers and dates as they are, anything else as text."""
    if value is None or isinstance(value, bool | int | float | CellRichText):
        return value
    if isinstance(value, dt.datetime):
        # Excel has no time zones: the local wall clock, as every page shows it
        return timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date | dt.time | Decimal):
        return value
    return str(value).translate(_ILLEGAL)[:MAX_TEXT]


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def cell(sheet, value: object, *, number_format: str | None = None, bold: bool = False) -> Cell:
    """One cell for ``sheet`` (normal or write-only); a text is never a formula or an error."""
    value = _plain(value)
    try:
        result = Cell(sheet, row=1, column=1, value=value)
    except IllegalCharacterError:  # pragma: no cover - _plain drops them
        result = Cell(sheet, row=1, column=1, value=str(value).translate(_ILLEGAL))
    if isinstance(value, str):
        result.data_type = "s"  # openpyxl made "=..." a formula and "#N/A" an error
        if is_formula_like(value):
            result.quotePrefix = True
    if number_format:
        result.number_format = number_format
    if bold:
        result.font = Font(bold=True)
        result.alignment = Alignment(horizontal="center")
    return result


def append(sheet, values: Iterable[object], formats: Mapping[int, str] | None = None) -> None:
    """Append one row of safe cells; ``formats`` maps a 0-based column to a number format."""
    formats = formats or {}
    sheet.append([cell(sheet, v, number_format=formats.get(i)) for i, v in enumerate(values)])


def save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]
    formats: Mapping[int, str] = field(default_factory=dict)  # 0-based column -> format
    max_rows: int | None = None  # stop after this many data rows


def _width(value: object) -> int:
    text = _plain(value)
    if isinstance(text, dt.date):
        return 10
    return len(str(text if text is not None else ""))


def _write_sheet(book: Workbook, spec: Sheet) -> None:
    sheet = book.create_sheet(spec.title[:31])
    rows = iter(spec.rows)
    if spec.max_rows is not None:
        rows = islice(rows, spec.max_rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    # write-only: column widths must be set before the first row
    for index, header in enumerate(spec.headers):
        width = max([_width(header), *(_width(r[index]) for r in sample if index < len(r))])
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = min(max(10, width * 2), 60)
    sheet.append([cell(sheet, h, bold=True) for h in spec.headers])
    for row in sample:
        append(sheet, row, spec.formats)
    for row in rows:
        append(sheet, row, spec.formats)


def write_workbook(*sheets: Sheet) -> bytes:
    """A workbook of one or more sheets, streamed (write-only: any number of rows)."""
    book = Workbook(write_only=True)
    for spec in sheets:
        _write_sheet(book, spec)
    return save(book)


def workbook_bytes(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    formats: Mapping[int, str] | None = None,
) -> bytes:
    """A one-sheet workbook; ``formats`` maps a column index (0-based) to a number format."""
    return write_workbook(Sheet(title, headers, rows, formats or {}))


def xlsx_response(content: bytes, filename: str):
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def workbook_response(
    *,
    filename: str,
    sheet: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    money_columns: Sequence[int] = (),
):
    """A download of a one-sheet workbook; ``money_columns`` (0-based) are yuan amounts."""
    formats = dict.fromkeys(money_columns, YUAN)
    return xlsx_response(workbook_bytes(sheet, headers, rows, formats=formats), filename)


# --- reading ----------------------------------------------------------------------------


def too_many_rows(max_rows: int) -> DomainError:
    return uploads.refuse(
        f"表头以下最多{max_rows}行（空行也计算在内），请删除多余的空行或分成几个文件上传。"
    )


def iter_rows(
    content: bytes,
    *,
    max_rows: int,
    max_cols: int,
    limits: uploads.ArchiveLimits = uploads.DEFAULT_LIMITS,
    sheet_name: str | None = None,
) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of every row of an uploaded .xlsx, the header row first.

    ``max_rows`` counts every row read below the header, empty or not; the row after it
    raises the Chinese refusal ``too_many_rows`` instead of reading on. Each row has exactly
    ``max_cols`` values (a sheet claiming 16,384 columns is not padded to them). Use it in
    ``contextlib.closing`` so the workbook is closed however the caller stops.
    """
    book = uploads.open_workbook(content, limits=limits)
    try:
        if sheet_name and sheet_name in book.sheetnames:
            sheet = book[sheet_name]
        else:
            sheet = book.worksheets[0]
        # the parser stops at max_row; counting below also covers the empty rows openpyxl
        # makes up for a gap in the row numbers (a single <row r="1000000">)
        values = sheet.iter_rows(max_row=max_rows + 2, max_col=max_cols, values_only=True)
        for number, row in enumerate(values, start=1):
            if number > max_rows + 1:
                raise too_many_rows(max_rows)
            yield number, tuple(row)
    except DomainError:
        raise
    except GeneratorExit:
        raise
    except Exception as exc:  # malformed sheet XML surfaces only while iterating
        raise uploads.refuse(
            "读取 Excel 内容时出错：文件可能已损坏，请另存为 .xlsx 后再试。"
        ) from exc
    finally:
        book.close()


def is_blank(values: Iterable[object]) -> bool:
    return all(v is None or str(v).strip() == "" for v in values)
