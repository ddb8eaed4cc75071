"""Review pages. Each view: parse input -> permission-checked fetch -> one service -> render."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from applications import ratings as rating_services
from applications import selectors as app_selectors
from applications.models import ApplicationEvent, ServiceRating
from applications.receipts import documents_for
from applications.steps import case_progress, payment_status_of
from applications.workflow import Action, Level
from portal.accounts.models import Role, User
from portal.core import pages
from portal.core.audit import audit_download
from portal.core.errors import DomainError, NotFound
from portal.core.excel import workbook_response
from portal.core.money import from_fen
from reviews import forms, listing, selectors, services
from reviews.casefile import review_case
from reviews.corrections import correction_round
from reviews.filters import QueueFilter
from reviews.reference import queue_reference

QUEUE_ROLES = (Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER, Role.LEADER, Role.SYS_ADMIN)
AUDIT_ROLES = (Role.SYS_ADMIN, Role.LEADER)


def roles(*allowed):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if request.user.role not in allowed:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


_fetch = pages.fetcher(app_selectors.access_application)


def _run(request: HttpRequest, pk: int, success: str, call) -> HttpResponse:
    try:
        call()
    except DomainError as exc:
        pages.error_messages(request, exc)
    else:
        messages.success(request, success)
    return redirect("reviews:case", pk=pk)


# --- queue ----------------------------------------------------------------------------


def _queue(request: HttpRequest) -> QueueFilter:
    return QueueFilter(request.GET, queryset=selectors.queue_scope(request.user), request=request)


@roles(*QUEUE_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _assign_batch(request)
    query = request.GET.copy()
    query.pop("page", None)
    key = selectors.queue_key(request.user, list(query.lists()), timezone.localdate())
    found, queue = None, selectors.recent_queue(key)
    if queue is None:  # not built for this user and query in the last minute
        found = _queue(request)
        queue = found.qs
        if found.is_valid():  # an invalid query is built again, to show its errors
            selectors.remember_queue(key, queue)
    filters = sorted((k, v) for k, v in query.lists() if k != "sort")
    page = selectors.queue_page(
        queue, request.GET.get("page"), estimate_key=f"{request.user.pk}:{filters}", memo_key=key
    )
    ref = queue_reference()
    can_assign = request.user.role in (Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER)
    prefix = reverse("reviews:case", args=[0]).removesuffix("0/")
    names = selectors.queue_assignee_names(page.object_list, ref.reviewer_names)
    rows = [
        listing.row_html(row, ref, names=names, can_assign=can_assign, case_prefix=prefix)
        for row in page
    ]
    return render(
        request,
        "reviews/queue.html",
        {
            "filter": found,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "options": listing.filter_options(ref, request.GET),
            "can_assign": can_assign,
            "assignees": ref.assignees(request.user) if can_assign else [],
        },
    )


def _assign_batch(request: HttpRequest) -> HttpResponse:
    assignee = User.objects.filter(username=request.POST.get("assignee", "")).first()
    try:
        if assignee is None:
            raise DomainError("请选择经办人。")
        count = services.review_assign_batch(
            application_ids=request.POST.getlist("cases"), user=request.user, assignee=assignee
        )
    except DomainError as exc:
        pages.error_messages(request, exc)
    else:
        messages.success(request, f"已将 {count} 个案件分派给 {assignee}。")
    return redirect(f"{request.path}?{request.GET.urlencode()}")


@roles(*QUEUE_ROLES)
def queue_export(request: HttpRequest) -> HttpResponse:
    rows = (
        (
            a.number,
            a.enterprise.name,
            a.enterprise.credit_code,
            a.enterprise.district.name,
            a.clause.policy.doc_number,
            str(a.clause),
            a.period,
            a.get_status_display(),
            from_fen(a.amount_fen),
            a.due_on,
            {"overdue": "已逾期", "soon": "即将到期"}.get(a.urgency, ""),
            str(a.review.assignee) if a.assigned_here else "",
        )
        for a in _queue(request).qs
    )
    headers = ["案件编号", "企业名称", "统一社会信用代码", "区县", "政策文号", "条款", "申报期",
               "状态", "金额（元）", "办理期限", "期限提示", "经办人"]  # fmt: skip
    return workbook_response(
        filename=f"审核队列-{timezone.localdate():%Y%m%d}.xlsx",
        sheet="审核队列",
        headers=headers,
        rows=rows,
        money_columns=[8],
    )


# --- one case -------------------------------------------------------------------------


@roles(*QUEUE_ROLES)
def case(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    read = review_case(request.user, application)
    permission, level, ceiling = read.permission, read.level, read.ceiling
    actions = {t.action for t in app_selectors.actions_for(request.user, application)}
    checks = selectors.current_checks(application)
    corrected = correction_round(application)
    corrected_keys = {(c.kind, c.target): c for c in corrected}
    grid = forms.check_rows(application)
    for row in grid:
        row["check"] = checks.get((row["kind"], row["target"]))
        row["corrected"] = corrected_keys.get((row["kind"], row["target"]))
    events = read.events
    progress = case_progress(application, events=events, payment=payment_status_of(application))
    context = {
        **progress,
        "documents": documents_for(application),
        "rating": ServiceRating.objects.filter(application=application).first(),
        "application": application,
        "permission": permission,
        "level": level,
        "assignee": read.assignee,
        "reviewers": selectors.reviewers_for(application) if permission.allowed else [],
        "grid": grid,
        "corrected": corrected,
        "history": selectors.check_history_shown(application),
        "raised": read.raised,
        "unchecked": read.unchecked,
        "materials": application.clause.materials or [],
        "checklist": app_selectors.material_checklist(application),
        "events": events,
        "ceiling": ceiling,
        "corrections": ceiling.correction_lines(application.clause.code) if ceiling else [],
        "ceiling_error": read.ceiling_error,
        "in_review": read.in_review,
        "can_reject": permission.allowed and Action.REJECT in actions,
        "approve_form": forms.ApproveForm(initial={"amount": ceiling.amount if ceiling else None}),
        "return_form": forms.ReturnForm(),
        "reject_form": forms.RejectForm(),
        "override_form": forms.OverrideForm(),
        "is_reviewer": request.user.role in (Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER),
        "level_label": Level(level).label if level else "",
    }
    return render(request, "reviews/case.html", context)


REVIEWER = (Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER)


@require_POST
@roles(*REVIEWER)
def case_claim(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    return _run(
        request,
        pk,
        "已认领。",
        lambda: services.review_claim(application=application, user=request.user),
    )


@require_POST
@roles(*REVIEWER)
def case_subject(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    return _run(
        request,
        pk,
        "申报对象已核实。",
        lambda: services.review_subject_verify(
            application=application,
            user=request.user,
            subject=request.POST.get("subject", ""),
            comment=request.POST.get("comment", ""),
        ),
    )


@require_POST
@roles(*REVIEWER)
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    assignee = User.objects.filter(username=request.POST.get("assignee", "")).first()

    def call():
        if assignee is None:
            raise DomainError("请选择经办人。")
        services.review_assign(application=application, user=request.user, assignee=assignee)

    return _run(request, pk, "已分派。", call)


@require_POST
@roles(*REVIEWER)
def case_checks(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    checks = forms.checks_from_post(application, request.POST)
    return _run(
        request,
        pk,
        f"已记录 {len(checks)} 项审核结果。",
        lambda: services.review_checks_record(
            application=application, user=request.user, checks=checks
        ),
    )


@require_POST
@roles(*REVIEWER)
def case_confirm_raise(request: HttpRequest, pk: int, check_id: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    return _run(
        request,
        pk,
        "已复核确认上调的核实值。",
        lambda: services.review_fact_raise_confirm(
            application=application, user=request.user, check_id=check_id
        ),
    )


@require_POST
@roles(*REVIEWER)
def case_return(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    form = forms.ReturnForm(request.POST)
    form.is_valid()
    return _run(
        request,
        pk,
        "已退回企业补正。",
        lambda: services.review_return(
            application=application,
            user=request.user,
            comment=form.cleaned_data.get("comment", ""),
        ),
    )


@require_POST
@roles(*REVIEWER)
def case_approve(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    data = request.POST
    return _run(
        request,
        pk,
        "已审核通过。",
        lambda: services.review_approve(
            application=application,
            user=request.user,
            amount=data.get("amount", ""),
            reason_code=data.get("reason_code", ""),
            reason_text=data.get("reason_text", ""),
            comment=data.get("comment", ""),
        ),
    )


@require_POST
@roles(*REVIEWER)
def case_reject(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    return _run(
        request,
        pk,
        "已作出不予支持决定。",
        lambda: services.review_reject(
            application=application, user=request.user, reason=request.POST.get("reason", "")
        ),
    )


@require_POST
@roles(*REVIEWER)
def case_override(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    reviewer = User.objects.filter(username=request.POST.get("reviewer", "")).first()

    def call():
        if reviewer is None:
            raise DomainError("未找到该审核人员。")
        services.conflict_override_approve(
            application=application,
            reviewer=reviewer,
            approver=request.user,
            reason=request.POST.get("reason", ""),
        )

    return _run(request, pk, "已批准回避豁免。", call)


@roles(*REVIEWER)
def conflicts(request: HttpRequest) -> HttpResponse:
    form = forms.ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            pages.error_messages(request, exc)
        else:
            messages.success(request, "已登记利害关系，该企业的案件将不再分派给您。")
            return redirect("reviews:conflicts")
    declared = request.user.conflicts.filter(withdrawn_at__isnull=True)
    return render(request, "reviews/conflicts.html", {"form": form, "declared": declared})


# --- 好差评: the office's follow-up of a 差评 ---------------------------------------------


@roles(Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER, Role.LEADER, Role.SYS_ADMIN)
def ratings(request: HttpRequest) -> HttpResponse:
    """差评回访: the 差评 the user's office answers for, open ones first, by deadline."""
    qs = rating_services.follow_up_scope(request.user).order_by(
        F("followed_up_at").desc(nulls_first=True), "follow_up_due", "pk"
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        (r, rating_services.can_follow_up(request.user, r), r.follow_up_overdue(today))
        for r in page.object_list
    ]
    return render(
        request,
        "reviews/ratings.html",
        {"page": page, "rows": rows, "days": rating_services.follow_up_workdays()},
    )


