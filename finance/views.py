"""Finance pages. Each view: parse input -> permission-checked fetch -> one service -> render."""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from applications.selectors import access_application
from finance import excel, selectors, services
from finance.forms import (
    BankReturnForm,
    BatchFilterForm,
    ClawbackOpenForm,
    MarkFailedForm,
    MarkPaidForm,
    RepaymentForm,
    ShareFilterForm,
    apply_domain_errors,
)
from finance.models import Clawback
from finance.permissions import (
    READ_ALL_ROLES,
    can_confirm_milestone,
    can_manage_clawbacks,
    can_operate_payments,
)
from finance.services.batches import paid_on_range
from finance.services.payee import batch_payee_notes, payee_change
from portal.accounts.models import Role
from portal.accounts.reauth import reauth_is_recent, recent_auth_required
from portal.core import pages
from portal.core.audit import audit_download
from portal.core.errors import DomainError, NotFound, PermissionRefused
from portal.core.money import from_fen

READERS = READ_ALL_ROLES | {Role.FINANCE}


def finance_reader(view):
    """Finance officers (their bureau's rows), leaders and administrators (read-only: all, or
    a district leader's district)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.role not in READERS:
            return pages.refused(request, "该页面供财政局经办人使用。")
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc
        except PermissionRefused as exc:
            return pages.refused(request, exc.message)

    return wrapper


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=excel.XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return query.urlencode()


# --- shares -----------------------------------------------------------------------------


SHARE_HEADERS = (
    "案件编号",
    "企业",
    "政策",
    "条",
    "期次",
    "付款方",
    "金额（元）",
    "应付日期",
    "状态",
)


def _share_row(share) -> list:
    application = share.payable.application
    return [
        application.number,
        application.enterprise.name,
        application.clause.policy.doc_number,
        application.clause.article,
        share.payable.instalment_no,
        share.payer_label,
        from_fen(share.amount_fen),
        share.due_date,
        share.get_status_display(),
    ]


@finance_reader
def shares(request: HttpRequest) -> HttpResponse:
    form = ShareFilterForm(request.GET or None)
    qs = selectors.share_list(user=request.user, **form.filters())
    if request.GET.get("export") == "xlsx":
        content = excel.workbook_bytes(
            "待兑付资金", SHARE_HEADERS, (_share_row(s) for s in qs.iterator())
        )
        return _xlsx(content, f"待兑付资金{timezone.localdate():%Y%m%d}.xlsx")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for share in page.object_list:
        share.payee_note = payee_change(share)
    return render(
        request,
        "finance/shares.html",
        {
            "form": form,
            "page": page,
            "totals": selectors.totals(qs),
            "today": timezone.localdate(),
            "query": _query_without_page(request),
            "can_confirm": can_confirm_milestone(request.user)[0],
            "can_operate": can_operate_payments(request.user)[0],
        },
    )


# --- batches ----------------------------------------------------------------------------


@finance_reader
def batches(request: HttpRequest) -> HttpResponse:
    can_operate, why = can_operate_payments(request.user)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = BatchFilterForm(data)
    due = selectors.shares_due_for_batch(user=request.user, **form.filters())
    if request.method == "POST":
        if not can_operate:
            return pages.refused(request, why)
        if form.is_valid():
            try:
                batch = services.payment_batch_create(
                    actor=request.user,
                    share_ids=list(due.values_list("pk", flat=True)),
                    note=form.cleaned_data.get("note", ""),
                )
            except DomainError as exc:
                apply_domain_errors(form, exc)
            else:
                messages.success(request, f"已生成拨付批次{batch.number}。")
                return redirect("finance:batch", batch.pk)
    return render(
        request,
        "finance/batches.html",
        {
            "form": form,
            "due_totals": selectors.totals(due),
            "due_preview": due[:20],
            "batches": selectors.batch_list(user=request.user)[:100],
            "can_operate": can_operate,
            "why": why,
        },
    )


@finance_reader
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    found = selectors.access_batch(request.user, batch_id)
    can_operate, why = can_operate_payments(request.user)
    items = list(selectors.batch_items(found))
    notes = batch_payee_notes(items)
    allowed_dates = paid_on_range(found)
    for item in items:
        item.payee_note = notes.get(item.pk, "")
        # one form per row, each with its own ids so every label names its own input
        item.paid_form = MarkPaidForm(auto_id=f"id_%s_{item.pk}", paid_on_range=allowed_dates)
        item.failed_form = MarkFailedForm(auto_id=f"id_%s_{item.pk}")
    return render(
        request,
        "finance/batch.html",
        {
            "batch": found,
            "items": items,
            "totals": selectors.batch_totals(found),
            "can_operate": can_operate,
            "why": why,
            "reauth_recent": reauth_is_recent(request),
            "return_form": BankReturnForm(),
        },
    )


@finance_reader
def batch_export(request: HttpRequest, batch_id: int) -> HttpResponse:
    found = selectors.access_batch(request.user, batch_id)
    content = excel.bank_list(selectors.batch_items(found))
    audit_download(request, what="bank_list", object_ref=f"finance.PaymentBatch:{found.pk}")
    return _xlsx(content, f"银行支付清单{found.number}.xlsx")


def _batch_action(request: HttpRequest, batch_id: int, share_id: int, form_class, action):
    found = selectors.access_batch(request.user, batch_id)
    share = selectors.access_share(request.user, share_id)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("finance:batch", found.pk)
    try:
        changed = action(batch=found, share=share, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "已登记。" if changed else "该结果此前已登记，未作变更。")
    return redirect("finance:batch", found.pk)


def _batch_page(request: HttpRequest, batch_id: int, **kwargs) -> str:
    return reverse("finance:batch", args=[batch_id])


PAID_FIELDS = {name: str(field.label) for name, field in MarkPaidForm.base_fields.items()}


@require_POST
@finance_reader
@recent_auth_required("登记已支付", back=_batch_page, show=PAID_FIELDS)
def batch_mark_paid(request: HttpRequest, batch_id: int, share_id: int) -> HttpResponse:
    return _batch_action(
        request, batch_id, share_id, MarkPaidForm, services.payment_batch_mark_paid
    )


@require_POST
@finance_reader
@recent_auth_required("核实收款账户变更", back=lambda request, **kw: reverse("finance:shares"))
def payee_reverify(request: HttpRequest, share_id: int) -> HttpResponse:
    share = selectors.access_share(request.user, share_id)
    try:
        services.share_payee_reverify(
            share=share, actor=request.user, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已核实收款账户变更：{share.payable.application.number}。")
    return redirect("finance:shares")


@require_POST
@finance_reader
def batch_mark_failed(request: HttpRequest, batch_id: int, share_id: int) -> HttpResponse:
    return _batch_action(
        request, batch_id, share_id, MarkFailedForm, services.payment_batch_mark_failed
    )


@require_POST
@finance_reader
@recent_auth_required("上传银行回单并登记", back=_batch_page)
def batch_upload_return(request: HttpRequest, batch_id: int) -> HttpResponse:
    found = selectors.access_batch(request.user, batch_id)
    form = BankReturnForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择银行回单文件（.xlsx）。")
        return redirect("finance:batch", found.pk)
    try:
        summary = services.payment_batch_apply_bank_return(
            batch=found, actor=request.user, file=form.cleaned_data["file"]
        )
    except DomainError as exc:
        for key, message in exc.errors.items():
            messages.error(request, message if key == "file" else f"{key}：{message}")
    else:
        messages.success(request, str(summary))
    return redirect("finance:batch", found.pk)


@require_POST
@finance_reader
def milestone_confirm(request: HttpRequest, share_id: int) -> HttpResponse:
    share = selectors.access_share(request.user, share_id)
    try:
        services.payable_confirm_milestone(payable=share.payable, actor=request.user)
    except DomainError as exc:
        if isinstance(exc, NotFound | PermissionRefused):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "已确认里程碑，该期资金可以组批拨付。")
    return redirect("finance:shares")


# --- reconciliation and 配套未到位 -----------------------------------------------------------


RECON_HEADERS = (
    "政策",
    "付款方",
    "年度",
    "笔数",
    "确定",
    "已付",
    "待拨付",
    "已组批",
    "失败",
    "取消",
)
RECON_KEYS = ("policy", "payer", "year", "count", "determined", "paid", "scheduled", "in_batch")


@finance_reader
def reconciliation(request: HttpRequest) -> HttpResponse:
    rows = selectors.reconciliation(user=request.user)
    if request.GET.get("export") == "xlsx":
        keys = (*RECON_KEYS, "failed", "cancelled")
        content = excel.workbook_bytes("对账", RECON_HEADERS, ([r[k] for k in keys] for r in rows))
        return _xlsx(content, f"资金对账{timezone.localdate():%Y%m%d}.xlsx")
    return render(
        request,
        "finance/reconciliation.html",
        {"rows": rows, "backlog": selectors.awards_without_payables(user=request.user)},
    )


@finance_reader
def unmatched(request: HttpRequest) -> HttpResponse:
    qs = selectors.unmatched_list(user=request.user)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "finance/unmatched.html", {"page": page, "today": timezone.localdate()})


# --- clawbacks (sys_admin) ------------------------------------------------------------------


@login_required
def clawbacks(request: HttpRequest) -> HttpResponse:
    allowed, why = can_manage_clawbacks(request.user)
    if not allowed:
        return pages.refused(request, why)
    form = ClawbackOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = access_application(request.user, data["application_id"])
        except NotFound:
            form.add_error("application_id", "未找到该案件。")
        else:
            try:
                services.clawback_open(
                    application=application,
                    actor=request.user,
                    finding=data["finding"],
                    amount=data["amount"],
                    due_date=data["due_date"],
                    block_until=data["block_until"],
                )
            except DomainError as exc:
                apply_domain_errors(form, exc)
            else:
                messages.success(request, "已发起资金追回。")
                return redirect("finance:clawbacks")
    return render(
        request,
        "finance/clawbacks.html",
        {
            "form": form,
            "clawbacks": selectors.clawback_list()[:200],
            "repayment_form": RepaymentForm(initial={"received_on": timezone.localdate()}),
        },
    )


@require_POST
@login_required
def clawback_repayment(request: HttpRequest, clawback_id: int) -> HttpResponse:
    allowed, why = can_manage_clawbacks(request.user)
    if not allowed:
        return pages.refused(request, why)
    clawback = Clawback.objects.filter(pk=clawback_id).first()
    if clawback is None:
        raise Http404
    form = RepaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("finance:clawbacks")
    try:
        services.clawback_record_repayment(
            clawback=clawback, actor=request.user, **form.cleaned_data
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已登记追回款到账。")
    return redirect("finance:clawbacks")
