"""``calculate_award CLAUSE --facts JSON | --facts-file F|-``: the award contract's CLI.

Prints the result JSON on stdout; any error is one line on stderr and exit status 2.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandParser

from policies import engine
from policies.services import award_calculate


class Command(BaseCommand):
    help = "按政策条款计算奖励金额，输出 JSON（见 award-contract.md）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("clause", help="条款编码，如 zzw-2022-155/2")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--facts", help="企业数据 JSON 对象")
        group.add_argument("--facts-file", help="企业数据 JSON 文件，- 表示标准输入")

    def handle(self, *args, **options) -> None:
        code = options["clause"]
        try:
            facts = self._facts(options)
            calculated = award_calculate(code=code, facts=facts)
        except engine.EngineError as exc:
            # the CLI names each field by its code beside the message people read
            lines = [f"{name}：{message}" for name, message in exc.errors.items()]
            self._fail("；".join(lines) or exc.message)
        except ValueError as exc:  # unreadable JSON
            self._fail(f"条款 {code}：{exc}")
        self.stdout.write(json.dumps(calculated.result.to_dict(), ensure_ascii=False))

    def _facts(self, options: dict) -> dict:
        if options["facts"] is not None:
            raw, where = options["facts"], "--facts"
        else:
            name = options["facts_file"]
            where = "标准输入" if name == "-" else name
            try:
                raw = sys.stdin.read() if name == "-" else open(name, encoding="utf-8").read()  # noqa: SIM115
            except OSError as exc:
                raise ValueError(f"无法读取数据文件 {where}：{exc.strerror}") from exc
        try:
            facts = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where} 不是有效的 JSON：{exc.msg}（第 {exc.lineno} 行）") from exc
        if not isinstance(facts, dict):
            raise ValueError(f'{where} 应为 JSON 对象，例如 {{"revenue_q1_2023": "30000000"}}')
        return facts

    def _fail(self, message: str) -> None:
        self.stderr.write("错误：" + " ".join(message.split()))
        sys.exit(2)
