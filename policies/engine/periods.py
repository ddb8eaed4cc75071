"""What an award is paid for, and the key that makes two cases the same award (pure).

A clause says how often it pays an enterprise (``paid_per``): once (一次性、同一企业只享受一次),
per year (每年), per quarter, per half-year, or once per subject (per project, product, title,
event or platform: ``subject_kind``). A clause whose text names the period itself (155号's
“2023年第一季度”) declares ``fixed_period``. The period of a case is derived from that, never
taken as typed: ``"2023H1"`` and ``"20２３"`` under a yearly clause are the year ``"2023"``, and a
one-off award has one key whatever period is typed, so a second case for it is refused.

``derive_award(clause, period, subject)`` returns the case's canonical period, the subject as
kept on the case and the award key (unique per enterprise and clause among live cases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.core.text import fold_width

from .errors import EngineError

ONCE, YEAR, QUARTER, HALF, SUBJECT = "once", "year", "quarter", "half", "subject"
PAID_PER = {
    ONCE: "一次性（同一企业只享受一次）",
    YEAR: "每年度一次",
    QUARTER: "每季度一次",
    HALF: "每半年一次",
    SUBJECT: "每个申报对象一次",
}
PROJECT, PRODUCT, TITLE, EVENT, PLATFORM = "project", "product", "title", "event", "platform"
SUBJECT_KINDS = {
    PROJECT: "项目",
    PRODUCT: "产品",
    TITLE: "称号",
    EVENT: "活动",
    PLATFORM: "平台",
}
SUBJECT_HELP = {
    PROJECT: "项目名称（与备案或核准文件一致），如“年产10万台新能源汽车零部件项目”",
    PRODUCT: "产品名称及型号，如“XX型盾构机”",
    TITLE: "称号名称及认定文件，如“国家级专精特新‘小巨人’企业（工信部2023年第五批）”",
    EVENT: "活动名称及举办时间，如“2024中国（郑州）产业转移系列对接活动”",
    PLATFORM: "平台名称",
}
# What a clause rewards (its ``matters``) says what the award is about when the clause does not
# declare ``subject_kind`` itself: awards for a project, a product, a title or an event.
SUBJECT_OF_MATTER = {
    "project_equipment_investment": PROJECT,
    "investment_project_start": PROJECT,
    "first_set_equipment": PRODUCT,
    "first_batch_material": PRODUCT,
    "first_version_software": PRODUCT,
    "nev_new_product_launch": PRODUCT,
    "industry_event_hosting": EVENT,
    "srdi_title": TITLE,
    "smart_manufacturing_title": TITLE,
    "green_manufacturing_title": TITLE,
    "quality_benchmark": TITLE,
    "industrial_demo_base": TITLE,
    "standards_certificate": TITLE,
    "industrial_internet_platform": PLATFORM,
}
PERIOD_RE = re.compile(r"^(20[0-9]{2})(?:(Q)([1-4])|(H)([12]))?$")
SUBJECT_MAX = 100


@dataclass(frozen=True)
class AwardPeriod:
    period: str  # canonical: "2023", "2023Q1" or "2023H1"
    subject: str  # as kept on the case (NFKC, spaces collapsed); "" when the clause has none
    key: str  # what makes two cases of one clause the same award

    @property
    def year(self) -> int:
        return int(self.period[:4])


def paid_per(clause) -> str:
    """How often ``clause`` pays an enterprise (see the module docstring)."""
    declared = getattr(clause, "paid_per", "") or ""
    if declared:
        return declared
    if subject_kind(clause):
        return SUBJECT
    if getattr(clause, "once_per_enterprise", False):
        return ONCE
    return YEAR


def subject_kind(clause) -> str:
    declared = getattr(clause, "subject_kind", None)
    if declared is not None and declared != "":
        return "" if declared == "none" else declared
    for matter in getattr(clause, "matters", ()):
        if matter in SUBJECT_OF_MATTER:
            return SUBJECT_OF_MATTER[matter]
    return ""


def subject_label(clause) -> str:
    kind = subject_kind(clause)
    return SUBJECT_KINDS.get(kind, "")


def describe(clause) -> str:
    """One Chinese line for the form and the library: what the award is paid for."""
    fixed = getattr(clause, "fixed_period", "") or ""
    kind, label = paid_per(clause), subject_label(clause)
    text = f"每个{label}只奖励一次" if kind == SUBJECT else PAID_PER[kind]
    if fixed:
        text += f"；奖励期间为政策规定的{period_label(fixed)}"
    elif label and kind != SUBJECT:
        text += f"；须填写申报的{label}"
    return text


def period_label(period: str) -> str:
    m = PERIOD_RE.match(period or "")
    if not m:
        return period
    year, quarter, half = m.group(1), m.group(3), m.group(5)
    if quarter:
        return f"{year}年第{'一二三四'[int(quarter) - 1]}季度"
    if half:
        return f"{year}年{'上下'[int(half) - 1]}半年"
    return f"{year}年度"


def normalise_text(value: object) -> str:
    """Full-width letters and digits to ASCII, runs of spaces to one, trimmed. Not NFKC: that
    would read "²" as 2 ("²０23" a period); other digits stay, for the pattern to refuse."""
    return re.sub(r"\s+", " ", fold_width(value)).strip()


def subject_key(subject: str) -> str:
    """Two spellings of one subject compare equal: no spaces, case folded."""
    return re.sub(r"\s+", "", normalise_text(subject)).casefold()


def parse_period(value: object) -> tuple[str, str, str] | None:
    """``(year, "Q"|"H"|"", number)`` of a period as typed, or ``None``."""
    m = PERIOD_RE.match(normalise_text(value).upper().replace(" ", ""))
    if not m:
        return None
    if m.group(2):
        return m.group(1), "Q", m.group(3)
    if m.group(4):
        return m.group(1), "H", m.group(5)
    return m.group(1), "", ""


def _error(field: str, message: str) -> EngineError:
    return EngineError({field: message})


def derive_award(
    clause, period: object, subject: object = "", *, default_year: int | None = None
) -> AwardPeriod:
    """The case's period, subject and award key; ``EngineError`` (naming ``period`` or
    ``subject``) when what was typed does not fit what the clause pays for."""
    kind, label = paid_per(clause), subject_label(clause)
    fixed = getattr(clause, "fixed_period", "") or ""
    typed = normalise_text(period)
    parsed = parse_period(typed) if typed else None
    if typed and parsed is None:
        raise _error(
            "period", "申报期格式应为年度（如 2023）、季度（如 2023Q1）或半年（如 2023H1）。"
        )
    if fixed:
        canonical = fixed
    elif parsed is None:
        if kind in (YEAR, QUARTER, HALF) or default_year is None:
            raise _error("period", f"请填写申报期：该条款{PAID_PER[kind]}。")
        canonical = str(default_year)
    else:
        year, part, number = parsed
        if kind == QUARTER:
            if part != "Q":
                raise _error("period", "该条款按季度兑现，申报期请填写季度，如 2023Q1。")
            canonical = f"{year}Q{number}"
        elif kind == HALF:
            if part != "H":
                raise _error("period", "该条款按半年兑现，申报期请填写半年，如 2023H1。")
            canonical = f"{year}H{number}"
        else:  # per year, once or per subject: the year is what counts
            canonical = year
    text = normalise_text(subject)
    if label:
        if not text:
            raise _error("subject", f"请填写申报的{label}：该条款每个{label}只奖励一次。")
        if len(text) > SUBJECT_MAX:
            raise _error("subject", f"申报的{label}名称不超过{SUBJECT_MAX}个字。")
    else:
        text = ""
    return AwardPeriod(canonical, text, award_key(clause, canonical, text))


def award_key(clause, period: str, subject: str) -> str:
    """The key of the award a case claims: cases of one clause with equal keys claim one
    award. Once-only awards have one key; yearly ones the year; subjects their name."""
    kind, fixed = paid_per(clause), getattr(clause, "fixed_period", "") or ""
    if fixed or kind == ONCE:
        when = "once"
    elif kind == SUBJECT:
        when = ""
    else:
        when = period
    who = subject_key(subject) if subject_kind(clause) else ""
    return f"{when}|{who}"[:160]


def lenient_award(clause, period: str, subject: str = "") -> AwardPeriod:
    """``derive_award`` that never refuses: for rows already stored (migrations, bulk writes,
    test factories): an unparseable period is kept as it is."""
    try:
        return derive_award(clause, period, subject, default_year=None)
    except EngineError:
        parsed = parse_period(period)
        canonical = (
            getattr(clause, "fixed_period", "")
            or (parsed and (parsed[0] + parsed[1] + parsed[2]))
            or normalise_text(period)[:10]
        )
        text = normalise_text(subject)[:SUBJECT_MAX] if subject_kind(clause) else ""
        return AwardPeriod(canonical, text, award_key(clause, canonical, text))
