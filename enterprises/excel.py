"""The indicator workbook: the downloadable template and a careful reader for uploads.

Uploads are untrusted: the reader refuses anything over 5 MB, anything that is not a zip
(an .xlsx is one; a renamed .xls/.csv/.docx is not, or holds no workbook), archives that
would inflate beyond a sane size, and stops after ``MAX_ROWS`` rows, empty ones included
(``portal.core.excel.iter_rows``). Workbooks are opened ``read_only=True, data_only=True``
(formulas count as their cached values, nothing is run).
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from enterprises.catalogue import CATALOGUE
from portal.core import excel, uploads
from portal.core.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
LIMITS = uploads.ArchiveLimits(max_unpacked_bytes=MAX_UNPACKED_BYTES)
MAX_ROWS = 5000
DATA_SHEET = "指标"
HEADERS = ("指标", "期间", "数值")
TEMPLATE_FILENAME = "企业经营指标导入模板.xlsx"


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number Excel shows
    name: object
    period: object
    value: object


def _refuse(message: str) -> DomainError:
    return DomainError(message, errors={"file": message})


def _read_upload(file) -> bytes:
    content = uploads.read_limited(file, max_bytes=MAX_BYTES)
    if not content.startswith(uploads.ZIP_MAGIC):
        raise _refuse(
            "该文件不是 Excel 工作簿（.xlsx）。请在 Excel 或 WPS 中“另存为 .xlsx”后再上传；"
            "旧版 .xls、CSV 或仅改了扩展名的文件不能导入。"
        )
    return content


def _cell_text(value: object) -> str:
    return str(value).strip() if value is not None else ""


def read_indicator_rows(file) -> list[SheetRow]:
    """The non-empty data rows of an uploaded workbook (sheet “指标”, else the first sheet)."""
    content = _read_upload(file)
    rows: list[SheetRow] = []
    header_seen = False
    with closing(
        excel.iter_rows(
            content, max_rows=MAX_ROWS, max_cols=3, limits=LIMITS, sheet_name=DATA_SHEET
        )
    ) as found:
        for number, cells in found:
            if not header_seen:
                header = tuple(_cell_text(c) for c in cells)
                if not all(
                    h.startswith(expected) for h, expected in zip(header, HEADERS, strict=True)
                ):
                    raise _refuse(
                        "第1行应为表头“指标、期间、数值”，请下载模板，在“指标”工作表中填写后上传。"
                    )
                header_seen = True
            elif not excel.is_blank(cells):
                rows.append(SheetRow(number, *cells))
    if not header_seen:
        raise _refuse("工作表是空的：请在模板的“指标”工作表中填写数据后上传。")
    if not rows:
        raise _refuse("文件中没有数据行：请从第2行开始填写指标、期间和数值。")
    return rows


def indicator_template() -> bytes:
    """The template: sheet “指标” to fill in (with a drop-down of names), and instructions."""
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE6F3")
    excel.append(data, HEADERS)
    for cell, width in zip(data[1], (22, 14, 22), strict=True):
        cell.font, cell.fill = bold, fill
        data.column_dimensions[cell.column_letter].width = width
    data.freeze_panes = "A2"
    # A text column, so Excel does not turn 2023-01 into a date (a column style creates no
    # cells: rows appended by a script still start at row 2).
    data.column_dimensions["B"].number_format = "@"

    guide = workbook.create_sheet("填写说明")
    lines = [
        ("企业经营指标导入说明",),
        ("1. 在“指标”工作表中每行填写一个数值：指标、期间、数值；第1行表头不要修改。",),
        ("2. 期间写法：2023（年度）、2023H1（上半年）、2023Q1（第一季度）、2023-01（1月）。",),
        (
            "3. 金额以“元”为单位，最多两位小数；用电量以“千瓦时”为单位，取整数；人数取整数；都不能为负数。",
        ),
        ("4. 每个期间填该期间内的数值（不是累计数）；同一指标同一期间只填一行。",),
        ("5. 只要有一行有误，整个文件都不会导入；系统会列出每一行的错误，修改后重新上传即可。",),
        ("6. 再次导入相同指标和期间时，以新导入的数值为准。",),
        (),
        ("指标", "单位", "可填期间", "示例"),
    ]
    examples = {
        "money": "135000000",
        "kwh": "1250000",
        "count": "320",
    }
    first_name_row = len(lines) + 1
    for spec in CATALOGUE.values():
        lines.append((spec.label, spec.unit, spec.period_help(), examples[spec.kind]))
    for line in lines:
        excel.append(guide, line)
    guide["A1"].font = Font(bold=True, size=14)
    for cell in guide[len(lines) - len(CATALOGUE)]:
        cell.font, cell.fill = bold, fill
    for letter, width in zip("ABCD", (22, 10, 70, 16), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2, max_row=7):
        row[0].alignment = Alignment(wrap_text=False)

    last_name_row = first_name_row + len(CATALOGUE) - 1
    names = DataValidation(
        type="list",
        formula1=f"'填写说明'!$A${first_name_row}:$A${last_name_row}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="指标名称",
        error="请从下拉列表中选择指标。",
    )
    data.add_data_validation(names)
    names.add("A2:A1001")

    return excel.save(workbook)
