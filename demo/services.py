"""The demo data set: one login per role and a few enterprises and cases. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from portal.accounts.models import District, Role, User

DEMO_PASSWORD = "Demo@2026!"  # noqa: S105 - printed on screen on purpose: demo only


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: str
    district_code: str | None = None
    superuser: bool = False


DEMO_LOGINS: list[DemoLogin] = [
    DemoLogin("qiye", "张经理（郑州示范机械制造有限公司）", Role.ENTERPRISE),
    DemoLogin("qiye2", "李会计（郑州二七示范电子有限公司）", Role.ENTERPRISE),
    DemoLogin("jinshui", "王审核（金水区工信局）", Role.DISTRICT_REVIEWER, "jinshui"),
    DemoLogin("erqi", "赵审核（二七区工信局）", Role.DISTRICT_REVIEWER, "erqi"),
    DemoLogin("shigxj", "刘复审（市工信局）", Role.CITY_REVIEWER),
    DemoLogin("shicz", "陈会计（市财政局）", Role.FINANCE),
    DemoLogin("jinshuicz", "孙会计（金水区财政局）", Role.FINANCE, "jinshui"),
    DemoLogin("lingdao", "周局长（市领导）", Role.LEADER),
    DemoLogin("zhengce", "吴政策（政策管理员）", Role.POLICY_ADMIN),
    DemoLogin("admin", "系统管理员", Role.SYS_ADMIN, superuser=True),
]


@transaction.atomic
def demo_users_load() -> list[tuple[DemoLogin, User]]:
    """Create (or refresh) one user per demo login; passwords reset to the demo password."""
    from django.contrib.auth.hashers import make_password

    districts = {d.code: d for d in District.objects.all()}
    # one hash for every login (a tenth of load_demo's time when each was hashed on its own):
    # the password is printed on screen anyway
    password = make_password(DEMO_PASSWORD)
    loaded = []
    for login in DEMO_LOGINS:
        user, _ = User.objects.update_or_create(
            username=login.username,
            defaults={
                "name": login.name,
                "role": login.role,
                "district": districts.get(login.district_code) if login.district_code else None,
                "is_staff": login.superuser,
                "is_superuser": login.superuser,
                "is_active": True,
            },
        )
        user.password = password
        user.save(update_fields=["password"])
        loaded.append((login, user))
    return loaded


DEMO_OPEN_POLICIES = ("zzw-2022-155",)
DEMO_BATCH_NOTE = (
    "演示数据：郑政文〔2022〕155号的原申报时间在2023年，政策有效期已于2023年12月31日结束。"
    "为便于体验申报、审核和拨付的完整流程，演示环境另开本批次；真实环境不会开设。"
)


def demo_batch_name(today) -> str:
    return f"{today.year}年度演示申报批次（演示数据）"


def demo_windows_open(today=None) -> list[str]:
    """155号 ran in 2023; the demo opens its own dated 申报批次 (named and marked as demo data)
    for each of its clauses, from 30 days before ``today`` to 90 days after, so the whole
    journey (apply, review, pay) can be tried. The text's 原申报时间 stays as it is, so the
    guide and the pages never disagree. Idempotent. Real deployments never call this."""
    import datetime as dt

    from django.utils import timezone

    from policies.models import Clause
    from policies.services import application_batch_open

    today = today or timezone.localdate()
    name = demo_batch_name(today)
    opened = []
    for clause in Clause.objects.filter(policy__code__in=DEMO_OPEN_POLICIES).order_by("pk"):
        application_batch_open(
            clause=clause,
            name=name,
            opens_on=today - dt.timedelta(days=30),
            closes_on=today + dt.timedelta(days=90),
            is_demo=True,
            note=DEMO_BATCH_NOTE,
        )
        opened.append(clause.code)
    return opened
