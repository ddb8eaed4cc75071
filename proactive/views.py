"""免申即享 pages. Each view: parse input -> permission-checked fetch -> one service -> render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from applications.models import Application
from applications.services import COMMITMENT_TEXT
from policies.selectors import fact_rows
from portal.core import pages
from portal.core.errors import DomainError, NotFound, PermissionRefused
from proactive import exports, selectors, services, sources
from proactive.forms import ConfirmForm, DeclineForm, ImportForm, RunForm
from proactive.services.proposals import proposal_deadline

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _admin(request: HttpRequest) -> None:
    try:
        selectors.require_admin(request.user)
    except PermissionRefused as exc:
        raise Http404 from exc


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    _admin(request)
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.match_run_start(
                actor=request.user,
                clause_ids=[c.pk for c in form.cleaned_data["clauses"]],
                period=form.cleaned_data["period"],
            )
        except DomainError as exc:
            pages.error_messages(request, exc, fields=1)
        else:
            messages.success(request, f"比对#{run.pk}已开始，进度见下表。")
            return redirect("proactive:run", run.pk)
    return render(
        request,
        "proactive/runs.html",
        {
            "form": form,
            "import_form": ImportForm(),
            "runs": selectors.run_list(),
            "imports": selectors.import_list()[:10],
            "sources": sources.SOURCES.values(),
        },
    )


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    _admin(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if (
        request.method == "POST"
        and form.is_valid()
        and services.gov_import_in_background(form.cleaned_data["file"])
    ):
        try:
            services.gov_import_start(
                actor=request.user,
                source=form.cleaned_data["source"],
                file=form.cleaned_data["file"],
            )
        except DomainError as exc:
            pages.error_messages(request, exc, fields=1)
        else:
            messages.info(request, "文件较大，已转入后台导入；本页显示进度和导入报告。")
            return redirect("proactive:imports")
    elif request.method == "POST" and form.is_valid():
        try:
            report = services.gov_import(
                actor=request.user,
                source=form.cleaned_data["source"],
                file=form.cleaned_data["file"],
            )
        except services.GovImportRejected as exc:
            report = exc.report
            messages.error(request, exc.message)
        except DomainError as exc:
            pages.error_messages(request, exc, fields=1)
        else:
            if report.already_imported:
                messages.info(request, "该文件此前已经导入，本次没有任何变化。")
            else:
                messages.success(request, f"已导入{report.rows_imported}行。")
    return render(
        request,
        "proactive/imports.html",
        {
            "form": form,
            "report": report,
            "imports": selectors.import_list(),
            "jobs": (jobs := selectors.import_jobs()),
            "refresh": any(job.in_progress for job in jobs),
            "sources": sources.SOURCES.values(),
        },
    )


@login_required
def template_download(request: HttpRequest, source: str) -> HttpResponse:
    _admin(request)
    if source not in sources.SOURCES:
        raise Http404
    spec = sources.SOURCES[source]
    return _xlsx(sources.template(spec), spec.template_name)


def _run(request: HttpRequest, pk: int):
    try:
        return selectors.access_run(request.user, pk)
    except (NotFound, PermissionRefused) as exc:
        raise Http404 from exc


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    proposals = Paginator(selectors.run_proposals(run), 50).get_page(request.GET.get("page"))
    outreach = Paginator(selectors.run_outreach(run), 50).get_page(request.GET.get("opage"))
    return render(
        request,
        "proactive/run_detail.html",
        {
            "run": run,
            "progress": selectors.run_progress(run),
            "failures": selectors.run_failures(run),
            "clauses": run.clauses.select_related("policy"),
            "proposals": proposals,
            "outreach": outreach,
        },
    )


@login_required
@require_POST
def run_resume(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    try:
        pending = services.match_run_resume(run=run, actor=request.user)
    except DomainError as exc:
        pages.error_messages(request, exc, fields=1)
    else:
        messages.success(request, f"已重新排队，剩余{pending}个批次。")
    return redirect("proactive:run", run.pk)


@login_required
def run_export(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    return _xlsx(exports.run_workbook(run), f"免申即享比对{run.pk}-{run.period}.xlsx")


@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    pending_only = request.GET.get("state") == "pending"  # 待确认 from the home page
    rows = [
        (
            app,
            proposal_deadline(app) if app.status == selectors.PENDING else None,
            fact_rows(app.clause.code, app.facts),
        )
        for app in selectors.enterprise_proposals(request.user, pending_only=pending_only)[:100]
    ]
    enterprise = rows[0][0].enterprise if rows else None
    return render(
        request,
        "proactive/proposals.html",
        {
            "rows": rows,
            "enterprise": enterprise,
            "confirm_form": ConfirmForm(),
            "decline_form": DeclineForm(),
            "commitment_text": COMMITMENT_TEXT,
            "pending": selectors.PENDING,
            "pending_only": pending_only,
        },
    )


def _proposal(request: HttpRequest, pk: int) -> Application:
    try:
        return selectors.access_proposal(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_POST
def proposal_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    application = _proposal(request, pk)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        services.proposal_confirm(
            application=application,
            user=request.user,
            commitment_accepted=form.cleaned_data.get("commitment", False),
        )
    except DomainError as exc:
        pages.error_messages(request, exc, fields=1)
    else:
        messages.success(request, f"已确认，案件 {application.number} 进入市级复审。")
    return redirect("proactive:proposals")


@login_required
@require_POST
def proposal_decline(request: HttpRequest, pk: int) -> HttpResponse:
    application = _proposal(request, pk)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.proposal_decline(application=application, user=request.user, reason=reason)
    except DomainError as exc:
        pages.error_messages(request, exc, fields=1)
    else:
        messages.success(request, "已放弃该项奖补。")
    return redirect("proactive:proposals")