@require_POST
@roles(*REVIEWER)
def rating_follow_up(request: HttpRequest, rating_id: int) -> HttpResponse:
    try:
        rating_services.rating_follow_up_record(
            rating_id=rating_id, user=request.user, note=request.POST.get("note", "")
        )
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        pages.error_messages(request, exc)
    else:
        messages.success(request, "已登记回访整改情况，企业可在案件页面看到。")
    return redirect("reviews:ratings")


# --- notices --------------------------------------------------------------------------


@roles(Role.CITY_REVIEWER, Role.LEADER)
def notices(request: HttpRequest) -> HttpResponse:
    form = forms.NoticeForm(request.POST or None)
    # 发布公示 publishes the ticked cases (none is ticked at first); 全部发布（N件） the N cases
    # the list showed (sent with it), never cases approved since the page was read
    everything = request.POST.get("publish") == "all"
    chosen = request.POST.getlist("listed" if everything else "cases")
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.notice_batch_create(
                user=request.user,
                application_ids=chosen,
                title=form.cleaned_data["title"],
                window_days=form.cleaned_data["window_days"],
            )
        except DomainError as exc:
            pages.error_messages(request, exc)
        else:
            messages.success(
                request, f"已发布公示“{batch.title}”，公示期至 {batch.closes_on:%Y年%m月%d日}。"
            )
            return redirect("reviews:notices")
    today = timezone.localdate()
    ended_only = request.GET.get("state") == "ended"  # 公示期满待办结 from the home page
    batches = selectors.notice_batch_list(request.user, ended_on=today if ended_only else None)
    return render(
        request,
        "reviews/notices.html",
        {
            "form": form,
            "candidates": list(selectors.notice_candidates(request.user)),
            "ticked": set() if everything else set(chosen),  # kept after a refusal
            "batches": Paginator(batches, 10).get_page(request.GET.get("page")),
            "today": today,
            "ended_only": ended_only,
            "can_close": request.user.role == Role.CITY_REVIEWER,
            "can_triage": selectors.can_triage_objections(request.user),
            "triage_form": forms.TriageForm(auto_id=False),
        },
    )


