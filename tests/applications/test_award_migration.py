"""The migration that derives each stored case's period and award key: duplicates already in a
database (the period used to be typed) do not stop it; the oldest case keeps the award, the
later ones are flagged with an event."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from policies.loading import policy_library_load
from tests.factories.enterprises import enterprise_with_user

BEFORE = [("applications", "0004_application_district")]
AFTER = [("applications", "0005_award_period_subject")]

# serialized_rollback: the flush after this test must give the next tests their districts back
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def latest_schema_after():
    yield
    _migrate(list(MigrationExecutor(connection).loader.graph.leaf_nodes()))


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_duplicates_are_flagged_not_fatal():
    policy_library_load()
    enterprise = enterprise_with_user(district_code="jinshui")
    user_id = enterprise.members.get().user_id
    old = _migrate(BEFORE)
    try:
        Application = old.get_model("applications", "Application")
        Clause = old.get_model("policies", "Clause")
        one_off = Clause.objects.get(code="zzw-2022-155/5")
        yearly = Clause.objects.get(code="zzw-2022-155/12")
        common = {
            "enterprise_id": enterprise.pk,
            "district_id": enterprise.district_id,
            "created_by_id": user_id,
        }
        rows = [
            Application.objects.create(clause=one_off, period=p, status=s, **common)
            for p, s in [
                ("2023Q1", "determined"),
                ("2023", "city_review"),
                ("2023H1", "withdrawn"),
                ("2023Q3", "submitted"),
            ]
        ]
        first_year = Application.objects.create(
            clause=yearly, period="2023H1", status="approved", **common
        )
        second_year = Application.objects.create(
            clause=yearly, period="2023H2", status="draft", **common
        )
        other_year = Application.objects.create(
            clause=yearly, period="2024", status="draft", **common
        )
    finally:
        new = _migrate(AFTER)
    Application = new.get_model("applications", "Application")
    Event = new.get_model("applications", "ApplicationEvent")
    got = {a.pk: a for a in Application.objects.all()}
    holder, twin, withdrawn, third = (got[r.pk] for r in rows)
    assert [r.period for r in (holder, twin, withdrawn, third)] == ["2023Q1"] * 4
    assert holder.duplicate_of_id is None and withdrawn.duplicate_of_id is None
    assert twin.duplicate_of_id == holder.pk and third.duplicate_of_id == holder.pk
    assert got[first_year.pk].period == "2023" and got[first_year.pk].duplicate_of_id is None
    assert got[second_year.pk].duplicate_of_id == first_year.pk
    assert got[other_year.pk].duplicate_of_id is None and got[other_year.pk].award_key == "2024|"
    note = Event.objects.get(application_id=twin.pk, action="duplicate_flagged")
    assert f"{holder.pk:06d}" in note.comment and "重复申报" in note.comment
