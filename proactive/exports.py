"""Excel exports of a run: proposals and the outreach list (write_only: any size)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from portal.core.money import from_fen
from proactive import selectors
from proactive.models import MatchRun


def run_workbook(run: MatchRun) -> bytes:
    workbook = Workbook(write_only=True)
    proposals = workbook.create_sheet("待确认及已确认")
    proposals.append(
        ["案件号", "统一社会信用代码", "企业名称", "条款", "兑现期", "状态", "测算金额（元）"]
    )
    for app in selectors.run_proposals(run).iterator(chunk_size=2000):
        proposals.append(
            [
                app.number,
                app.enterprise.credit_code,
                app.enterprise.name,
                str(app.clause),
                app.period,
                app.get_status_display(),
                from_fen(app.estimated_amount_fen),
            ]
        )
    outreach = workbook.create_sheet("未注册企业线索")
    outreach.append(["统一社会信用代码", "企业名称", "条款", "测算金额（元）"])
    for row in selectors.run_outreach(run).iterator(chunk_size=2000):
        outreach.append([row.credit_code, row.name, str(row.clause), from_fen(row.amount_fen)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
