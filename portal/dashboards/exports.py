"""The case list as an Excel workbook (openpyxl, write-only: streams, exact yuan)."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from applications.workflow import Status
from portal.core.money import from_fen

MAX_ROWS = 200_000
YUAN = "#,##0.00"
HEADERS = (
    "案件编号",
    "企业",
    "区县",
    "政策",
    "条款",
    "状态",
    "申报月份",
    "测算金额（元）",
    "核定金额（元）",
    "确定金额（元）",
    "已拨付（元）",
    "待拨付（元）",
    "配套未到位（元）",
    "审核期限",
    "应付日期",
    "拨付完成日期",
)


def _number(fact) -> str:
    year = fact.application.created_at.year
    return f"HQ{year}-{fact.application_id:06d}"


def cases_workbook(rows) -> Workbook:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("案件清单")
    sheet.append(HEADERS)
    for count, fact in enumerate(rows.iterator(chunk_size=2000)):
        if count >= MAX_ROWS:
            break
        money = [
            _yuan_cell(sheet, v)
            for v in (
                fact.estimated_fen,
                fact.approved_fen,
                fact.determined_fen,
                fact.paid_fen,
                fact.outstanding_fen,
                fact.unmatched_fen,
            )
        ]
        sheet.append(
            [
                _number(fact),
                fact.enterprise.name,
                fact.district.name,
                fact.policy.doc_number,
                f"第{fact.clause.article}条 {fact.clause.title}",
                Status(fact.status).label,
                f"{fact.month:%Y-%m}" if fact.month else "",
                *money,
                fact.review_due_on,
                fact.pay_due_on or fact.first_due_on,
                fact.paid_on,
            ]
        )
    return book


def _yuan_cell(sheet, fen: int) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=from_fen(fen))  # Decimal: the exact yuan
    cell.number_format = YUAN
    return cell


def cases_xlsx_response(rows, *, filename: str) -> HttpResponse:
    book = cases_workbook(rows)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
