"""Printable documents (受理回执, 资金拨付通知) as PDF with an embedded Chinese font.

ReportLab (README "Libraries": why it and not fpdf2) embeds a subset of a TrueType font, so the
file prints the same on a machine without Chinese fonts. It reads TrueType outlines only: the
Noto CJK fonts Debian ships are CFF-based OpenType, so the font is WenQuanYi Zen Hei
(``fonts-wqy-zenhei``, installed by ``make browser``); ``PORTAL_PDF_FONT`` names another
TrueType (.ttf/.ttc) file.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from portal.core.errors import DomainError

FONT_NAME = "PortalCJK"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
NO_FONT = "服务器未安装中文字体（fonts-wqy-zenhei，由 make browser 安装），暂不能生成 PDF 文件。"
_registered: str | None = None


def font_path() -> str | None:
    configured = getattr(settings, "PORTAL_PDF_FONT", "") or ""
    for candidate in (configured, *FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def cjk_font() -> str:
    """Register the Chinese TrueType font once per process; its ReportLab name."""
    global _registered
    if _registered:
        return _registered
    path = font_path()
    if path is None:
        raise DomainError(NO_FONT)
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    options = {"subfontIndex": 0} if path.endswith(".ttc") else {}
    pdfmetrics.registerFont(TTFont(FONT_NAME, path, **options))
    _registered = FONT_NAME
    return FONT_NAME


@dataclass
class Document:
    """A one-page official notice: a heading, key-value rows, an optional table, notes."""

    title: str
    issuer: str
    subject: str  # PDF metadata: what it is about (the case number)
    rows: list[tuple[str, str]] = field(default_factory=list)
    table_title: str = ""
    table: list[Sequence[str]] = field(default_factory=list)  # first row: the headings
    widths: Sequence[float] = ()  # the table's column widths in mm (170 in all); equal if empty
    notes: list[str] = field(default_factory=list)


def render(document: Document) -> bytes:
    """The document as PDF bytes (A4, the Chinese font embedded as a subset)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = cjk_font()
    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    title = ParagraphStyle("title", parent=base, fontSize=20, leading=28, alignment=TA_CENTER)
    issuer = ParagraphStyle("issuer", parent=base, alignment=TA_CENTER, textColor=colors.grey)
    right = ParagraphStyle("right", parent=base, alignment=TA_RIGHT)
    small = ParagraphStyle("small", parent=base, fontSize=9, leading=13, textColor=colors.grey)

    def para(text: str, style=base) -> Paragraph:
        return Paragraph(_escape(text), style)

    story: list = [para(document.issuer, issuer), Spacer(1, 2 * mm), para(document.title, title)]
    story.append(Spacer(1, 6 * mm))
    rows = [[para(k), para(v)] for k, v in document.rows]
    story.append(
        _grid(Table(rows, colWidths=[36 * mm, 134 * mm]), TableStyle, colors, font, shade=(0, -1))
    )
    if document.table:
        story += [Spacer(1, 5 * mm), para(document.table_title)]
        cells = [[para(str(c)) for c in row] for row in document.table]
        widths = [w * mm for w in document.widths] or _widths(len(document.table[0]), 170 * mm)
        table = Table(cells, colWidths=widths, repeatRows=1)
        story.append(_grid(table, TableStyle, colors, font, shade=(-1, 0)))
    story.append(Spacer(1, 6 * mm))
    story += [para(note, small) for note in document.notes]
    story += [Spacer(1, 10 * mm), para(document.issuer, right)]
    story.append(para(f"{timezone.localdate():%Y年%m月%d日}", right))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=document.title,
        subject=document.subject,
        author=document.issuer,
        creator=settings.PORTAL_NAME,
    ).build(story)
    return buffer.getvalue()


def _grid(table, table_style, colors, font, *, shade: tuple[int, int]):
    """Lines around every cell; ``shade`` (-1, 0): the heading row, (0, -1): the key column."""
    table.setStyle(
        table_style(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), shade, colors.HexColor("#f4f6fa")),
            ]
        )
    )
    return table


def _widths(columns: int, total: float) -> list[float]:
    return [total / columns] * columns


def _escape(text: str) -> str:
    """ReportLab paragraphs read a small markup: the text is shown as written."""
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", "<br/>")
    )
