from django.core.management.base import BaseCommand

from demo.cases import demo_cases_load
from demo.enterprises import demo_enterprises_load
from demo.services import DEMO_PASSWORD, demo_users_load, demo_windows_open


class Command(BaseCommand):
    help = "载入演示数据（每个角色一个账号、若干企业和案件），可重复执行，不产生重复数据。"

    def handle(self, *args, **options) -> None:
        loaded = demo_users_load()
        enterprises = demo_enterprises_load()
        opened = demo_windows_open()
        cases = demo_cases_load()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {DEMO_PASSWORD}）："))
        for login, user in loaded:
            self.stdout.write(f"  {login.username:<12} {user.get_role_display():<10} {login.name}")
        self.stdout.write("")
        if enterprises:
            self.stdout.write(f"演示企业 {len(enterprises)} 家已载入。")
        if opened:
            self.stdout.write(
                f"演示：已为郑政文〔2022〕155号 {len(opened)} 个条款开设演示申报批次（今天前30天至后90天）；"
                "政策原文的申报时间和有效期不变，页面上注明为演示数据。"
            )
        if cases:
            self.stdout.write(
                f"演示案件 {len(cases)} 件（待初审、退回补正、市级复审、拟支持、公示中、已确定）。"
            )
