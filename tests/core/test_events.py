"""The event registry: writers publish, the dashboards, the messages, the e-mail and the audit
copy follow; WITH_CHANGE handlers run in the writer's transaction, AFTER_COMMIT ones only when it
commits."""

from __future__ import annotations

import pytest
from django.db import transaction

from portal.core import events


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(events, "_subscribers", {})
    return events


def test_with_change_runs_at_once_and_after_commit_only_on_commit(
    registry, db, django_capture_on_commit_callbacks
):
    seen: list[tuple[str, tuple[int, ...]]] = []
    registry.subscribe(
        events.CasesChanged,
        lambda e: seen.append(("now", e.application_ids)),
        phase=events.Phase.WITH_CHANGE,
    )
    registry.subscribe(events.CasesChanged, lambda e: seen.append(("later", e.application_ids)))
    with django_capture_on_commit_callbacks(execute=True):
        registry.publish(events.CasesChanged(application_ids=(1, 2)))
        assert seen == [("now", (1, 2))]
    assert seen == [("now", (1, 2)), ("later", (1, 2))]


def test_a_rolled_back_write_tells_no_after_commit_subscriber(
    registry, db, django_capture_on_commit_callbacks
):
    seen: list[events.Event] = []
    registry.subscribe(events.PaymentsChanged, seen.append)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                registry.publish(events.PaymentsChanged(application_ids=(7,)))
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert seen == [] and callbacks == []


def test_a_subscription_to_a_class_hears_its_subclasses_once(registry, db):
    seen: list[events.Event] = []
    registry.subscribe(events.CaseRecorded, seen.append, phase=events.Phase.WITH_CHANGE)
    registry.subscribe(events.CaseRecorded, seen.append, phase=events.Phase.WITH_CHANGE)
    registry.publish(events.CaseTransitioned(application_ids=(3,), event_id=9))
    registry.publish(events.PaymentsChanged(application_ids=(3,)))
    assert [type(e) for e in seen] == [events.CaseTransitioned]


def test_the_apps_subscribe_in_ready():
    follows = {h.__module__ for h, _ in events.subscribers(events.CaseTransitioned)}
    assert {"dashboards.subscribers", "applications.subscribers", "portal.core.signals"} <= follows
    follows = {h.__module__ for h, _ in events.subscribers(events.PaymentsChanged)}
    assert {"dashboards.subscribers", "portal.core.signals"} <= follows
    follows = {h.__module__ for h, _ in events.subscribers(events.MessagesCreated)}
    assert "applications.subscribers" in follows


def test_no_writer_names_the_dashboard_task():
    """The dashboards follow events: no app enqueues their refresh by name."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    named = [
        str(path.relative_to(root))
        for app in ("applications", "reviews", "finance", "proactive", "enterprises", "policies")
        for path in (root / app).rglob("*.py")
        if "dashboards.tasks" in path.read_text(encoding="utf-8")
    ]
    assert named == []


def test_a_district_move_is_copied_into_the_audit_log_after_commit(
    library, django_capture_on_commit_callbacks
):
    """Bulk-created event rows send no post_save; the audit copy follows the published event."""
    from applications.bulk import applications_move_district
    from applications.models import ApplicationEvent
    from portal.accounts.models import District
    from portal.core.models import AuditRecord
    from tests.factories.applications import ApplicationFactory

    cases = [ApplicationFactory(period=p) for p in ("2023", "2024")]
    enterprise = cases[0].enterprise
    for case in cases[1:]:
        case.enterprise = enterprise
        case.save(update_fields=["enterprise"])
    erqi = District.objects.get(code="erqi")
    with django_capture_on_commit_callbacks(execute=True):
        moved = applications_move_district(enterprise=enterprise, actor=None, district=erqi)
    assert moved == 2
    ids = set(ApplicationEvent.objects.filter(action="district_moved").values_list("pk", flat=True))
    copied = set(
        AuditRecord.objects.filter(
            kind="applications.applicationevent", object_id__in=ids
        ).values_list("object_id", flat=True)
    )
    assert len(ids) == 2 and copied == ids
