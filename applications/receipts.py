"""The case's printable documents: 受理回执 once it is submitted, 资金拨付通知 once money is
paid. Both are PDFs (``portal.core.pdf``) built from the case file; the pages and the API serve
them to whoever may read the case (``selectors.access_application``) and audit the download."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from applications import deadlines, steps
from applications.models import Application
from applications.workflow import Action, Status
from portal.core import pdf
from portal.core.errors import NotFound
from portal.core.money import amount_in_words, from_fen

RECEIPT, PAYMENT_NOTICE = "receipt", "payment-notice"
TITLES = {RECEIPT: "受理回执", PAYMENT_NOTICE: "资金拨付通知"}
FILED = (Action.SUBMIT, Action.CONFIRM)


@dataclass(frozen=True)
class Available:
    kind: str
    title: str
    filename: str


def _yuan(fen: int) -> str:
    return f"{from_fen(fen):,.2f} 元"


def _filed_at(application: Application):
    if application.submitted_at:
        return application.submitted_at
    event = application.events.filter(action__in=FILED).order_by("created_at", "id").first()
    return event.created_at if event else None


def _paid_shares(application: Application) -> list:
    payment = steps.payment_status_of(application)
    if payment is None:
        return []
    return [s for s in payment.shares if s.status == "paid"]


def documents_for(application: Application) -> list[Available]:
    """The documents the case has now (the case page lists them)."""
    found = []
    if application.status not in (Status.DRAFT, Status.PROPOSED) and _filed_at(application):
        found.append(Available(RECEIPT, TITLES[RECEIPT], f"受理回执-{application.number}.pdf"))
    if _paid_shares(application):
        found.append(
            Available(
                PAYMENT_NOTICE, TITLES[PAYMENT_NOTICE], f"资金拨付通知-{application.number}.pdf"
            )
        )
    return found


def document_pdf(application: Application, kind: str) -> tuple[bytes, str]:
    """(PDF bytes, file name) of ``kind``; NotFound when the case has no such document yet."""
    available = {d.kind: d for d in documents_for(application)}
    if kind not in available:
        raise NotFound("该案件尚无此文书。")
    build = _receipt if kind == RECEIPT else _payment_notice
    return pdf.render(build(application)), available[kind].filename


def _case_rows(application: Application) -> list[tuple[str, str]]:
    enterprise = application.enterprise
    rows = [
        ("案件编号", application.number),
        ("申报企业", enterprise.name),
        ("统一社会信用代码", enterprise.credit_code),
        ("所属区县", enterprise.district.name),
        ("申报事项", str(application.clause)),
        ("申报期", application.period_label),
    ]
    if application.subject:
        rows.append((f"申报{application.subject_label}", application.subject))
    return rows


def _receipt(application: Application) -> pdf.Document:
    filed = timezone.localtime(_filed_at(application))
    first = "区县初审" if application.clause.review_path != "city_only" else "市级复审"
    office = f"{application.enterprise.district.name}工信局" if first == "区县初审" else "市工信局"
    limits = [
        f"{name}{deadlines.step_days(step, application.clause)}个工作日"
        for name, step in (
            ("区县初审", "district_review"),
            ("市级复审", "city_review"),
            ("公示", "notice"),
        )
        if first == "区县初审" or step != "district_review"
    ]
    payment_days = settings.PORTAL_PAYMENT_DUE_WORKDAYS
    rows = [
        *_case_rows(application),
        ("提交时间", f"{filed:%Y年%m月%d日 %H:%M}"),
        ("测算金额", f"{_yuan(application.estimated_amount_fen)}（以审核核定金额为准）"),
        ("受理单位", f"{office}（{first}）"),
        ("承诺时限", "；".join(limits) + f"；确定支持后{payment_days}个工作日内拨付"),
    ]
    return pdf.Document(
        title="受理回执",
        issuer=settings.PORTAL_NAME,
        subject=application.number,
        rows=rows,
        notes=[
            "您单位的申报已提交，本平台已受理。办理进度、补正通知和审核结果请登录平台在“我的申报”中查看，"
            "或凭案件编号向受理单位查询。",
            "承诺时限按工作日计算，不含法定节假日；退回补正期间不计入审核时限。",
            "本回执由系统生成，与加盖印章的纸质回执具有同等效力。",
        ],
    )


def _payment_notice(application: Application) -> pdf.Document:
    paid = _paid_shares(application)
    total = sum(s.amount_fen for s in paid)
    approved = application.approved_amount_fen or 0
    state = "已全部拨付" if application.status == Status.PAID else "部分拨付"
    first = paid[0]
    rows = [
        *_case_rows(application),
        ("核定金额", f"{_yuan(approved)}（{amount_in_words(from_fen(approved))}）"),
        ("本次累计拨付", f"{_yuan(total)}（{amount_in_words(from_fen(total))}），{state}"),
        ("收款单位", first.payee_name or application.enterprise.name),
        ("收款开户银行", first.payee_bank_name),
        ("收款账号", _masked(first.payee_bank_account)),
    ]
    table = [("付款单位", "期次", "金额", "支付日期", "银行凭证号")]
    for share in paid:
        table.append(
            (
                share.payer_label,
                f"第{share.payable.instalment_no}期",
                _yuan(share.amount_fen),
                f"{share.paid_on:%Y-%m-%d}",
                share.voucher_no,
            )
        )
    return pdf.Document(
        title="资金拨付通知",
        issuer=settings.PORTAL_NAME,
        subject=application.number,
        rows=rows,
        table_title="拨付明细",
        table=table,
        widths=(36, 20, 36, 30, 48),
        notes=[
            f"您单位申报的“{application.clause}”奖补资金已按上表拨付，请核对到账情况。"
            "如有疑问，请凭案件编号和银行凭证号向付款单位查询。",
            "奖补资金须按规定用途使用；如有虚报、冒领，将依法追回并纳入失信记录。",
            "本通知由系统生成。",
        ],
    )


def _masked(account: str) -> str:
    account = account or ""
    return (
        account if len(account) <= 8 else f"{account[:4]}{'*' * (len(account) - 8)}{account[-4:]}"
    )
