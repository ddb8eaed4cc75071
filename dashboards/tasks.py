"""Celery tasks of the dashboards: keep the summary projection current. Ids in, idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="dashboards.tasks.case_changed", acks_late=True, time_limit=60, soft_time_limit=50
)
def case_changed(application_id: int) -> bool:
    """A case moved or its money did: recompute its fact and buckets (a rerun changes nothing)."""
    from dashboards.projection import case_fact_refresh

    return case_fact_refresh(application_id=int(application_id))


@shared_task(
    name="dashboards.tasks.cases_changed", acks_late=True, time_limit=600, soft_time_limit=570
)
def cases_changed(application_ids: list[int]) -> int:
    """Many cases moved at once (a bulk write): one task for the batch; how many changed."""
    from dashboards.projection import case_facts_refresh

    return case_facts_refresh(application_ids=[int(pk) for pk in application_ids])


@shared_task(
    name="dashboards.tasks.rebuild_dashboard_summary",
    acks_late=True,
    time_limit=1800,  # below the broker's visibility timeout: never delivered twice for slowness
    soft_time_limit=1700,
)
def rebuild_dashboard_summary() -> dict:
    """Nightly: recompute the whole projection from the source tables (set-based SQL)."""
    from dashboards.projection import summary_rebuild

    return summary_rebuild()
