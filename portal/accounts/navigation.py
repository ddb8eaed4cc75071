"""Each role's entry points on the home page and in the menu.

Apps register their pages here by URL name; an entry whose URL does not exist (yet) is left
out, so the menu never links to a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from portal.accounts.models import Role
from portal.core import links


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    description: str
    # count the entry's badge (PORTAL_NAV_BADGES) on every page: one query more per page, which
    # the staff's busiest pages (the review queue: six in all) cannot afford; staff read their
    # unread count on their home page's 工作台 instead
    badge: bool = True
    badge_unit: str = "条未读"  # what the badge counts, read after the number: "3 条未读"


# Entries that show a count (unread messages, 差评 awaiting follow-up); the app owning each
# provides it (portal.core.links).
BADGES = {name: links.badge(name) for name in ("applications:notifications", "reviews:ratings")}

ENTRIES: dict[str, list[Entry]] = {
    Role.ENTERPRISE: [
        Entry("企业档案", "enterprises:profile", "维护企业信息、银行账户和成员"),
        Entry(
            "经营指标", "enterprises:indicators", "营业收入、用电量等指标（一企一档），可导入 Excel"
        ),
        Entry("为我推荐", "enterprises:recommendations", "根据企业档案匹配可享受的政策和预计金额"),
        Entry("政策库", "policies:list", "查询政策、条款和申兑指南"),
        Entry("政策计算器", "policies:calculator", "输入企业数据，测算可获奖励"),
        Entry("我的申报", "applications:list", "在线申报、补正、撤回，跟踪办理进度"),
        Entry("免申即享", "proactive:proposals", "系统根据部门数据主动推送的奖励，确认即可"),
        Entry("消息中心", "applications:notifications", "办理进度通知"),
    ],
    Role.DISTRICT_REVIEWER: [
        Entry("区县初审队列", "reviews:queue", "本区县企业的申报案件"),
        Entry("申报案件", "applications:list", "本区县全部申报案件及办理进度"),
        Entry("企业实名核验", "enterprises:verification_queue", "核验本区县新注册的企业"),
        Entry(
            "差评回访",
            "reviews:ratings",
            "企业差评的回访整改，按期限办理",
            badge_unit="件待回访",  # cached per office (applications.ratings): no query per page
        ),
        Entry("企业名录", "enterprises:list", "本区县企业档案"),
        Entry("政策库", "policies:list", "查询政策、条款和申兑指南"),
        Entry("政策计算器", "policies:calculator", "按政策条款测算奖励金额"),
        Entry("消息中心", "applications:notifications", "到期提醒、办理进度等通知", badge=False),
    ],
    Role.CITY_REVIEWER: [
        Entry("市级复审队列", "reviews:queue", "区县初审通过的案件"),
        Entry("申报案件", "applications:list", "全市申报案件及办理进度"),
        Entry("公示管理", "reviews:notices", "拟支持名单公示与异议处理"),
        Entry(
            "差评回访",
            "reviews:ratings",
            "企业差评的回访整改，按期限办理",
            badge_unit="件待回访",  # cached per office (applications.ratings): no query per page
        ),
        Entry("企业名录", "enterprises:list", "全市企业档案"),
        Entry("政策库", "policies:list", "查询政策、条款和申兑指南"),
        Entry("政策计算器", "policies:calculator", "按政策条款测算奖励金额"),
        Entry("消息中心", "applications:notifications", "到期提醒、办理进度等通知", badge=False),
    ],
    Role.FINANCE: [
        Entry("待兑付资金", "finance:shares", "本财政局应拨付的资金份额"),
        Entry("拨付批次", "finance:batches", "组批、导出银行支付清单、登记支付结果"),
        Entry("对账", "finance:reconciliation", "确定、已付、待付、失败、取消金额核对"),
        Entry("配套未到位", "finance:unmatched", "市级已拨付、区县配套未拨付的奖励"),
        Entry("消息中心", "applications:notifications", "到期提醒、办理进度等通知", badge=False),
    ],
    Role.LEADER: [
        Entry("领导驾驶舱", "dashboards:overview", "资金承诺、审批、确定、兑付情况"),
        Entry("服务评价", "dashboards:ratings", "各办理单位的好差评和差评回访整改"),
        Entry("配套未到位", "finance:unmatched", "市级已拨付、区县配套未拨付的奖励"),
        Entry("政策库", "policies:list", "查询政策、条款和申兑指南"),
        Entry("消息中心", "applications:notifications", "到期提醒、办理进度等通知", badge=False),
    ],
    Role.POLICY_ADMIN: [
        Entry("政策库", "policies:list", "查询政策、条款和申兑指南"),
        Entry("条款规则维护", "policies:manage", "修改条款参数，预览影响，发布新版本"),
        Entry("政策编辑器", "policies:studio", "新建政策，用积木搭建条款，写测试用例后发布"),
        Entry("政策计算器", "policies:calculator", "按政策条款测算奖励金额"),
        Entry("免申即享", "proactive:runs", "导入政府部门数据，批量匹配企业"),
        Entry("消息中心", "applications:notifications", "到期提醒、办理进度等通知", badge=False),
    ],
    Role.SYS_ADMIN: [
        Entry("系统管理", "admin:index", "用户、区县、基础数据维护"),
        Entry("审计日志", "reviews:audit", "所有状态变更记录"),
        Entry("资金追回", "finance:clawbacks", "对已拨付奖励立案追回，登记退款"),
        Entry("政策库", "policies:list", "查询政策、条款和申兑指南"),
        Entry("消息中心", "applications:notifications", "到期提醒、办理进度等通知", badge=False),
    ],
}


def entries_for(role: str) -> tuple[tuple[Entry, str], ...]:
    """The entries of ``role`` whose pages exist, each with its URL.

    Every page shows the menu, and reversing its URLs cost more than the rest of the menu: they
    are kept per role, script prefix and URLconf (what ``reverse`` depends on), which do not
    change while a process runs (a test overriding ``ROOT_URLCONF`` gets its own entry).
    """
    return _entries(role, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=64)
def _entries(role: str, prefix: str, urlconf: str) -> tuple[tuple[Entry, str], ...]:
    found = []
    for entry in ENTRIES.get(role, []):
        try:
            found.append((entry, reverse(entry.url_name, urlconf=urlconf)))
        except NoReverseMatch:
            continue
    return tuple(found)
