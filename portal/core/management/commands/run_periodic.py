from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "在本进程内立即执行 Celery beat 的定时任务（嵌入式默认配置没有 beat 时使用）。"
        "不带参数列出全部任务名。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "names", nargs="*", help="定时任务名（CELERY_BEAT_SCHEDULE 的键），或 all"
        )

    def handle(self, *args, names: list[str], **options) -> None:
        schedule = settings.CELERY_BEAT_SCHEDULE
        if not names:
            for name, entry in schedule.items():
                self.stdout.write(f"{name:32} {entry['task']}")
            return
        chosen = list(schedule) if names == ["all"] else names
        unknown = [n for n in chosen if n not in schedule]
        if unknown:
            raise CommandError(f"没有这个定时任务：{'、'.join(unknown)}。不带参数运行可列出全部。")
        current_app.loader.import_default_modules()
        for name in chosen:
            entry = schedule[name]
            result = current_app.tasks[entry["task"]].apply(
                args=entry.get("args", ()), kwargs=entry.get("kwargs", {}), throw=True
            )
            self.stdout.write(f"{name}: {result.result}")
