"""Reads of the policy library."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from policies import engine, windows
from policies.engine.fmt import num, pct, yuan
from policies.engine.thresholds import OPS
from policies.models import ApplicationBatch, Clause, ClauseRuleVersion, Policy
from policies.windows import clause_window


def policy_list(
    *,
    q: str = "",
    level: str = "",
    department: str = "",
    category: str = "",
    redemption_mode: str = "",
    open_now: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Policy]:
    today = today or timezone.localdate()
    policies = Policy.objects.exclude(status=Policy.Status.DRAFT)  # a studio draft: not yet public
    if q:
        policies = policies.filter(
            Q(title__icontains=q) | Q(doc_number__icontains=q) | Q(clauses__title__icontains=q)
        )
    if level:
        policies = policies.filter(level=level)
    if department:
        policies = policies.filter(
            Q(issuer__icontains=department)
            | Q(clauses__responsible_department__icontains=department)
        )
    if category:
        policies = policies.filter(clauses__category=category)
    if redemption_mode:
        policies = policies.filter(clauses__redemption_mode=redemption_mode)
    if open_now:
        open_ids = {c.policy_id for c in clauses_with_windows() if clause_window(c, today).is_open}
        policies = policies.filter(pk__in=open_ids)
    return policies.distinct().order_by("-issued_on", "code")


def clauses_with_windows() -> QuerySet[Clause]:
    """Clauses with what ``clause_window`` reads (policy, batches) fetched in three queries."""
    return Clause.objects.select_related("policy").prefetch_related("batches")


def policy_windows_by_code(
    policies, *, today: dt.date | None = None
) -> dict[str, windows.PolicyWindows]:
    """Policy code -> where its clauses stand on ``today`` (one query for all batches)."""
    today = today or timezone.localdate()
    codes = [p.code for p in policies]
    by_policy: dict[str, list[Clause]] = {code: [] for code in codes}
    # only the dates are read (not a policy's whole text on each clause's row), and the
    # batches of all the clauses in one query instead of a prefetch per clause
    clauses = Clause.objects.filter(policy__code__in=codes).select_related("policy").only(
        "code", "application_opens", "application_closes",
        "policy__code", "policy__effective_from", "policy__effective_to",
    )  # fmt: skip
    for clause in clauses:
        by_policy[clause.policy.code].append(clause)
    batches: dict[int, list[ApplicationBatch]] = {}
    for batch in ApplicationBatch.objects.filter(clause__policy__code__in=codes):
        batches.setdefault(batch.clause_id, []).append(batch)
    return {code: windows.policy_windows(cs, today, batches) for code, cs in by_policy.items()}


def policy_get(code: str) -> Policy:
    return Policy.objects.prefetch_related(
        Prefetch("clauses", queryset=Clause.objects.order_by("article").prefetch_related("batches"))
    ).get(code=code)


def clause_get(code: str) -> Clause:
    return Clause.objects.select_related("policy").prefetch_related("batches").get(code=code)


def clause_versions(clause: Clause) -> QuerySet[ClauseRuleVersion]:
    return clause.versions.select_related("created_by").order_by("-number")


def clauses_in_force(*, today: dt.date | None = None, policy_code: str = "") -> list[Clause]:
    """Clauses of policies in force on ``today`` that the engine knows, in library order."""
    today = today or timezone.localdate()
    clauses = Clause.objects.select_related("policy").filter(
        Q(policy__effective_to__isnull=True) | Q(policy__effective_to__gte=today),
        policy__effective_from__lte=today,
        policy__status=Policy.Status.IN_FORCE,
    )
    if policy_code:
        clauses = clauses.filter(policy__code=policy_code)
    known = set(engine.clause_codes())
    return [c for c in clauses.order_by("policy__code", "article") if c.code in known]


def clause_meta(code: str) -> engine.Clause | None:
    try:
        return engine.get_clause(code)
    except engine.UnknownClause:
        return None


def fact_rows(code: str, facts: dict) -> list[tuple[str, str]]:
    """(Chinese label, value with unit) for each fact of clause ``code`` present in ``facts``,
    in the clause's order: what an enterprise or a reviewer reads instead of fact names."""
    meta = clause_meta(code)
    if meta is None:
        return [(name, str(value)) for name, value in facts.items()]
    rows = []
    for spec in meta.facts:
        if spec.name not in facts or facts[spec.name] is None:
            continue
        rows.append((spec.label, spec.display(facts[spec.name])))
    return rows


def param_rows(meta: engine.Clause, params: dict) -> list[tuple[str, str]]:
    """(Chinese label, value in words) for each param of a rule version, in the clause's order:
    "达到30" for a threshold, "不设上限" for an empty cap, choice labels for an amounts table;
    never a dict, a code or a comparator sign."""
    return [
        (spec.label, _param_text(meta, spec, params.get(spec.name, spec.serialize(spec.default))))
        for spec in meta.params
    ]


def param_unit(spec: engine.ParamSpec) -> str:
    """The unit a threshold's or tier's number is typed in: the clause's own (from the fact it
    is compared with), else read from the label (…（%）, 人数, 面积…), else 元 for money words."""
    if spec.unit:
        return spec.unit
    label = spec.label
    stated = re.search(r"（(千瓦时|次|年|人|台|个|家|元|万元|%|平方米)）", label)
    if stated:
        return stated.group(1)
    for words, unit in (
        (("%", "％", "占比", "增速", "增长率", "效益"), "%"),
        (("人数", "人）"), "人"),
        (("面积",), "平方米"),
        (("用电",), "千瓦时"),
        (("销量", "台数"), "台"),
    ):
        if any(w in label for w in words):
            return unit
    money = ("收入", "投资", "金额", "费用", "采购", "销售", "产值", "营收", "额")
    return "元" if any(w in label for w in money) else ""


def _param_text(meta: engine.Clause, spec, raw: object) -> str:
    try:
        value = spec.parse(raw)
    except ValueError:
        return str(raw)
    kind = spec.kind
    if kind in ("money", "cap"):
        return "不设上限" if value is None else yuan(value)
    if kind == "percent":
        return pct(value)
    if kind == "comparator":
        return OPS[value]
    if kind == "threshold":
        return value.words(param_unit(spec))
    if kind == "tiers":
        unit = param_unit(spec)
        return "；".join(f"{tier.threshold.words(unit)}：{yuan(tier.amount)}" for tier in value)
    if kind == "amounts":
        names = choice_names(meta, set(value))
        return "；".join(f"{names.get(key, key)}：{yuan(amount)}" for key, amount in value.items())
    return num(value)


def choice_names(meta: engine.Clause, keys: set[str]) -> dict[str, str]:
    """The Chinese names of an amounts table's keys: the choices of the fact they belong to."""
    for fact in meta.facts:
        if fact.choices and keys <= set(fact.choices):
            return dict(fact.choices)
    return {}
