"""Case pages. Each view: parse input -> permission-checked fetch -> one service -> render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from applications import files, ratings, receipts, selectors, services, steps, workflow
from applications.forms import MaterialForm, NewApplicationForm, SubmitForm, WithdrawForm
from applications.models import Application, ServiceRating
from applications.services import COMMITMENT_TEXT
from applications.workflow import Level
from policies import engine
from policies.forms import FactsForm, initial_from_facts
from portal.accounts.models import Role
from portal.core import pages, text
from portal.core.audit import audit_download
from portal.core.errors import DomainError, NotFound
from portal.core.money import from_fen

_fetch = pages.fetcher(selectors.access_application)


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.application_list(user=request.user, status=request.GET.get("status", ""))
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/list.html",
        {
            "page": page,
            "is_enterprise": request.user.role == Role.ENTERPRISE,
            "statuses": workflow.Status.choices,
        },
    )


@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.ENTERPRISE:
        raise Http404
    open_clauses, closed = selectors.clauses_for_application()
    chosen = request.GET.get("clause", "")  # 立即申报 from 为我推荐 or a clause page
    form = NewApplicationForm(
        request.POST or None,
        clauses=open_clauses,
        initial={"clause": chosen} if chosen.isdigit() else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create_draft(
                user=request.user,
                clause=form.cleaned_data["clause"],
                period=form.cleaned_data["period"],
                subject=form.cleaned_data["subject"],
            )
        except DomainError as exc:
            fields = {k: v for k, v in exc.errors.items() if k in form.fields}
            for name, message in fields.items():
                form.add_error(name, message)
            if not fields:
                pages.error_messages(request, exc)
        else:
            return redirect("applications:edit", pk=application.pk)
    rules = [(c, selectors.award_rule(c)) for c in open_clauses]
    return render(
        request,
        "applications/new.html",
        {"form": form, "closed": closed, "rules": rules, "open": open_clauses},
    )


def _facts_form(application: Application, data=None) -> FactsForm:
    specs = list(engine.get_clause(application.clause.code).facts)
    return FactsForm(data, specs=specs, initial=initial_from_facts(application.facts))


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    if selectors.acting_level(request.user, application) != Level.ENTERPRISE:
        raise Http404
    if application.status not in services.EDITABLE:
        return redirect("applications:detail", pk=application.pk)
    form = _facts_form(application, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.application_update_draft(
                application=application, user=request.user, facts=form.facts()
            )
        except DomainError as exc:
            pages.error_messages(request, exc)
        else:
            if saved.errors:
                form.add_engine_errors(engine.EngineError(saved.errors))
            else:
                messages.success(request, "已保存，测算金额已更新。")
                return redirect("applications:edit", pk=application.pk)
    return render(request, "applications/edit.html", _case_context(application, form=form))


def _case_context(application: Application, **extra) -> dict:
    calculation = application.calculation
    return {
        "application": application,
        "estimate": from_fen(application.estimated_amount_fen),
        "result": calculation.result if calculation else None,
        "checklist": selectors.material_checklist(application),
        "material_form": MaterialForm(),
        "problems": selectors.submit_problems(application),
        "submit_form": SubmitForm(),
        "commitment": COMMITMENT_TEXT,
        "max_size": files.MAX_MATERIAL_LABEL,
        "allowed": files.ALLOWED_LABEL,
        **extra,
    }


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _fetch(request.user, pk))


def _detail(request: HttpRequest, application: Application, **rating_state) -> HttpResponse:
    level = selectors.acting_level(request.user, application)
    is_enterprise = request.user.role == Role.ENTERPRISE
    actions = {t.action for t in selectors.actions_for(request.user, application)}
    events = list(selectors.application_events(application, for_enterprise=is_enterprise))
    payment = steps.payment_status_of(application)
    context = _case_context(
        application,
        events=events,
        **steps.case_progress(application, events=events, payment=payment),
        corrections=application.corrections.filter(resolved_at__isnull=True),
        next_step=workflow.NEXT_STEPS.get(application.status, ""),
        is_enterprise=is_enterprise,
        can_withdraw=workflow.Action.WITHDRAW in actions,
        can_resubmit=workflow.Action.RESUBMIT in actions,
        can_edit=level == Level.ENTERPRISE and application.status in services.EDITABLE,
        withdraw_form=WithdrawForm(),
        payment=payment,
        documents=receipts.documents_for(application),
        **_rating_context(request.user, application, **rating_state),
    )
    return render(request, "applications/detail.html", context)


def _rating_context(user, application: Application, *, errors=None, values=None) -> dict:
    can, _why = ratings.can_rate(user, application)
    rating = ServiceRating.objects.filter(application=application).first()
    return {
        "rating": rating,
        "can_rate": can,
        "rating_levels": ServiceRating.Level.choices,
        "rating_errors": errors or {},
        "rating_values": values or {},
        "rating_bad_levels": [str(v) for v in ServiceRating.BAD_LEVELS],
    }


@login_required
@require_POST
def application_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """好差评: the enterprise rates the service of its ended case once."""
    application = _fetch(request.user, pk)
    values = {"level": request.POST.get("level", ""), "comment": request.POST.get("comment", "")}
    try:
        ratings.application_rate(application=application, user=request.user, **values)
    except DomainError as exc:
        messages.error(request, exc.message)
        errors = dict(exc.errors) or {"detail": exc.message}
        return _detail(request, application, errors=errors, values=values)
    messages.success(request, "感谢您的评价。")
    return redirect(f"{reverse('applications:detail', args=[application.pk])}#rating")


@login_required
@require_POST
def material_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件。")
    else:
        try:
            services.material_upload(
                application=application,
                user=request.user,
                item=form.cleaned_data["item"],
                file=form.cleaned_data["file"],
            )
        except DomainError as exc:
            pages.error_messages(request, exc)
        else:
            messages.success(request, f"已上传：{form.cleaned_data['item']}")
    back = "detail" if request.POST.get("next") == "detail" else "edit"
    row = request.POST.get("row", "")
    place = f"#material-{row}" if row.isascii() and row.isdigit() else "#materials"
    return redirect(reverse(f"applications:{back}", args=[application.pk]) + place)


@login_required
def document_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """受理回执 / 资金拨付通知 as PDF, for whoever may read the case; the download is audited."""
    application = _fetch(request.user, pk)
    try:
        content, filename = receipts.document_pdf(application, kind)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        pages.error_messages(request, exc)
        return redirect("applications:detail", pk=application.pk)
    audit_download(
        request,
        what=f"case_{kind.replace('-', '_')}",
        object_ref=f"applications.Application:{application.pk}",
        number=application.number,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


@login_required
def material_file(request: HttpRequest, pk: int, material_id: int) -> FileResponse:
    try:
        material = selectors.access_material(request.user, pk, material_id)
    except NotFound as exc:
        raise Http404 from exc
    return FileResponse(
        material.file.open("rb"),
        as_attachment=False,
        # rows stored before names were made safe may still say poly.html
        filename=files.display_name(material.original_name, material.content_type),
        content_type=material.content_type,
    )


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        services.application_submit(
            application=application,
            user=request.user,
            commitment_accepted=bool(form.cleaned_data.get("commitment")),
        )
    except DomainError as exc:
        pages.error_messages(request, exc)
        return redirect("applications:edit", pk=application.pk)
    messages.success(request, "申报已提交，可在本页“回执与通知”中下载受理回执。")
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    try:
        services.application_withdraw(
            application=application, user=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        pages.error_messages(request, exc)
    else:
        messages.success(request, "申报已撤回。")
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def application_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request.user, pk)
    try:
        services.application_resubmit(application=application, user=request.user)
    except DomainError as exc:
        pages.error_messages(request, exc)
    else:
        messages.success(request, "补正材料已重新提交。")
    return redirect("applications:detail", pk=application.pk)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        raw = request.POST.get("id", "")
        number = text.parse_int(raw)
        if number is not None or not raw:  # no id: all of them; a bad id: none
            services.notification_mark_read(user=request.user, notification_id=number)
        return redirect("applications:notifications")
    page = Paginator(selectors.notification_list(request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "applications/notifications.html",
        {
            "page": page,
            "unread": selectors.unread_count(request.user),
            # reviewers open a message's case where they work on it, everybody else its case page
            "case_url": "reviews:case"
            if request.user.role in (Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER)
            else "applications:detail",
        },
    )
