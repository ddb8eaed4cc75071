"""Writes of 免申即享: department imports, matching runs, the enterprise's answer, expiry."""

from proactive.services.imports import (
    GovImportRejected,
    ImportReport,
    gov_import,
    gov_import_in_background,
    gov_import_job_run,
    gov_import_start,
)
from proactive.services.matching import (
    match_chunk_process,
    match_chunk_record_failure,
    match_run_finish,
    match_run_plan,
    match_run_resume,
    match_run_start,
)
from proactive.services.proposals import proposal_confirm, proposal_decline, proposals_expire
from proactive.services.recompute import RecomputeReport, proposals_recompute

__all__ = [
    "GovImportRejected",
    "ImportReport",
    "RecomputeReport",
    "gov_import",
    "gov_import_in_background",
    "gov_import_job_run",
    "gov_import_start",
    "match_chunk_process",
    "match_chunk_record_failure",
    "match_run_finish",
    "match_run_plan",
    "match_run_resume",
    "match_run_start",
    "proposal_confirm",
    "proposal_decline",
    "proposals_expire",
    "proposals_recompute",
]
