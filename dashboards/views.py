"""Pages of the dashboards: parse the filter, check the viewer, call a selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from applications.models import ServiceRating
from applications.ratings import ratings_by_office
from dashboards import charts, exports, listing, selectors
from dashboards.filters import FLAGS, STAGES, CaseFilter, parse_id
from dashboards.permissions import Viewer, dashboard_viewer
from dashboards.workbench import workbench_for
from portal.accounts.models import Role
from portal.accounts.navigation import entries_for

PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's 工作台: its work as numbers opening the lists behind them, its latest
    messages, then its entries (``dashboards.workbench``)."""
    today = timezone.localdate()
    context = {
        "bench": workbench_for(request.user, today=today),
        "entries": entries_for(request.user.role),
        "today": today,
    }
    return render(request, "core/home.html", context)


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
    query = filt.query()
    context = {
        "o": data,
        "filt": filt,
        "ref": ref,
        "cases_url": cases_url,
        "q": query,
        "qa": _and(query),
        # the deadline counts are of the whole caseload, whatever the month, stage or flag
        # (``figures._window_free``): so are the lists they open
        "qd": _and(filt.query(month_from=None, month_to=None, stage="", status="", flag="")),
        "charts": charts.chart_data(data, cases_url),
        "stage_labels": {k: v for k, v in _STAGE_LABELS.items() if k in STAGES},
    }
    if request.user.role in (Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER):
        context["queue"] = selectors.reviewer_queue_stats(request.user, today, ref.soon)
    if request.user.role == Role.FINANCE:
        context["finance_due"] = selectors.finance_due_panel(request.user, today)
    return render(request, "dashboards/overview.html", context)


def _and(query: str) -> str:
    """The filter's query string ready for one more parameter: ``a=1&`` (empty for none)."""
    return f"{query}&" if query else ""


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
    ref = selectors.choices(today)
    after = parse_id(request.GET.get("after"))
    page = selectors.case_page(
        viewer, filt, today=today, soon=ref.soon, after=after, size=PAGE_SIZE
    )
    # built once, not a reverse() per row
    detail_prefix = reverse("applications:detail", args=[0])[: -len("0/")]
    query = filt.query()
    context = {
        "rows": page.rows,
        "rows_html": [
            listing.row_html(r, ref, today=today, detail_prefix=detail_prefix) for r in page.rows
        ],
        "next_after": page.next_after,
        "count": page.count,
        "filt": filt,
        "q": query,
        "qa": _and(query),
        "flag_label": FLAGS.get(filt.flag, ""),
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


@login_required
def ratings(request: HttpRequest) -> HttpResponse:
    """好差评 by responsible office: each level's count, 满意率, 差评 open and overdue."""
    _viewer(request)
    rows = ratings_by_office(request.user)
    levels = ServiceRating.Level.choices
    return render(request, "dashboards/ratings.html", {"rows": rows, "levels": levels})
