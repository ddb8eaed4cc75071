"""Policy library pages, the calculator page and the rule editor (thin: selectors + services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from policies import engine, selectors
from policies.forms import FactsForm, RuleParamsForm, initial_from_facts, unique_facts
from policies.impact import impact_cases
from policies.models import Calculation, Clause, Policy
from policies.rules import rule_version_on
from policies.services import awards_estimate, clause_rule_impact, clause_rule_publish
from policies.windows import policy_windows
from portal.accounts.models import Role
from portal.accounts.reauth import reauth_is_recent, reauth_redirect
from portal.core import links
from portal.core.errors import DomainError


def policy_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    policies = selectors.policy_list(
        q=g.get("q", "").strip(),
        level=g.get("level", "") if g.get("level") in Policy.Level.values else "",
        department=g.get("department", "").strip(),
        category=g.get("category", "") if g.get("category") in Clause.Category.values else "",
        redemption_mode=g.get("mode", "") if g.get("mode") in Clause.Redemption.values else "",
        open_now=g.get("open_now") == "1",
    ).prefetch_related("clauses")
    today = timezone.localdate()
    windows = selectors.policy_windows_by_code(policies, today=today)
    rows = [(p, p.status_on(today), windows[p.code]) for p in policies]
    return render(
        request,
        "policies/list.html",
        {
            "rows": rows,
            "levels": Policy.Level.choices,
            "categories": Clause.Category.choices,
            "modes": Clause.Redemption.choices,
            "statuses": dict(Policy.Status.choices),
            "filters": g,
        },
    )


def policy_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        policy = selectors.policy_get(code)
    except Policy.DoesNotExist as exc:
        raise Http404 from exc
    if policy.status == Policy.Status.DRAFT and not _can_edit_rules(request.user):
        raise Http404  # a policy still being built in the studio is not public yet
    today = timezone.localdate()
    clauses = [
        (c, selectors.clause_meta(c.code), selectors.clause_window(c, today))
        for c in policy.clauses.all()
    ]
    return render(
        request,
        "policies/detail.html",
        {
            "policy": policy,
            "status": Policy.Status(policy.status_on(today)).label,
            "in_force": policy.status_on(today) == Policy.Status.IN_FORCE,
            "clauses": clauses,
            "can_edit": _can_edit_rules(request.user),
            "windows": policy_windows([c for c, _, _ in clauses], today),
        },
    )


def clause_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        clause = selectors.clause_get(code)
    except Clause.DoesNotExist as exc:
        raise Http404 from exc
    meta = selectors.clause_meta(clause.code)
    current = rule_version_on(clause)
    return render(
        request,
        "policies/clause.html",
        {
            "clause": clause,
            "meta": meta,
            "current": current,
            "param_rows": selectors.param_rows(meta, current.params) if meta and current else [],
            "versions": selectors.clause_versions(clause),
            "can_edit": _can_edit_rules(request.user),
            "window": selectors.clause_window(clause),
            "in_force": clause.policy.status_on(timezone.localdate()) == Policy.Status.IN_FORCE,
            "can_apply": getattr(request.user, "role", None) == Role.ENTERPRISE,
        },
    )


def _prefill(user) -> dict[str, object]:
    """Facts from the enterprise's stored indicators (the enterprises app provides them)."""
    return links.FACTS_PREFILL(user) or {}


