from django.core.management.base import BaseCommand

from policies.loading import policy_library_load


class Command(BaseCommand):
    help = "从 policies/data/*.yaml 载入政策库（可重复执行；不覆盖管理员已发布的规则版本）。"

    def handle(self, *args, **options) -> None:
        report = policy_library_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"政策库：{report.policies} 项政策，{report.clauses} 个条款，"
                f"新建规则版本 {report.versions_created} 个。"
            )
        )
