"""The case list as an Excel workbook (streamed through ``portal.core.excel``, exact yuan)."""

from __future__ import annotations

from django.http import HttpResponse

from applications.models import case_number as number_of
from applications.workflow import Status
from portal.core import excel
from portal.core.money import from_fen

MAX_ROWS = 200_000
MONEY_COLUMNS = range(7, 13)
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
    return number_of(fact.application.created_at, fact.application_id)


def _row(fact) -> tuple:
    money = (
        fact.estimated_fen,
        fact.approved_fen,
        fact.determined_fen,
        fact.paid_fen,
        fact.outstanding_fen,
        fact.unmatched_fen,
    )
    return (
        _number(fact),
        fact.enterprise.name,
        fact.district.name,
        fact.policy.doc_number,
        f"第{fact.clause.article}条 {fact.clause.title}",
        Status(fact.status).label,
        f"{fact.month:%Y-%m}" if fact.month else "",
        *(from_fen(fen) for fen in money),  # Decimal: the exact yuan
        fact.review_due_on,
        fact.pay_due_on or fact.first_due_on,
        fact.paid_on,
    )


def cases_workbook(rows) -> bytes:
    sheet = excel.Sheet(
        "案件清单",
        HEADERS,
        (_row(fact) for fact in rows.iterator(chunk_size=2000)),
        formats=dict.fromkeys(MONEY_COLUMNS, excel.YUAN),
        max_rows=MAX_ROWS,
    )
    return excel.write_workbook(sheet)


def cases_xlsx_response(rows, *, filename: str) -> HttpResponse:
    return excel.xlsx_response(cases_workbook(rows), filename)
