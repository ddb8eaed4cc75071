from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.models import Indicator, IndicatorSource
from policies.models import Clause
from proactive import services
from proactive.models import MatchRun
from tests.factories.enterprises import EnterpriseFactory, enterprise_with_user

SAMPLES = Path(__file__).resolve().parents[2] / "proactive" / "samples"
DEMO_CODES = ["91410105MA44XK3N57", "91410103MA45B7T2X3", "91410105MA46C8U3YB"]
UNREGISTERED = "91410100MA9000001M"
CLAUSES = ("zzw-2022-155/1", "zzw-2022-155/2")


def sample(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes())


@pytest.fixture
def clauses(library):
    return list(Clause.objects.filter(code__in=CLAUSES).order_by("code"))


@pytest.fixture
def demo_enterprises(db):
    """The demo enterprises' credit codes (the sample files use them); the first has a login."""
    first = enterprise_with_user(credit_code=DEMO_CODES[0], industry_division="34")
    others = [EnterpriseFactory(credit_code=c, industry_division="39") for c in DEMO_CODES[1:]]
    return [first, *others]


def add_figures(
    enterprise, figures: dict[tuple[str, str], int], source=IndicatorSource.SELF_REPORTED
):
    Indicator.objects.bulk_create(
        [
            Indicator(
                enterprise=enterprise,
                name=name,
                period=period,
                value=value,
                source=source,
                department="市统计局" if source == IndicatorSource.IMPORTED else "",
            )
            for (name, period), value in figures.items()
        ]
    )


def generated_enterprises(n: int, *, with_user: bool = False):
    """``n`` enterprises with Q1 revenue and electricity spread around the thresholds."""
    made = []
    for i in range(n):
        e = enterprise_with_user() if with_user and i % 3 == 0 else EnterpriseFactory()
        base = 50_000_000 + i * 3_000_000  # yuan
        growth = (i * 7) % 40  # percent
        figures = {
            ("revenue", "2022Q1"): base * 100,
            ("revenue", "2023Q1"): base * (100 + growth),  # fen: base × (1 + g%) × 100
        }
        for m in range(1, 13):
            figures[("electricity_kwh", f"2022-{m:02d}")] = 100_000 + (i % 5) * 10_000 + m * 1_000
        for m in range(1, 4):
            figures[("electricity_kwh", f"2023-{m:02d}")] = 90_000 + (i % 7) * 8_000
        add_figures(e, figures)
        made.append(e)
    return made


def run_now(actor, clauses, period="2023Q1", chunk_size=1000) -> MatchRun:
    """Start a run and do what the workers do, in-process (no broker, no on_commit)."""
    run = services.match_run_start(
        actor=actor, clause_ids=[c.pk for c in clauses], period=period, chunk_size=chunk_size
    )
    for chunk_id in services.match_run_plan(run_id=run.pk):
        services.match_chunk_process(chunk_id=chunk_id)
    services.match_run_finish(run_id=run.pk)
    run.refresh_from_db()
    return run
