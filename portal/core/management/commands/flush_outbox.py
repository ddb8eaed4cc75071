from django.core.management.base import BaseCommand

from portal.core.tasks import outbox_flush


class Command(BaseCommand):
    help = "发送因消息队列不可用而暂存的后台任务。"

    def handle(self, *args, **options) -> None:
        sent, failed = outbox_flush(older_than_seconds=0)
        self.stdout.write(f"已发送 {sent} 个，仍未发送 {failed} 个。")
