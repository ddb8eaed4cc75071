"""Enterprise pages. Each view: parse input -> permission-checked fetch -> one service -> render."""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from enterprises import permissions, selectors, services
from enterprises.catalogue import IndicatorName
from enterprises.excel import TEMPLATE_FILENAME, indicator_template
from enterprises.facts import enterprise_facts
from enterprises.forms import (
    EnterpriseFilterForm,
    IndicatorForm,
    IndicatorImportForm,
    MemberInviteForm,
    ProfileForm,
    RegistrationForm,
    RejectForm,
    apply_domain_errors,
)
from enterprises.matching import recommendations_for
from enterprises.models import Enterprise, IndicatorSource
from portal.accounts.models import Role
from portal.core import pages
from portal.core.errors import DomainError, NotFound, PermissionRefused
from portal.core.throttling import throttle_wait

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


_fetch = pages.fetcher(selectors.access_enterprise)


def enterprise_user_required(view):
    """For the enterprise's own pages: passes ``enterprise`` (the user's) to the view."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.role != Role.ENTERPRISE:
            return pages.refused(request, "该页面供企业用户使用；工作人员请从首页进入相应功能。")
        enterprise = selectors.enterprise_for_user(request.user)
        if enterprise is None:
            return pages.refused(
                request, "您的账号尚未关联企业。请联系本企业的主账号为您添加，或联系系统管理员。"
            )
        return view(request, enterprise, *args, **kwargs)

    return wrapper


# --- registration ---------------------------------------------------------------


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("enterprises:profile" if request.user.role == Role.ENTERPRISE else "home")
    wait = throttle_wait(request, "anon_register") if request.method == "POST" else None
    if wait is not None:  # the same counter as the registration API's; nothing is checked
        typed = {k: v for k, v in request.POST.items() if not k.startswith(("password", "csrf"))}
        form = RegistrationForm(initial=typed)
        form.cleaned_data = {}  # unbound: only the refusal is shown
        form.add_error(None, f"提交过于频繁，请 {max(1, wait // 60)} 分钟后再试。")
        return render(request, "enterprises/register.html", {"form": form}, status=429)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_register(
                user_data=form.user_data(), enterprise_data=form.enterprise_data()
            )
        except DomainError as exc:
            apply_domain_errors(form, exc, rename={"password": "password1"})
        else:
            user = enterprise.members.select_related("user").get(is_primary=True).user
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "注册成功，已为您登录。企业信息已提交所在区县工信局核验。")
            return redirect("enterprises:profile")
    return render(request, "enterprises/register.html", {"form": form})


# --- the enterprise's own file ------------------------------------------------------


def _profile_context(request, enterprise: Enterprise, **extra) -> dict:
    can_submit, submit_reason = services.enterprise_can_submit(enterprise)
    return {
        "enterprise": enterprise,
        "can_submit": can_submit,
        "submit_reason": submit_reason,
        "members": selectors.enterprise_members(enterprise),
        "events": selectors.enterprise_events(enterprise)[:20],
        "can_invite": permissions.can_invite(request.user, enterprise),
        "can_resubmit": permissions.transition_check(
            request.user, enterprise, Enterprise.Status.PENDING
        ),
        "invite_form": extra.pop("invite_form", None) or MemberInviteForm(),
        **extra,
    }


@enterprise_user_required
def profile(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    return render(request, "enterprises/profile.html", _profile_context(request, enterprise))


@enterprise_user_required
def profile_edit(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    kwargs = {
        "can_edit_identity": enterprise.verification_status != Enterprise.Status.VERIFIED,
        "can_edit_bank": permissions.can_edit_bank(request.user, enterprise)[0],
        # the form works on its own copy: a rejected input must not leak into the page header
        "instance": Enterprise.objects.get(pk=enterprise.pk),
    }
    form = ProfileForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_update_profile(
                enterprise=enterprise, actor=request.user, data=form.enterprise_data()
            )
        except DomainError as exc:
            apply_domain_errors(form, exc)
        else:
            messages.success(request, "企业信息已保存。")
            return redirect("enterprises:profile")
    return render(
        request, "enterprises/profile_edit.html", {"enterprise": enterprise, "form": form}
    )


@require_POST
@enterprise_user_required
def member_invite(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    form = MemberInviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = services.member_invite(
                enterprise=enterprise,
                actor=request.user,
                username=data["username"],
                name=data["name"],
                mobile=data["mobile"],
                password=data["password1"],
            )
        except DomainError as exc:
            apply_domain_errors(form, exc, rename={"password": "password1"})
        else:
            messages.success(
                request, f"已添加企业用户 {user.username}，请将用户名和初始密码告知本人。"
            )
            return redirect("enterprises:profile")
    context = _profile_context(request, enterprise, invite_form=form, invite_open=True)
    return render(request, "enterprises/profile.html", context, status=400)


@require_POST
@enterprise_user_required
def resubmit(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    try:
        services.enterprise_resubmit_verification(enterprise=enterprise, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已重新提交核验，请等待区县工信局审核。")
    return redirect("enterprises:profile")


# --- indicators -------------------------------------------------------------------


def _indicators_page(
    request, enterprise, *, form=None, import_form=None, row_errors=None, status=200
):
    context = {
        "enterprise": enterprise,
        "table": selectors.indicator_table(enterprise),
        "form": form or IndicatorForm(),
        "import_form": import_form or IndicatorImportForm(),
        "row_errors": row_errors,
        "imports": enterprise.indicator_imports.select_related("actor")[:5],
    }
    return render(request, "enterprises/indicators.html", context, status=status)


@enterprise_user_required
def indicators(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    if request.method != "POST":
        initial = None
        if request.GET.get("edit"):
            try:
                chosen = selectors.access_indicator(request.user, enterprise, request.GET["edit"])
            except NotFound as exc:
                raise Http404 from exc
            initial = {"name": chosen.name, "period": chosen.period, "value": chosen.value_text}
        elif request.GET.get("name") in IndicatorName.values:
            # from 为我推荐: the missing figure's indicator and period chosen, value to enter
            initial = {"name": request.GET["name"], "period": request.GET.get("period", "")[:20]}
        return _indicators_page(request, enterprise, form=IndicatorForm(initial=initial))
    form = IndicatorForm(request.POST)
    if form.is_valid():
        try:
            indicator = services.indicator_set(
                enterprise=enterprise, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_errors(form, exc)
        else:
            messages.success(
                request, f"已保存：{indicator.get_name_display()} {indicator.period}。"
            )
            return redirect("enterprises:indicators")
    return _indicators_page(request, enterprise, form=form, status=400)


@require_POST
@enterprise_user_required
def indicator_delete(
    request: HttpRequest, enterprise: Enterprise, indicator_id: int
) -> HttpResponse:
    try:
        indicator = selectors.access_indicator(request.user, enterprise, indicator_id)
    except NotFound as exc:
        raise Http404 from exc
    if indicator.source != IndicatorSource.SELF_REPORTED:
        raise Http404
    label = f"{indicator.get_name_display()} {indicator.period}"
    services.indicator_delete(indicator=indicator, actor=request.user)
    messages.success(request, f"已删除：{label}。")
    return redirect("enterprises:indicators")


@require_POST
@enterprise_user_required
def indicators_import(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    form = IndicatorImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _indicators_page(request, enterprise, import_form=form, status=400)
    try:
        batch = services.indicators_import_excel(
            enterprise=enterprise, actor=request.user, file=form.cleaned_data["file"]
        )
    except services.IndicatorImportError as exc:
        form.add_error("file", exc.message)
        return _indicators_page(
            request, enterprise, import_form=form, row_errors=exc.row_errors, status=400
        )
    except DomainError as exc:
        apply_domain_errors(form, exc)
        return _indicators_page(request, enterprise, import_form=form, status=400)
    messages.success(request, f"已导入“{batch.file_name}”中的{batch.rows_count}行指标。")
    return redirect("enterprises:indicators")


@login_required
def indicators_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(indicator_template(), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=indicators-template.xlsx; filename*=UTF-8''{quote(TEMPLATE_FILENAME)}"
    )
    return response


@enterprise_user_required
def recommendations(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    can_submit, submit_reason = services.enterprise_can_submit(enterprise)
    context = {
        "enterprise": enterprise,
        "facts": enterprise_facts(enterprise),
        "groups": recommendations_for(enterprise),
        "can_submit": can_submit,
        "submit_reason": submit_reason,
    }
    return render(request, "enterprises/recommendations.html", context)


# --- staff ---------------------------------------------------------------------------


@login_required
def verification_queue(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.DISTRICT_REVIEWER:
        return pages.refused(request, "企业核验由企业所在区县的工信局审核员办理。")
    queue = selectors.verification_queue(request.user)
    return render(
        request,
        "enterprises/verification_queue.html",
        {"queue": queue, "reject_form": RejectForm()},
    )


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_portal_staff:
        return pages.refused(request, "该页面供工作人员使用。")
    form = EnterpriseFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"].strip(),
            "district": data["district"].code if data["district"] else "",
            "status": data["status"],
            "above_scale": {"1": True, "0": False}.get(data["above_scale"]),
        }
    page = Paginator(selectors.enterprise_list(user=request.user, **filters), 30).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _detail_context(request, enterprise: Enterprise, **extra) -> dict:
    can_submit, submit_reason = services.enterprise_can_submit(enterprise)
    return {
        "enterprise": enterprise,
        "can_submit": can_submit,
        "submit_reason": submit_reason,
        "members": selectors.enterprise_members(enterprise),
        "events": selectors.enterprise_events(enterprise),
        "table": selectors.indicator_table(enterprise),
        "facts": enterprise_facts(enterprise),
        "can_verify": permissions.transition_check(
            request.user, enterprise, Enterprise.Status.VERIFIED
        ),
        "reject_form": extra.pop("reject_form", None) or RejectForm(),
        **extra,
    }


@login_required
def detail(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = _fetch(request.user, enterprise_id)
    return render(request, "enterprises/detail.html", _detail_context(request, enterprise))


def _back(request, enterprise: Enterprise):
    if request.POST.get("back") == "queue":
        return redirect("enterprises:verification_queue")
    return redirect("enterprises:detail", enterprise_id=enterprise.pk)


@require_POST
@login_required
def verify(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = _fetch(request.user, enterprise_id)
    try:
        services.enterprise_verify(enterprise=enterprise, actor=request.user)
    except PermissionRefused as exc:
        return pages.refused(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已核验通过：{enterprise.name}。")
    return _back(request, enterprise)


@require_POST
@login_required
def reject(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = _fetch(request.user, enterprise_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.enterprise_reject_verification(
                enterprise=enterprise, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except PermissionRefused as exc:
            return pages.refused(request, exc.message)
        except DomainError as exc:
            apply_domain_errors(form, exc)
        else:
            messages.success(request, f"已退回：{enterprise.name}，企业将看到未通过原因。")
            return _back(request, enterprise)
    context = _detail_context(request, enterprise, reject_form=form)
    return render(request, "enterprises/detail.html", context, status=400)
