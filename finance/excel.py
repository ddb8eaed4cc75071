"""Workbooks: the bank payment list (银行支付清单), share and reconciliation exports, and a
careful reader for the bank's return file (an untrusted upload)."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from dataclasses import dataclass

from portal.core import excel, uploads
from portal.core.errors import DomainError
from portal.core.excel import XLSX, workbook_bytes
from portal.core.money import amount_in_words, from_fen

__all__ = ["XLSX", "bank_list", "read_bank_return", "workbook_bytes"]  # the views' names
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
LIMITS = uploads.ArchiveLimits(max_unpacked_bytes=MAX_UNPACKED_BYTES)
MAX_ROWS = 5000
MAX_COLS = 30  # the five columns, wherever the bank puts them among its own
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
    formats = {4: excel.TEXT, 5: excel.YUAN}
    return workbook_bytes("支付清单", BANK_LIST_HEADERS, rows, formats=formats)


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
    content = _read_upload(file)
    found = []
    with closing(
        excel.iter_rows(content, max_rows=MAX_ROWS, max_cols=MAX_COLS, limits=LIMITS)
    ) as rows:
        _, first = next(rows, (1, ()))
        header = [_text(v) for v in first]
        missing = [h for h in RETURN_HEADERS if h not in header]
        if missing:
            raise _refuse(f"第1行须为表头，缺少列：{'、'.join(missing)}。")
        index = {h: header.index(h) for h in RETURN_HEADERS}
        for number, cells in rows:
            if excel.is_blank(cells):
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
