"""Writes of the review side. Every status change still goes through
``applications.services.application_transition``; these add the review rules around it."""

from portal.accounts.system import system_user
from reviews.services.cases import (
    REDUCTION_REASONS,
    review_approve,
    review_assign,
    review_assign_batch,
    review_checks_record,
    review_claim,
    review_fact_raise_confirm,
    review_reject,
    review_return,
    review_subject_verify,
)
from reviews.services.conflicts import conflict_declare, conflict_override_approve
from reviews.services.deadlines import corrections_lapse, deadline_reminders_send
from reviews.services.notices import notice_batch_close, notice_batch_create, notices_close
from reviews.services.objections import objection_accept, objection_dismiss, objection_file

__all__ = [
    "REDUCTION_REASONS",
    "conflict_declare",
    "conflict_override_approve",
    "corrections_lapse",
    "deadline_reminders_send",
    "notice_batch_close",
    "notice_batch_create",
    "notices_close",
    "objection_accept",
    "objection_dismiss",
    "objection_file",
    "review_approve",
    "review_assign",
    "review_assign_batch",
    "review_checks_record",
    "review_claim",
    "review_fact_raise_confirm",
    "review_reject",
    "review_return",
    "review_subject_verify",
    "system_user",
]