@roles(Role.CITY_REVIEWER)
@require_POST
def notice_close(request: HttpRequest, batch_id: int) -> HttpResponse:
    """办结 one notice whose period has ended (what ``close_notices`` does each night)."""
    try:
        result = services.notice_batch_close(batch_id=batch_id, user=request.user)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        pages.error_messages(request, exc)
    else:
        done = f"已办结公示，确定支持 {len(result.determined)} 件。"
        if not result.closed:
            done = f"确定支持 {len(result.determined)} 件；仍有异议待核查的案件，核查后再办结。"
        messages.success(request, done)
    return redirect("reviews:notices")


def notice_public(request: HttpRequest) -> HttpResponse:
    """Public: no login. The notices whose window is open today."""
    entries = selectors.notice_public_entries()
    if request.GET.get("format") == "xlsx":
        rows = (
            (
                e.batch.title,
                e.application.enterprise.name,
                e.application.clause.policy.doc_number,
                f"第{e.application.clause.article}条 {e.application.clause.title}",
                from_fen(e.amount_fen),
                e.batch.opens_on,
                e.batch.closes_on,
            )
            for e in entries
        )
        return workbook_response(
            filename=f"拟支持企业公示-{timezone.localdate():%Y%m%d}.xlsx",
            sheet="公示名单",
            headers=[
                "公示批次",
                "企业名称",
                "政策文号",
                "条款",
                "拟支持金额（元）",
                "公示开始",
                "公示截止",
            ],
            rows=rows,
            money_columns=[4],
        )
    return render(
        request,
        "reviews/notice_public.html",
        {
            "entries": entries,
            "notice_publisher": settings.PORTAL_NOTICE_PUBLISHER,
            "notice_phone": settings.PORTAL_NOTICE_PHONE,
        },
    )


