import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.core.audit_export import audit_export, audit_verify_export


class Command(BaseCommand):
    help = (
        "把审计链中某日之前的记录连同哈希导出为 JSON Lines 文件（归档；不删除任何记录），"
        "或用 --verify 校验导出文件的哈希链。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--before", type=dt.date.fromisoformat, help="导出此日期（YYYY-MM-DD）之前的记录"
        )
        parser.add_argument(
            "--output", "-o", help="输出文件（默认 audit-before-DATE.jsonl；- 表示标准输出）"
        )
        parser.add_argument("--verify", metavar="FILE", help="校验一个导出文件")

    def handle(self, *args, before=None, output=None, verify=None, **options) -> None:
        if verify:
            self._verify(Path(verify))
        elif before:
            self._export(before, output or f"audit-before-{before.isoformat()}.jsonl")
        else:
            raise CommandError("请给出 --before YYYY-MM-DD（导出）或 --verify 文件（校验）。")

    def _export(self, before: dt.date, output: str) -> None:
        if output == "-":
            audit_export(before=before, out=sys.stdout)
            return
        path = Path(output)
        if path.exists():
            raise CommandError(f"{path} 已存在：不覆盖已有的归档文件。")
        with path.open("x", encoding="utf-8") as out:
            summary = audit_export(before=before, out=out)
        note = (
            "均已超过保存期限，可归档" if summary.archivable else "含保存期限内的记录（仅作副本）"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出 {summary.count} 条审计记录（第 {summary.first_seq} 至 {summary.last_seq} 条，"
                f"{note}）到 {path}；末条哈希 {summary.last_hash}。"
            )
        )

    def _verify(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}。")
        with path.open(encoding="utf-8") as lines:
            report = audit_verify_export(lines)
        if not report.ok:
            raise CommandError(
                f"导出文件校验失败：{report.problem}（此前 {report.checked} 条完好）"
            )
        self.stdout.write(self.style.SUCCESS(f"导出文件完好：共 {report.checked} 条记录。"))
