"""Pages of the dashboards: parse the filter, check the viewer, call a selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from applications.workflow import Status
from portal.accounts.models import Role
from portal.dashboards import charts, exports, selectors
from portal.dashboards.filters import FLAGS, STAGES, CaseFilter
from portal.dashboards.permissions import Viewer, dashboard_viewer

PAGE_SIZE = 50


def _viewer(request: HttpRequest) -> Viewer:
    viewer = dashboard_viewer(request.user)
    if not viewer.allowed:
        raise PermissionDenied(viewer.reason)
    return viewer


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    filt = CaseFilter.from_query(request.GET)
    today = timezone.localdate()
    data = selectors.overview(viewer, filt, today=today)
    ref = selectors.choices(today)
    cases_url = reverse("dashboards:cases")
    context = {
        "o": data,
        "filt": filt,
        "ref": ref,
        "cases_url": cases_url,
        "q": filt.query(),
        "charts": charts.chart_data(data, cases_url),
        "stage_labels": {k: v for k, v in _STAGE_LABELS.items() if k in STAGES},
    }
    if request.user.role in (Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER):
        context["queue"] = selectors.reviewer_queue_stats(request.user, today, ref.soon)
    if request.user.role == Role.FINANCE:
        context["finance_due"] = selectors.finance_due_panel(request.user, today)
    return render(request, "dashboards/overview.html", context)


_STAGE_LABELS = {
    "in_review": "审核中",
    "returned": "退回补正",
    "approved": "拟支持/公示中",
    "determined": "已确定",
    "rejected": "不予支持",
}


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    filt = CaseFilter.from_query(request.GET)
    today = timezone.localdate()
    soon = selectors.choices(today).soon
    qs = selectors.case_list(viewer, filt, today=today, soon=soon)
    after = request.GET.get("after", "")
    rows, next_after = selectors.case_page(
        qs, after=int(after) if after.isdigit() else None, size=PAGE_SIZE
    )
    context = {
        "rows": rows,
        "next_after": next_after,
        "count": selectors.case_count(viewer, filt),
        "filt": filt,
        "q": filt.query(),
        "flag_label": FLAGS.get(filt.flag, ""),
        "today": today,
        # built once, not a reverse() and a label lookup per row
        "detail_prefix": reverse("applications:detail", args=[0])[: -len("0/")],
        "status_labels": dict(Status.choices),
    }
    return render(request, "dashboards/cases.html", context)


@login_required
def cases_export(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    filt = CaseFilter.from_query(request.GET)
    today = timezone.localdate()
    soon = selectors.choices(today).soon
    qs = selectors.case_list(viewer, filt, today=today, soon=soon)
    return exports.cases_xlsx_response(qs, filename=f"驾驶舱案件清单-{today:%Y%m%d}.xlsx")
