from django.core.management.base import BaseCommand

from enterprises.demo import demo_enterprises_load
from portal.demo.services import DEMO_PASSWORD, demo_users_load


class Command(BaseCommand):
    help = "载入演示数据（每个角色一个账号、若干企业和案件），可重复执行，不产生重复数据。"

    def handle(self, *args, **options) -> None:
        loaded = demo_users_load()
        enterprises = demo_enterprises_load()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {DEMO_PASSWORD}）："))
        for login, user in loaded:
            self.stdout.write(f"  {login.username:<12} {user.get_role_display():<10} {login.name}")
        self.stdout.write("")
        if enterprises:
            self.stdout.write(f"演示企业 {len(enterprises)} 家已载入。")
