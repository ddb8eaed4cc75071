"""Every list and export (pages, workbooks, API lists), for every role: a role held to a
district (金水区's reviewer, finance officer and leader), an enterprise and an anonymous
visitor never see the 二七区 enterprise of ``world.py`` in any of them: not its name, credit
code or bank account, nor the phone number of an objection to its case. City-wide roles are
held only to "never a 500".

The id URLs are ``test_access_matrix.py``'s; this file takes every URL without a parameter
(``LISTS``), and the workbook variants of the pages that export with a query (``EXPORTS``).
A new URL without a parameter makes ``test_every_list_url_is_checked`` fail until it is in
``LISTS`` or ``NOT_LISTS``.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import get_resolver, reverse

from tests.security.test_access_matrix import (
    ADMIN_NAMESPACE,
    _body,
    _client,
    _walk,
    private_world,
)
from tests.security.world import (
    FOREIGN_BANK_ACCOUNT,
    FOREIGN_NAME,
    FOREIGN_OBJECTOR_PHONE,
    ROLES,
    World,
)

# roles that may read the 二七区 enterprise somewhere (the city level)
CITY_WIDE = {"city_reviewer", "city_finance", "leader", "policy_admin", "sys_admin"}

# every URL without a parameter that lists or exports anything, with the query strings to try
LISTS: dict[str, tuple[str, ...]] = {
    "home": ("",),
    "accounts:tokens": ("",),
    "api-tokens": ("",),
    "api-proactive-import-jobs": ("",),
    "policies:list": ("",),
    "policies:manage": ("",),
    "enterprises:list": ("", "?district=erqi"),
    "enterprises:profile": ("",),
    "enterprises:indicators": ("",),
    "enterprises:recommendations": ("",),
    "enterprises:verification_queue": ("",),
    "applications:list": ("",),
    "applications:notifications": ("",),
    "reviews:queue": ("", "?district=erqi"),
    "reviews:queue_export": ("",),
    "reviews:conflicts": ("",),
    "reviews:ratings": ("",),
    "reviews:notices": ("",),
    "reviews:notice_public": ("", "?format=xlsx"),
    "reviews:audit": ("", "?format=xlsx"),
    "finance:shares": ("", "?export=xlsx", "?district=erqi"),
    "finance:batches": ("",),
    "finance:reconciliation": ("", "?export=xlsx"),
    "finance:unmatched": ("",),
    "finance:clawbacks": ("",),
    "proactive:runs": ("",),
    "proactive:imports": ("",),
    "proactive:proposals": ("",),
    "dashboards:overview": ("",),
    "dashboards:cases": ("", "?district=erqi"),
    "dashboards:cases_export": ("",),
    "dashboards:ratings": ("",),
    "api-me": ("",),
    "api-enterprise-list": ("", "?district=erqi"),
    "api-enterprise-me": ("",),
    "api-enterprise-me-indicators": ("",),
    "api-enterprise-me-facts": ("",),
    "api-application-list": ("",),
    "api-notification-list": ("",),
    "api-review-queue": ("",),
    "api-review-notices": ("",),
    "api-review-notices-public": ("",),
    "api-review-objections": ("", "?status=pending"),
    "api-finance-shares": ("", "?district=erqi"),
    "api-finance-batches": ("",),
    "api-proactive-imports": ("",),
    "api-proactive-runs": ("",),
    "api-proactive-proposals": ("",),
    "dashboards-summary": ("",),
    "dashboards-cases": ("",),
}
# URLs without a parameter that list nothing of anybody's (forms, the policy texts, schema)
NOT_LISTS = {
    "health": "状态检查",
    "accounts:login": "登录表单",
    "accounts:logout": "退出",
    "accounts:otp": "本人的动态口令",
    "accounts:reauth": "本人的重新验证",
    "policies:studio": "政策编辑器：政策管理员在编辑器中建立的政策（公开的政策库内容），其他角色403",
    "policies:studio_policy_new": "新建政策的表单，其他角色403",
    "policies:studio_import": "从政策文件导入：上传表单和预览，写入前须再次验证身份，其他角色403",
    "accounts:password_change": "本人的密码",
    "policies:calculator": "计算器表单",
    "enterprises:register": "注册表单",
    "enterprises:profile_edit": "本企业的表单",
    "enterprises:resubmit": "本企业的重新提交",
    "enterprises:member_invite": "本企业的成员邀请表单",
    "enterprises:indicators_import": "本企业的导入表单",
    "enterprises:indicators_template": "空白模板",
    "applications:new": "申报表单（条款列表）",
    "api-calculator": "计算器",
    "api-policy-list": "政策库，公开",
    "api-enterprise-register": "注册",
    "api-enterprise-me-indicators-import": "本企业的导入",
    "api-proactive-import": "导入上传",
    "api-schema": "接口说明",
    "api-docs": "接口说明",
}
# a control per list that shows the 二七区 enterprise to a city-wide role: the same request
# does show a fingerprint, so the matrix would notice a leak there
CONTROLS = [
    ("sys_admin", "reviews:audit", ""),
    ("leader", "reviews:audit", "?format=xlsx"),
    ("leader", "reviews:notices", ""),
    ("leader", "reviews:queue", ""),
    ("leader", "reviews:queue_export", ""),
    ("leader", "finance:shares", "?export=xlsx"),
    ("leader", "api-finance-shares", ""),
    ("city_finance", "finance:unmatched", ""),
    ("leader", "finance:unmatched", ""),
    ("city_reviewer", "enterprises:list", ""),
    ("city_reviewer", "api-review-notices", ""),
    ("leader", "api-review-objections", ""),
    ("leader", "dashboards:cases", ""),
    ("leader", "dashboards:cases_export", ""),
]


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    return private_world(settings, tmp_path)


def list_urls() -> set[str]:
    return {
        name
        for name, groups in _walk(get_resolver().url_patterns)
        if not groups and not name.startswith(f"{ADMIN_NAMESPACE}:")
    }


def test_every_list_url_is_checked():
    names = list_urls()
    missing = sorted(n for n in names if n not in LISTS and n not in NOT_LISTS)
    assert not missing, (
        "URLs without a parameter that are neither in LISTS nor in NOT_LISTS of "
        f"tests/security/test_list_matrix.py: {missing}"
    )
    stale = sorted(n for n in [*LISTS, *NOT_LISTS] if n not in names)
    assert not stale, f"entries for URLs that no longer exist: {stale}"


def _fingerprints(w: World) -> list[str]:
    return [FOREIGN_NAME, w.foreign.credit_code, FOREIGN_BANK_ACCOUNT, FOREIGN_OBJECTOR_PHONE]


def _text(response) -> str:
    """The body as text; a workbook's cells, every sheet."""
    body = _body(response)
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        cells = (
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
        return "\n".join(cells)
    return body.decode("utf-8", errors="replace")


def _seen(w: World, response) -> list[str]:
    if response.status_code != 200:
        return []
    text = _text(response)
    return [fp for fp in _fingerprints(w) if fp in text]


def test_no_list_or_export_shows_another_district(world):
    problems: list[str] = []
    clients = {role: _client(world, role) for role in ROLES}
    for name, queries in sorted(LISTS.items()):
        for query in queries:
            url = reverse(name) + query
            for role in ROLES:
                response = clients[role].get(url)
                if response.status_code >= 500:
                    problems.append(f"{role} GET {url}: {response.status_code}")
                elif role not in CITY_WIDE and (seen := _seen(world, response)):
                    problems.append(f"{role} GET {url}: 200 showing {seen}")
    assert not problems, "\n".join(problems)


def test_the_lists_show_the_other_district_to_the_city(world):
    """The control: these lists do show the 二七区 enterprise to a city-wide role."""
    for role, name, query in CONTROLS:
        url = reverse(name) + query
        response = _client(world, role).get(url)
        assert response.status_code == 200, (role, url, response.status_code)
        assert _seen(world, response), (role, url)
