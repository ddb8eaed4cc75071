"""Recompute the dashboard projection from the source tables (also run nightly by beat)."""

from django.core.management.base import BaseCommand

from dashboards.projection import summary_rebuild


class Command(BaseCommand):
    help = "重建领导驾驶舱汇总数据（案件事实与汇总桶）"

    def handle(self, *args, **options) -> None:
        result = summary_rebuild()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()))
