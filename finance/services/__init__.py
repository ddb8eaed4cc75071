"""Writes of the finance app. Keyword-only, permission-checked, atomic, ledger-writing."""

from finance.services.bank_return import ReturnSummary, payment_batch_apply_bank_return
from finance.services.batches import (
    payment_batch_create,
    payment_batch_mark_failed,
    payment_batch_mark_paid,
    share_cancel,
)
from finance.services.budgets import budget_check, budget_remaining
from finance.services.clawbacks import clawback_open, clawback_record_repayment
from finance.services.payables import (
    payable_confirm_milestone,
    payables_create_for_application,
)
from finance.services.payee import share_payee_reverify

__all__ = [
    "ReturnSummary",
    "budget_check",
    "budget_remaining",
    "clawback_open",
    "clawback_record_repayment",
    "payable_confirm_milestone",
    "payables_create_for_application",
    "payment_batch_apply_bank_return",
    "payment_batch_create",
    "payment_batch_mark_failed",
    "payment_batch_mark_paid",
    "share_cancel",
    "share_payee_reverify",
]
