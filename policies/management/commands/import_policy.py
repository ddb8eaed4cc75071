"""``import_policy FILE.yaml [--check]``: load (or only check) one policy from its YAML file.

Everything is validated before anything is written; an invalid file changes nothing and prints
each problem in Chinese on stderr (exit status 2).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from policies.importing import (
    PolicyFileInvalid,
    policy_file_import,
    policy_file_read,
    policy_validate,
)


class Command(BaseCommand):
    help = "从一个 YAML 文件导入政策及其条款定义（格式见 README）；--check 只检查不写入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="政策文件，如 policies/data/defined/hn-2022-zxqy.yaml")
        parser.add_argument("--check", action="store_true", help="只检查，不写入数据库")

    def handle(self, *args, **options) -> None:
        try:
            if options["check"]:
                with transaction.atomic():
                    policy_validate(policy_file_read(options["file"]))
                self.stdout.write(self.style.SUCCESS("检查通过：文件有效，所有测试用例通过。"))
                return
            report = policy_file_import(path=options["file"])
        except PolicyFileInvalid as exc:
            self.stderr.write("政策文件有误，未作任何修改：")
            for message in exc.messages:
                self.stderr.write(f"  - {message}")
            sys.exit(2)
        self.stdout.write(self.style.SUCCESS(report.summary()))
