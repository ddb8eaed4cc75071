"""``export_policy CODE [-o FILE]``: one policy in the import format (YAML)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from policies.importing import policy_export_yaml
from portal.core.errors import DomainError


class Command(BaseCommand):
    help = "把一项政策及其条款定义导出为 YAML（可再用 import_policy 导入）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="政策编码，如 hnzx-2022-1")
        parser.add_argument("-o", "--output", help="写入文件（不覆盖已有文件）；缺省写到标准输出")

    def handle(self, *args, **options) -> None:
        try:
            text = policy_export_yaml(code=options["code"])
        except DomainError as exc:
            self.stderr.write(f"错误：{exc.message}")
            sys.exit(2)
        if not options["output"]:
            self.stdout.write(text)
            return
        path = Path(options["output"])
        if path.exists():
            self.stderr.write(f"错误：文件 {path} 已存在，不覆盖。")
            sys.exit(2)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"已导出到 {path}"))
