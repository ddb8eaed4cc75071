"""Excel exports of a run: proposals and the outreach list (streamed: any size)."""

from __future__ import annotations

from portal.core import excel
from portal.core.money import from_fen
from proactive import selectors
from proactive.models import MatchRun

PROPOSAL_HEADERS = (
    "案件号",
    "统一社会信用代码",
    "企业名称",
    "条款",
    "兑现期",
    "状态",
    "测算金额（元）",
)
OUTREACH_HEADERS = ("统一社会信用代码", "企业名称", "条款", "测算金额（元）")


def run_workbook(run: MatchRun) -> bytes:
    proposals = (
        (
            app.number,
            app.enterprise.credit_code,
            app.enterprise.name,
            str(app.clause),
            app.period,
            app.get_status_display(),
            from_fen(app.estimated_amount_fen),
        )
        for app in selectors.run_proposals(run).iterator(chunk_size=2000)
    )
    outreach = (
        (row.credit_code, row.name, str(row.clause), from_fen(row.amount_fen))
        for row in selectors.run_outreach(run).iterator(chunk_size=2000)
    )
    return excel.write_workbook(
        excel.Sheet("待确认及已确认", PROPOSAL_HEADERS, proposals, {6: excel.YUAN}),
        excel.Sheet("未注册企业线索", OUTREACH_HEADERS, outreach, {3: excel.YUAN}),
    )
