"""Workbooks: the bank payment list (银行支付清单), share and reconciliation exports, and a
careful reader for the bank's return file (an untrusted upload)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from portal.core import uploads
from portal.core.errors import DomainError
from portal.core.money import amount_in_words, from_fen

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
LIMITS = uploads.ArchiveLimits(max_unpacked_bytes=MAX_UNPACKED_BYTES)
MAX_ROWS = 5000
RETURN_HEADERS = ("账号", "金额", "凭证号", "日期", "结果")
BANK_LIST_HEADERS = (
    "序号",
    "收款单位",
    "统一社会信用代码",
    "开户银行",
    "账号",
    "金额（元）",
    "大写金额",
    "用途",
)


def workbook_bytes(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    formats: dict[int, str] | None = None,
) -> bytes:
    """A one-sheet workbook; ``formats`` maps a column index (0-based) to a number format."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append(list(row))
        for index, number_format in (formats or {}).items():
            sheet.cell(row=sheet.max_row, column=index + 1).number_format = number_format
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width * 2), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bank_list(items) -> bytes:
    """One row per batch item; amounts as numbers with two decimals, account numbers as text."""
    rows = []
    for number, item in enumerate(items, start=1):
        amount = from_fen(item.amount_fen)
        rows.append(
            [
                number,
                item.payee_name,
                item.credit_code,
                item.bank_name,
                item.bank_account,
                amount,
                amount_in_words(amount),
                item.purpose,
            ]
        )
    return workbook_bytes("支付清单", BANK_LIST_HEADERS, rows, formats={4: "@", 5: "#,##0.00"})


# --- the bank's return file ------------------------------------------------------------


@dataclass(frozen=True)
class ReturnRow:
    number: int  # the row number Excel shows
    account: str
    amount: object
    voucher_no: str
    day: object
    result: str


def _refuse(message: str) -> DomainError:
    return DomainError(message, errors={"file": message})


def _read_upload(file) -> bytes:
    content = uploads.read_limited(file, max_bytes=MAX_BYTES)
    if not content.startswith(uploads.ZIP_MAGIC):
        raise _refuse("该文件不是 Excel 工作簿（.xlsx），请将银行回单另存为 .xlsx 后上传。")
    return content


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_bank_return(file) -> list[ReturnRow]:
    """The rows of the bank's return file; its first row must name the five columns."""
    book = uploads.open_workbook(_read_upload(file), limits=LIMITS)
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [_text(v) for v in next(rows, ())]
        missing = [h for h in RETURN_HEADERS if h not in header]
        if missing:
            raise _refuse(f"第1行须为表头，缺少列：{'、'.join(missing)}。")
        index = {h: header.index(h) for h in RETURN_HEADERS}
        found = []
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                raise _refuse(f"超过{MAX_ROWS}行，请分批上传。")
            cells = list(values) + [None] * len(header)
            if all(v in (None, "") for v in cells):
                continue
            found.append(
                ReturnRow(
                    number=number,
                    account=_text(cells[index["账号"]]),
                    amount=cells[index["金额"]],
                    voucher_no=_text(cells[index["凭证号"]]),
                    day=cells[index["日期"]],
                    result=_text(cells[index["结果"]]),
                )
            )
    finally:
        book.close()
    if not found:
        raise _refuse("文件中没有数据行。")
    return found


def parse_day(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
