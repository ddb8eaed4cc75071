import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from reviews.services import notices_close


class Command(BaseCommand):
    help = "公示期满：确定公示批次中无异议的案件，并通知财政生成应付款。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="按该日期办理（YYYY-MM-DD），用于演示和测试")

    def handle(self, *args, **options) -> None:
        today = None
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today 应为 YYYY-MM-DD 格式的日期。") from exc
        determined = notices_close(today=today)
        self.stdout.write(self.style.SUCCESS(f"已确定支持 {len(determined)} 个案件。"))