@login_required
def notice_object(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.notice_public_entries().filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    permission = selectors.objector_permission(request.user)
    form = forms.ObjectionForm(request.POST or None, initial={"name": request.user.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_file(user=request.user, entry_id=entry.pk, **form.cleaned_data)
        except DomainError as exc:
            pages.error_messages(request, exc)
        else:
            messages.success(request, "异议已受理，市工信局将核查后答复；核查期间该案件暂不确定。")
            return redirect("reviews:notice_public")
    context = {
        "entry": entry,
        "form": form,
        "permission": permission,
        "enterprise": selectors.objector_enterprise(request.user),
    }
    return render(request, "reviews/objection.html", context)


@require_POST
@roles(Role.CITY_REVIEWER)
def objection_accept(request: HttpRequest, objection_id: int) -> HttpResponse:
    return _triage(
        request, objection_id, services.objection_accept, "已确认异议成立，案件撤出公示。"
    )


@require_POST
@roles(Role.CITY_REVIEWER)
def objection_dismiss(request: HttpRequest, objection_id: int) -> HttpResponse:
    return _triage(request, objection_id, services.objection_dismiss, "已驳回异议，案件继续公示。")


def _triage(request: HttpRequest, objection_id: int, service, success: str) -> HttpResponse:
    form = forms.TriageForm(request.POST)
    form.is_valid()
    try:
        service(
            objection_id=objection_id,
            user=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        pages.error_messages(request, exc)
    else:
        messages.success(request, success)
    return redirect("reviews:notices")


# --- audit ----------------------------------------------------------------------------


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _audit(request: HttpRequest):
    g = request.GET
    return selectors.audit_events(
        user=request.user,
        actor=g.get("actor", "").strip(),
        application=g.get("case", "").strip(),
        enterprise=g.get("enterprise", "").strip(),
        action=g.get("action", ""),
        since=_date(g.get("since", "")),
        until=_date(g.get("until", "")),
    )


@roles(*AUDIT_ROLES)
def audit(request: HttpRequest) -> HttpResponse:
    events = _audit(request)
    if request.GET.get("format") == "xlsx":
        audit_download(request, what="audit")
        rows = (
            (
                timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                e.application.number,
                e.application.enterprise.name,
                e.action_label,
                str(e.actor or "系统"),
                e.level,
                e.from_status,
                e.to_status,
                e.comment,
            )
            for e in events.iterator()
        )
        return workbook_response(
            filename=f"审计日志-{timezone.localdate():%Y%m%d}.xlsx",
            sheet="审计日志",
            headers=[
                "时间",
                "案件编号",
                "企业",
                "事项",
                "操作人",
                "层级",
                "原状态",
                "新状态",
                "意见",
            ],
            rows=rows,
        )
    query = request.GET.copy()
    query.pop("page", None)
    actions = [*Action.choices, ("claimed", "认领"), ("assigned", "分派"),
               ("checks_recorded", "材料审核"), ("conflict_override", "批准回避豁免"),
               ("objection_filed", "收到公示异议"), ("objection_dismissed", "公示异议不成立"),
               (ApplicationEvent.CREATED, "创建草稿"), (ApplicationEvent.MATERIAL, "上传材料")]  # fmt: skip
    return render(
        request,
        "reviews/audit.html",
        {
            "page": Paginator(events, 50).get_page(request.GET.get("page")),
            "query": query.urlencode(),
            "actions": actions,
        },
    )
