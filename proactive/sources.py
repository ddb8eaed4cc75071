"""Department files: one template per source, a reader for .xlsx/.csv, row-by-row validation.

Each source says which columns its file has and what each row becomes: indicator figures
(``GovRecord.Kind.FIGURE``, item = indicator name, value in base units) and list memberships
(``FLAG``, item = engine fact name, value 1/0). Validation never stops at the first problem:
every bad row is reported with its number and reason.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from enterprises.catalogue import (
    CATALOGUE,
    YEAR,
    IndicatorInputError,
    IndicatorName,
    parse_period,
    parse_period_for,
    parse_value,
)
from enterprises.industries import DIVISIONS as INDUSTRY_DIVISIONS
from enterprises.validators import credit_code_problem, normalize_credit_code
from portal.core import excel, uploads
from portal.core.errors import DomainError

MAX_ROWS = 200_000
MAX_COLS = 10  # the widest source has 6 columns
FIGURE, FLAG = "figure", "flag"
CODE_COL, NAME_COL, PERIOD_COL = "统一社会信用代码", "企业名称", "期间"

# 工信局 lists: the engine's fact name -> the list's name in the file.
LIST_FLAGS = {
    "chain_leader": "产业链链主企业",
    "provincial_head_goose": "省级头雁企业",
    "quality_benchmark": "质量标杆企业",
    "new_sei_db_2022": "新增纳入2022年工业战略性新兴产业年报库",
    "new_above_scale_since_2022": "2022年以来新纳入规模以上工业统计库",
    "commissioned_q1_2023": "2023年一季度新投产入库",
}
DIVISIONS = set(INDUSTRY_DIVISIONS)


@dataclass(frozen=True)
class Source:
    code: str
    department: str
    title: str
    columns: tuple[str, ...]  # after 统一社会信用代码, 企业名称, 期间
    indicator: str = ""  # the figure column's indicator
    example: tuple[object, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def headers(self) -> tuple[str, ...]:
        return (CODE_COL, NAME_COL, PERIOD_COL, *self.columns)

    @property
    def template_name(self) -> str:
        return f"{self.department}-{self.title}-导入模板.xlsx"


SOURCES: dict[str, Source] = {
    s.code: s
    for s in (
        Source(
            "stats",
            "市统计局",
            "规上企业营业收入",
            ("营业收入（元）", "规模以上（是/否）", "行业大类代码"),
            IndicatorName.REVENUE,
            ("914101...", "郑州某某有限公司", "2023Q1", "135000000", "是", "34"),
            ("期间写 2023、2023H1、2023Q1 或 2023-01；金额以元为单位，最多两位小数。",),
        ),
        Source(
            "power",
            "国网郑州供电公司",
            "企业用电量",
            ("用电量（千瓦时）",),
            IndicatorName.ELECTRICITY_KWH,
            ("914101...", "郑州某某有限公司", "2023-01", "1300000"),
            ("按月填写（2023-01）或按季度（2023Q1）；用电量取整数千瓦时。",),
        ),
        Source(
            "commerce",
            "市商务局",
            "企业出口额",
            ("出口额（元）",),
            IndicatorName.EXPORTS,
            ("914101...", "郑州某某有限公司", "2022", "120000000"),
        ),
        Source(
            "ndrc",
            "市发改委",
            "固定资产投资项目库",
            ("固定资产投资（元）",),
            IndicatorName.FIXED_ASSET_INVESTMENT,
            ("914101...", "郑州某某有限公司", "2023Q1", "50000000"),
            ("名单内企业同时记为“纳入固定资产投资项目库”。",),
        ),
        Source(
            "miit",
            "市工信局",
            "认定名单",
            ("名单",),
            "",
            ("914101...", "郑州某某有限公司", "2023", "产业链链主企业"),
            ("期间填年度；名单可填：" + "、".join(LIST_FLAGS.values()) + "。",),
        ),
    )
}


@dataclass(frozen=True)
class ParsedRecord:
    row: int
    credit_code: str
    name: str
    kind: str
    item: str
    period: str
    value: int


@dataclass
class ParseReport:
    rows_read: int = 0
    records: list[ParsedRecord] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def source_for(code: str) -> Source:
    if code not in SOURCES:
        raise DomainError("请选择数据来源。", errors={"source": "未知的数据来源。"})
    return SOURCES[code]


# --- reading --------------------------------------------------------------------------


def _text(value: object) -> str:
    return str(value).strip() if value is not None else ""


def read_rows(content: bytes, file_name: str, *, max_cols: int = MAX_COLS) -> Iterator[tuple]:
    """(row number, cells) of every row of a .xlsx or .csv, the header first; every row read
    counts against ``MAX_ROWS`` (empty ones too) and reading stops there."""
    if not content:
        raise DomainError("上传的文件是空的。", errors={"file": "上传的文件是空的。"})
    if content.startswith(uploads.ZIP_MAGIC):
        # zip bombs, renamed files and linked workbooks are refused before parsing
        return excel.iter_rows(content, max_rows=MAX_ROWS, max_cols=max_cols)
    if file_name.lower().endswith(".csv"):
        return _csv_rows(content)
    message = "只能导入 Excel 工作簿（.xlsx）或 CSV 文件（.csv）。"
    raise DomainError(message, errors={"file": message})


def _csv_rows(content: bytes) -> Iterator[tuple]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise DomainError("无法识别 CSV 文件的编码。")
    for number, cells in enumerate(csv.reader(io.StringIO(text)), 1):
        if number > MAX_ROWS + 1:
            raise excel.too_many_rows(MAX_ROWS)
        yield number, tuple(cells)


# --- validation -----------------------------------------------------------------------


PROGRESS_EVERY = 5000  # rows between two progress reports of a background import


def parse_file(source: Source, content: bytes, file_name: str, progress=None) -> ParseReport:
    """Every row checked; ``progress(rows_read)`` is called every ``PROGRESS_EVERY`` rows."""
    report = ParseReport()
    width = len(source.headers)
    with closing(read_rows(content, file_name, max_cols=width)) as rows:
        _, header = next(rows, (1, ()))
        if not _header_ok(source, header):
            message = (
                f"第1行应为表头“{'、'.join(source.headers)}”，请下载{source.department}的模板。"
            )
            raise DomainError(message, errors={"file": message})
        seen: dict[tuple[str, str, str], int] = {}
        for number, cells in rows:
            cells = (*cells, *([None] * width))[:width]
            if all(_text(c) == "" for c in cells):
                continue
            report.rows_read += 1
            _parse_into(report, seen, source, number, cells)
            if progress is not None and report.rows_read % PROGRESS_EVERY == 0:
                progress(report.rows_read)
    # A list membership repeated by several rows of one enterprise (2023Q1 and 2023-03 both
    # say 规上 for 2023) is one fact: keep one record per key, the last row's.
    unique = {(r.credit_code, r.item, r.period): r for r in report.records}
    report.records = list(unique.values())
    if report.rows_read == 0:
        raise DomainError("文件中没有数据行。", errors={"file": "文件中没有数据行。"})
    return report


def _parse_into(report: ParseReport, seen: dict, source: Source, number: int, cells) -> None:
    records, problems = _parse_row(source, number, cells)
    for record in records:
        key = (record.credit_code, record.item, record.period)
        if record.kind == FIGURE and key in seen and not problems:
            problems.append(f"与第{seen[key]}行重复（同一企业、同一期间）。")
        seen.setdefault(key, number)
    if problems:
        report.rejected.append((number, "".join(problems)))
    else:
        report.records.extend(records)


def _header_ok(source: Source, header: tuple) -> bool:
    cells = [_text(c) for c in header]
    return len(cells) >= len(source.headers) and all(
        cell.startswith(expected.split("（")[0])
        for cell, expected in zip(cells, source.headers, strict=False)
    )


def _parse_row(source: Source, number: int, cells: tuple) -> tuple[list[ParsedRecord], list[str]]:
    raw_code, name, raw_period, *rest = cells
    problems: list[str] = []
    code = normalize_credit_code(_text(raw_code))
    problem = credit_code_problem(code)
    if problem:
        problems.append(problem)
    name = _text(name)[:100]
    if not name:
        problems.append("企业名称不能为空。")
    if source.code == "miit":
        return _list_row(number, code, name, raw_period, rest[0], problems)
    spec = CATALOGUE[source.indicator]
    period = value = None
    try:
        period = str(parse_period_for(spec, raw_period))
    except IndicatorInputError as exc:
        problems.append(str(exc))
    try:
        value = parse_value(spec, rest[0])
    except IndicatorInputError as exc:
        problems.append(str(exc))
    extra = _stats_flags(rest, problems) if source.code == "stats" else {}
    if problems:
        return [], problems
    records = [ParsedRecord(number, code, name, FIGURE, spec.name, period, value)]
    year = period[:4]
    if source.code == "ndrc":
        records.append(ParsedRecord(number, code, name, FLAG, "in_fai_db", year, 1))
    for item, flag_value in extra.items():
        records.append(ParsedRecord(number, code, name, FLAG, item, year, flag_value))
    return records, []


def _stats_flags(rest: list, problems: list[str]) -> dict[str, int]:
    flags: dict[str, int] = {}
    scale = _text(rest[1])
    if scale in ("是", "否"):
        flags["above_scale"] = int(scale == "是")
    elif scale:
        problems.append(f"“规模以上”应填“是”或“否”，收到“{scale}”。")
    division = _text(rest[2]).split(".")[0].zfill(2) if _text(rest[2]) else ""
    if division:
        if division in DIVISIONS:
            flags["industry_division"] = int(division)
        else:
            problems.append(f"行业大类代码“{_text(rest[2])}”不是国民经济行业分类的大类代码。")
    return flags


def _list_row(number, code, name, raw_period, raw_list, problems):
    try:
        period = parse_period(raw_period)
        if period.kind != YEAR:
            raise IndicatorInputError(f"名单的期间应为年度（如 2023），收到“{period}”。")
    except IndicatorInputError as exc:
        problems.append(str(exc))
        period = None
    label = _text(raw_list)
    item = next((k for k, v in LIST_FLAGS.items() if label in (k, v)), None)
    if item is None:
        problems.append(
            f"未知的名单“{label or '（空）'}”，可填：{'、'.join(LIST_FLAGS.values())}。"
        )
    if problems:
        return [], problems
    return [ParsedRecord(number, code, name, FLAG, item, str(period), 1)], []


# --- templates ------------------------------------------------------------------------


def template(source: Source) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F3")
    excel.append(sheet, source.headers)
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[cell.column_letter].width = 24
        cell.number_format = excel.TEXT
    guide = workbook.create_sheet("填写说明")
    for line in (
        f"{source.department}·{source.title} 导入说明",
        "1. 第1行表头不要修改，从第2行起每行一条数据；统一社会信用代码18位，含校验位。",
        "2. 只要有一行有误，整个文件都不会导入；系统会列出每一行的错误。",
        "3. 同一文件重复导入不会产生重复数据。",
        *source.notes,
        "示例：" + " | ".join(str(v) for v in source.example),
    ):
        excel.append(guide, [line])
    return excel.save(workbook)