@login_required
def calculator(request: HttpRequest) -> HttpResponse:
    policies = list(Policy.objects.exclude(status=Policy.Status.DRAFT).order_by("-issued_on"))
    known = set(engine.clause_codes())
    today = timezone.localdate()
    windows = selectors.policy_windows_by_code(policies, today=today)
    # by default the newest policy people can apply under now, else the newest
    taking = [p for p in policies if windows[p.code].open]
    code = (
        request.GET.get("policy")
        or request.POST.get("policy")
        or ((taking or policies)[0].code if policies else "")
    )
    clauses = [
        c
        for c in selectors.clauses_with_windows().filter(policy__code=code).order_by("article")
        if c.code in known
    ]
    metas = [engine.get_clause(c.code) for c in clauses]
    specs = unique_facts(metas)
    results = None
    if request.method == "POST":
        form = FactsForm(request.POST, specs=specs)
        if form.is_valid():
            results = _calculate_all(form, clauses, metas, request.user)
    else:
        form = FactsForm(initial=initial_from_facts(_prefill(request.user)), specs=specs)
    chosen = next((p for p in policies if p.code == code), None)
    return render(
        request,
        "policies/calculator.html",
        {
            "policies": [
                (p, p.status_on(today) == Policy.Status.IN_FORCE, windows[p.code]) for p in policies
            ],
            "policy": chosen,
            "windows": windows.get(chosen.code) if chosen else None,
            "in_force": chosen is not None and chosen.status_on(today) == Policy.Status.IN_FORCE,
            "form": form,
            "results": results,
            "total": sum((r["result"].amount for r in (results or []) if r.get("result")), start=0),
        },
    )


def _calculate_all(form: FactsForm, clauses, metas, user) -> list[dict]:
    estimates = awards_estimate(
        facts=form.facts(), clauses=clauses, source=Calculation.Source.CALCULATOR, user=user
    )
    results = []
    for estimate, meta in zip(estimates, metas, strict=True):
        row = {
            "clause": estimate.clause,
            "meta": meta,
            "window": selectors.clause_window(estimate.clause),
        }
        if estimate.missing:
            row["missing"] = list(estimate.missing)
        elif estimate.error is not None:
            form.add_engine_errors(estimate.error)
            row["invalid"] = list(estimate.invalid)
        else:
            row["result"] = estimate.result
        results.append(row)
    return results


RULE_SHOWN = {"effective_from": "生效日期", "note": "修改说明"}


def _can_edit_rules(user) -> bool:
    return getattr(user, "role", None) in {Role.POLICY_ADMIN, Role.SYS_ADMIN}


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    if not _can_edit_rules(request.user):
        raise PermissionDenied
    clauses = (
        Clause.objects.select_related("policy")
        .prefetch_related("versions")
        .order_by("policy__code", "article")
    )
    known = set(engine.clause_codes())
    rows = [
        (c, max((v.number for v in c.versions.all()), default=0), c.code in known) for c in clauses
    ]
    return render(request, "policies/manage.html", {"rows": rows})


@login_required
def clause_rule_edit(request: HttpRequest, code: str) -> HttpResponse:
    if not _can_edit_rules(request.user):
        raise PermissionDenied
    try:
        clause = selectors.clause_get(code)
    except Clause.DoesNotExist as exc:
        raise Http404 from exc
    meta = selectors.clause_meta(code)
    if meta is None or not meta.params:
        messages.warning(request, "该条款没有可调整的计算参数（原文未规定具体金额或公式）。")
        return redirect("policies:clause", code=code)
    current = rule_version_on(clause)
    form = RuleParamsForm(
        request.POST or None,
        clause=meta,
        current=current.params if current else {},
        initial={"effective_from": timezone.localdate()},
    )
    publishing = request.method == "POST" and request.POST.get("action") == "publish"
    if publishing and not reauth_is_recent(request):
        return reauth_redirect(request, action="发布规则新版本", back=request.path, show=RULE_SHOWN)
    impact = None
    if request.method == "POST" and form.is_valid():
        params = form.params()
        if form.is_valid():  # params() may have added JSON errors
            try:
                if request.POST.get("action") == "publish":
                    version = clause_rule_publish(
                        clause=clause,
                        params=params,
                        effective_from=form.cleaned_data["effective_from"],
                        actor=request.user,
                        note=form.cleaned_data.get("note") or "",
                    )
                    messages.success(
                        request,
                        f"已发布 {clause} 第 {version.number} 版规则，自 {version.effective_from} 起生效。",
                    )
                    return redirect("policies:clause", code=code)
                impact = clause_rule_impact(
                    clause=clause, params=params, cases=impact_cases(clause)
                )
            except engine.ParamError as exc:
                form.add_param_errors(exc)
            except DomainError as exc:
                form.add_param_errors(exc)
    return render(
        request,
        "policies/rule_edit.html",
        {"clause": clause, "meta": meta, "current": current, "form": form, "impact": impact},
    )
