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
    districts = {d.code: d for d in District.objects.all()}
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
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        loaded.append((login, user))
    return loaded


DEMO_OPEN_POLICIES = ("zzw-2022-155",)


def demo_windows_open(today=None) -> list[str]:
    """155号 ran in 2023; the demo reopens its application windows around today so that the
    whole journey (apply, review, pay) can be tried. Real deployments never call this."""
    import datetime as dt

    from django.utils import timezone

    from policies.models import Clause

    today = today or timezone.localdate()
    clauses = Clause.objects.filter(policy__code__in=DEMO_OPEN_POLICIES)
    clauses.update(
        application_opens=today - dt.timedelta(days=30),
        application_closes=today + dt.timedelta(days=90),
    )
    return list(clauses.values_list("code", flat=True))
