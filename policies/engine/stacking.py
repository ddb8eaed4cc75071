"""Cross-case rules (pure): 从高不重复 groups, 级差 against titles already rewarded, once-only
awards, caps over the policy period and per-enterprise annual caps; plus the declared-overlap
check.

``apply_stacking(candidate, earlier)`` takes a candidate award (already computed by
``calculate()``) and the enterprise's earlier or pending awards, and returns the adjusted
amount with Chinese trace lines naming which award displaced which. Group keys are plain
strings: a clause declares its groups (``stacking_groups``) and its ladder (``ladder``); the
awards of a group meet only within the same subject or year (``GROUP_SCOPES``: the subject and
period each case carries), so a project's award never displaces another project's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from portal.core.money import ZERO, round_fen

from . import periods
from .fmt import yuan
from .registry import all_clauses, get_clause

GRANTED, PENDING = "granted", "pending"
SUBJECT, YEAR, ENTERPRISE = "subject", "year", "enterprise"
# Which awards of a 从高不重复 group meet: those for the same subject (project, product, title,
# event), those of the same year (the text says 每年 / 同一年度, or the award is for a year's
# figures), or any two of the enterprise (one-off awards for the enterprise itself). A group
# not listed keeps the enterprise-wide reading.
GROUP_SCOPES = {
    "project_equipment_investment": SUBJECT,
    "first_set_equipment": SUBJECT,
    "first_batch_material": SUBJECT,
    "first_version_software": SUBJECT,
    "green_product_catalogue": SUBJECT,
    "industry_event_hosting": SUBJECT,
    "srdi_title": ENTERPRISE,  # the enterprise's own title: names typed per case may differ
    "pilot_demonstration_title": YEAR,
    "exhibition_participation": YEAR,
    "central_media_advertising": YEAR,
    "revenue_milestone": YEAR,
    "key_sector_revenue_growth": YEAR,
    "local_parts_procurement": YEAR,
    "cloud_platform_vouchers": YEAR,
    "chain_leader_purchases": YEAR,
    "cross_industry_platform": ENTERPRISE,
}
# groups whose award is paid once to the enterprise whatever the clause or year
ONE_OFF_GROUPS = frozenset({"cross_industry_platform"})
GROUP_LABELS = {
    "project_equipment_investment": "项目设备投资奖励",
    "first_set_equipment": "首台（套）",
    "first_batch_material": "首批次",
    "first_version_software": "首版次",
    "green_product_catalogue": "绿色节能产品",
    "industry_event_hosting": "举办会议活动",
    "srdi_title": "专精特新称号",
    "pilot_demonstration_title": "试点示范称号",
    "exhibition_participation": "参展补贴",
    "central_media_advertising": "中央媒体广告补贴",
    "revenue_milestone": "营收跃升奖励",
    "key_sector_revenue_growth": "重点领域增长奖励",
    "local_parts_procurement": "本地配套采购奖励",
    "cloud_platform_vouchers": "上云服务券",
    "chain_leader_purchases": "链主采购奖励",
    "cross_industry_platform": "跨行业跨领域工业互联网平台",
}


@dataclass(frozen=True)
class Award:
    """An award of one enterprise: the candidate or an earlier/pending one.

    ``groups`` default to the clause's ``stacking_groups``; ``ladder`` to its ``ladder``
    (only set it when ``amount`` is the title's full amount, not an amount already reduced
    by 级差 through the clause's ``previous_titles`` fact). ``status`` is ``"granted"``
    (decided or paid: cannot be taken back here) or ``"pending"`` (may be displaced).
    ``subject`` is what the award is for (a project's, product's, title's or event's name as
    checked by the reviewer; "" when the clause has none or it is unknown), ``award_key`` the
    key that makes two cases of one clause the same award (``periods.award_key``), ``parts``
    the shares of the amount by group or cap (``Clause.stacking_parts``; ``None``: the whole
    amount belongs to each of the clause's groups).
    """

    code: str
    amount: Decimal
    year: int
    groups: tuple[str, ...] | None = None
    ladder: str | None = None
    title: str = ""
    status: str = GRANTED
    ref: str = ""
    subject: str = ""
    award_key: str = ""
    parts: Mapping[str, Decimal] | None = None

    def group_keys(self) -> tuple[str, ...]:
        if self.groups is not None:
            return self.groups
        return tuple(_clause_attr(self.code, "stacking_groups", ()))

    def ladder_key(self) -> str | None:
        return self.ladder if self.ladder is not None else _clause_attr(self.code, "ladder", None)

    def share(self, key: str, amount: Decimal | None = None) -> Decimal:
        """The part of ``amount`` (default: the award's) that belongs to group or cap ``key``."""
        whole = self.amount if amount is None else amount
        if self.parts is None or not _clause_attr(self.code, "stacking_parts", False):
            return whole
        return min(self.parts.get(key, ZERO), whole)

    def name(self) -> str:
        label = self.title or self.code
        about = f"，{self.subject}" if self.subject else ""
        return f"{label}（{self.ref or self.code}{about}，{self.year}年，{yuan(self.amount)}）"


@dataclass(frozen=True)
class StackingResult:
    original: Decimal
    amount: Decimal
    lines: list[str] = field(default_factory=list)
    displaced: list[Award] = field(default_factory=list)


def _clause_attr(code: str, attr: str, default: object) -> object:
    try:
        return getattr(get_clause(code), attr)
    except Exception:  # an award of a clause the engine no longer knows: no declared rule
        return default


def _cumulative_with(code: str) -> set[str]:
    """Codes declared cumulative with ``code`` (``stacks_with``, either side): a declared pair
    rule overrides a shared 从高不重复 group."""
    own = set(_clause_attr(code, "stacks_with", ()))
    return own | {c.code for c in all_clauses() if code in c.stacks_with}


def _default_param(code: str, name: str | None) -> Decimal | None:
    if not name:
        return None
    try:
        return get_clause(code).validate_params(None)[name]
    except Exception:
        return None


def _annual_cap(code: str) -> Decimal | None:
    return _default_param(code, _clause_attr(code, "annual_cap_param", None))


def _same_subject(a: Award, b: Award) -> bool:
    """Unknown subjects (old cases, clauses without one) cannot be told apart: they meet."""
    if not a.subject or not b.subject:
        return True
    return periods.subject_key(a.subject) == periods.subject_key(b.subject)


def _meets(group: str, candidate: Award, other: Award) -> str | None:
    """Why ``other`` meets ``candidate`` in ``group`` (Chinese: 同一项目 / 同一年度…), or None."""
    scope = GROUP_SCOPES.get(group, ENTERPRISE)
    if scope == SUBJECT:
        if not _same_subject(candidate, other):
            return None
        label = periods.subject_label(_clause_or_none(candidate.code)) or "申报对象"
        return f"同一{label}" + (f"“{candidate.subject}”" if candidate.subject else "")
    if scope == YEAR:
        return f"同一年度（{candidate.year}年）" if candidate.year == other.year else None
    return "同一企业"


def _clause_or_none(code: str):
    try:
        return get_clause(code)
    except Exception:
        return None


def apply_stacking(
    candidate: Award,
    earlier: Sequence[Award],
    *,
    annual_caps: Mapping[str, Decimal | None] | None = None,
    enterprise_annual_cap: Decimal | None = None,
) -> StackingResult:
    """Adjust ``candidate.amount`` for the enterprise's ``earlier`` awards (granted or pending).

    Order: the same award claimed twice (same clause and award key) → once-only (同一企业只享受
    一次) → 级差 within a ladder → 从高不重复 groups, within the same subject or year (see
    ``GROUP_SCOPES``) and only on the share of the amount in the group → the clause's caps
    over the whole policy period (``enterprise_cap_params``) → its annual cap (``annual_caps``
    overrides the clause's ``annual_cap_param``) → an optional per-enterprise annual cap.
    """
    amount = round_fen(candidate.amount)
    lines: list[str] = []
    displaced: list[Award] = []
    others = [a for a in earlier if a is not candidate]

    if candidate.award_key:
        twins = [
            a
            for a in others
            if a.code == candidate.code and a.award_key == candidate.award_key and a.amount > 0
        ]
        if twins:
            lines.append(
                f"与案件 {twins[0].ref or twins[0].code} 为同一奖励（同一条款、同一奖励期间"
                f"{'、同一申报对象' if candidate.subject else ''}），不能重复奖励："
                f"已有{twins[0].name()}，本项不再奖励"
            )
            amount = ZERO

    if amount > 0 and _clause_attr(candidate.code, "once_per_enterprise", False):
        before = [a for a in others if a.code == candidate.code and a.amount > 0]
        if before:
            lines.append(
                f"{candidate.code} 同一企业只享受一次：已获{before[0].name()}，本次不再奖励"
            )
            amount = ZERO

    ladder = candidate.ladder_key()
    if ladder and amount > 0:
        rungs = [a for a in others if a.ladder_key() == ladder and a.status == GRANTED]
        paid = sum((a.amount for a in rungs), ZERO)
        if paid > 0:
            new = max(amount - paid, ZERO)
            names = "、".join(a.name() for a in rungs)
            lines.append(f"级差：{yuan(amount)} − 已获{names}合计{yuan(paid)} = {yuan(new)}")
            amount = new

    # 从高不重复 is between different clauses; repeated awards of one clause are governed by
    # its own rules (首次, once-only, annual cap), so the candidate's own code is left out.
    cumulative = _cumulative_with(candidate.code) | {candidate.code}
    for group in candidate.group_keys():
        share = candidate.share(group, amount)
        if amount <= 0 or share <= 0:
            continue
        what = GROUP_LABELS.get(group, group)
        # a one-off award of the enterprise itself (the 双跨 platform) is paid once, also when
        # the same clause is claimed again in a later year
        apart = cumulative - {candidate.code} if group in ONE_OFF_GROUPS else cumulative
        same = [
            (a, why)
            for a in others
            if group in a.group_keys()
            and a.code not in apart
            and a.share(group) > 0
            and (why := _meets(group, candidate, a))
        ]
        for award, why in sorted(same, key=lambda x: x[0].share(group), reverse=True):
            theirs = award.share(group)
            head = f"与案件 {award.ref or award.code} {why}，从高不重复（{what}）："
            if award.status == PENDING and theirs <= share:
                displaced.append(award)
                lines.append(f"{head}本项{yuan(share)}较高，取代待定的{award.name()}")
                continue
            if theirs >= share:
                lines.append(f"{head}{award.name()}不低于本项{yuan(share)}，本项{what}不再奖励")
                amount, share = amount - share, ZERO
                break
            lines.append(
                f"{head}已获{award.name()}，本项只补足差额{yuan(share)} − {yuan(theirs)}"
                f" = {yuan(share - theirs)}"
            )
            amount, share = amount - theirs, share - theirs

    for param in _clause_attr(candidate.code, "enterprise_cap_params", ()):
        amount = _cap_policy(candidate, others, param, amount, lines)
    amount = _cap_year(
        amount,
        [a for a in others if a.code == candidate.code and a.year == candidate.year],
        (annual_caps or {}).get(candidate.code, _annual_cap(candidate.code)),
        f"{candidate.code} 每年最高",
        lines,
    )
    amount = _cap_year(
        amount,
        [a for a in others if a.year == candidate.year and a not in displaced],
        enterprise_annual_cap,
        "同一企业每年奖励总额最高",
        lines,
    )
    return StackingResult(round_fen(candidate.amount), round_fen(amount), lines, displaced)


def _cap_policy(
    candidate: Award, others: Sequence[Award], param: str, amount: Decimal, lines: list[str]
) -> Decimal:
    """对单个企业…不超过 X (no 每年): every case of the clause over the policy's whole period."""
    cap = _default_param(candidate.code, param)
    share = candidate.share(param, amount)
    if cap is None or share <= 0:
        return amount
    before = [a for a in others if a.code == candidate.code and a.share(param) > 0]
    used = sum((a.share(param) for a in before), ZERO)
    room = max(cap - used, ZERO)
    if share <= room:
        return amount
    refs = "、".join(a.ref or a.code for a in before)
    lines.append(
        f"{candidate.code} 对单个企业最高{yuan(cap)}（政策期内累计）：已获{yuan(used)}"
        f"（案件 {refs}），本项由{yuan(share)}减为{yuan(room)}"
    )
    return amount - (share - room)


def _cap_year(
    amount: Decimal, same_year: Iterable[Award], cap: Decimal | None, what: str, lines: list[str]
) -> Decimal:
    if cap is None or amount <= 0:
        return amount
    used = sum((a.amount for a in same_year), ZERO)
    room = max(cap - used, ZERO)
    if amount > room:
        lines.append(
            f"{what}{yuan(cap)}，本年已获{yuan(used)}，本项由{yuan(amount)}减为{yuan(room)}"
        )
        return room
    return amount


def undeclared_overlaps() -> list[tuple[str, str, str]]:
    """Pairs of clauses rewarding the same matter (``matters``) with no declared rule: neither a
    shared 从高不重复 group, nor a shared ladder, nor ``stacks_with`` (declared cumulative)."""
    found = []
    for a, b in combinations(all_clauses(), 2):
        for matter in sorted(set(a.matters) & set(b.matters)):
            declared = (
                set(a.stacking_groups) & set(b.stacking_groups)
                or (a.ladder and a.ladder == b.ladder)
                or b.code in a.stacks_with
                or a.code in b.stacks_with
            )
            if not declared:
                found.append((a.code, b.code, matter))
    return found
