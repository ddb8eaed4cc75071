"""免申即享 benchmark: 100,000 enterprises × 20 clauses on PostgreSQL, real Redis and workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/proactive/run.py [--enterprises N]

Uses the database named in DATABASE_URL (never the real one): when it already holds the
synthetic data set of that size it keeps it and only empties what a run writes (cases,
calculations, events, notifications, runs), else (or with ``--fresh``) recreates it and
bulk-inserts the data. Starts one prefork worker (``--concurrency`` processes, 2 by default),
runs the match in chunks of 1,000, then a naive version (one ORM query and one write per
enterprise × clause) on a sample, and checks amounts.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
# The test settings run tasks in-process unless told otherwise: the benchmark measures workers.
os.environ["PORTAL_TEST_CELERY_EAGER"] = "0"
CLAUSES = [
    "zzw-2022-155/1", "zzw-2022-155/2", "zzw-2022-155/3", "zzw-2022-155/4", "zzw-2022-155/6",
    "zzw-2022-155/7", "zzw-2022-155/9", "zz-2023-23/1", "zz-2023-23/4", "zz-2023-23/5",
    "zz-2023-23/18", "zz-2023-23/21", "zzb-2022-55/1", "zzb-2022-55/2", "zzb-2022-55/17",
    "zzb-2022-56/9", "zzb-2022-53/14", "zzb-2022-51/5", "zzb-2022-57/3", "zzb-2022-54/1",
]  # fmt: skip


def recreate_database(url: str) -> None:
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(url)
    assert db["NAME"] not in ("portal", "postgres"), "use a separate database, e.g. portal_bench"
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres",
        autocommit=True,
    ) as conn:  # fmt: skip
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


# What a run writes; emptied (append-only triggers off for this session only) when reusing data.
RUN_OUTPUT = (
    "applications_notification", "applications_applicationevent", "applications_application",
    "policies_calculation", "proactive_outreachcandidate", "proactive_matchchunk",
    "proactive_matchrun_clauses", "proactive_matchrun",
)  # fmt: skip


def reusable_data(url: str, enterprises: int) -> bool:
    """True when the bench database holds exactly the synthetic data set of this size."""
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(url)
    assert db["NAME"] not in ("portal", "postgres"), "use a separate database, e.g. portal_bench"
    try:
        with psycopg.connect(
            host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]
        ) as conn:
            count, last = conn.execute(
                "SELECT count(*), max(credit_code) FROM enterprises_enterprise"
            ).fetchone()
            figures = conn.execute("SELECT count(*) FROM enterprises_indicator").fetchone()[0]
    except psycopg.Error:
        return False
    from demo.synthetic import FIGURES_PER_ENTERPRISE, credit_code

    return (
        count == enterprises
        and last == credit_code(enterprises - 1)
        and figures == enterprises * FIGURES_PER_ENTERPRISE
    )


def empty_run_output() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # skips the append-only triggers
        cursor.execute(f"TRUNCATE {', '.join(RUN_OUTPUT)} RESTART IDENTITY CASCADE")
        cursor.execute("SET session_replication_role = DEFAULT")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--naive-sample", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--fresh", action="store_true", help="recreate the data set")
    parser.add_argument(
        "--compare-definitions", type=int, default=0, metavar="ROUNDS",
        help="only time first runs with the class clauses and with their definitions, "
        "alternately, ROUNDS times each (issue 20 item 7)",
    )  # fmt: skip
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("set DATABASE_URL (PostgreSQL, a bench database) and REDIS_URL")
    import django

    django.setup()  # connects lazily: the database may still be recreated below
    reuse = not args.fresh and reusable_data(url, args.enterprises)
    if not reuse:
        recreate_database(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from policies.loading import policy_library_load
    from policies.models import Clause
    from portal.accounts.models import Role, User

    policy_library_load()
    Clause.objects.filter(code__in=CLAUSES).update(redemption_mode=Clause.Redemption.PROACTIVE)
    clauses = list(Clause.objects.filter(code__in=CLAUSES))
    assert len(clauses) == len(CLAUSES)
    admin, _ = User.objects.get_or_create(
        username="bench_admin", defaults={"role": Role.POLICY_ADMIN}
    )

    from demo import synthetic

    if reuse:
        empty_run_output()
        print(f"data: reusing the {args.enterprises:,} enterprises already in the database")
    else:
        t = time.perf_counter()
        synthetic.generate(args.enterprises)
        print(f"data: {args.enterprises:,} enterprises inserted in {time.perf_counter() - t:.1f} s")

    if args.compare_definitions:
        compare_definitions(admin, clauses, args)
        return
    queue = f"bench-{uuid.uuid4().hex[:6]}"
    worker = start_worker("portal", queue, args.concurrency)
    try:
        time.sleep(4)  # worker boot
        first, elapsed = timed_run(admin, clauses, queue)
        pairs = args.enterprises * len(clauses)
        fast_rate = pairs / elapsed
        from proactive.selectors import run_progress

        progress = run_progress(first)
        print(
            f"match: {pairs:,} clause evaluations ({progress.evaluated:,} engine calls) in "
            f"{elapsed:.1f} s = {fast_rate:,.0f}/s; {progress.proposed:,} proposals"
        )
        naive_rate = naive(clauses, args.naive_sample)
        print(f"naive: {naive_rate:,.0f} clause evaluations/s (sample of {args.naive_sample})")
        print(f"ratio: {fast_rate / naive_rate:.1f}x")
        print(f"amounts match calculate() to the fen on a sample: {check_amounts(clauses)}")
        print(f"every proposal's amount = calculate(its stored facts): {check_every_amount()}")
        counts = row_counts()
        _second, elapsed2 = timed_run(admin, clauses, queue)
        changed = {k: row_counts()[k] - v for k, v in counts.items()}
        print(f"second run: {elapsed2:.1f} s, rows changed: {changed}")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)


def start_worker(app: str, queue: str, concurrency: int) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "celery", "-A", app, "worker", "--pool", "prefork",
         "-c", str(concurrency), "-Q", queue, "--without-heartbeat", "--without-gossip",
         "--without-mingle", "-l", "warning"],
        cwd=ROOT, env=dict(os.environ), start_new_session=True,
    )  # fmt: skip


def compare_definitions(admin, clauses, args) -> None:
    """First runs (output emptied before each) with a worker evaluating the class clauses and
    one evaluating their definitions (the portal's own, since the policy files' definitions
    replaced the classes; the classes' worker is ``classes_worker``), alternately; the best of
    each.
    Every proposal of each run is recomputed with the classes' ``calculate()``."""
    from policies import engine
    from policies.rules import params_to_json, rule_versions_on

    versions = rule_versions_on([c.pk for c in clauses])
    for c in clauses:  # the definitions carry the classes' default numbers
        assert versions[c.pk].params == params_to_json(engine.get_clause(c.code), None), c.code
    apps = {"classes": "bench.proactive.classes_worker", "definitions": "portal"}
    best: dict[str, float] = {}
    pairs = args.enterprises * len(clauses)
    for _ in range(args.compare_definitions):
        for side, app in apps.items():
            queue = f"bench-{uuid.uuid4().hex[:6]}"
            worker = start_worker(app, queue, args.concurrency)
            try:
                time.sleep(6)  # worker boot (the definitions' worker compiles 109 clauses)
                empty_run_output()
                run, elapsed = timed_run(admin, clauses, queue)
            finally:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=60)
            from proactive.selectors import run_progress

            progress = run_progress(run)
            print(
                f"{side:12} {pairs:,} clause evaluations in {elapsed:.1f} s = "
                f"{pairs / elapsed:,.0f}/s; {progress.proposed:,} proposals; "
                f"recomputed by the classes: {check_every_amount()}",
                flush=True,
            )
            best[side] = min(best.get(side, elapsed), elapsed)
    ratio = best["classes"] / best["definitions"]
    print(
        f"best: classes {pairs / best['classes']:,.0f}/s, definitions "
        f"{pairs / best['definitions']:,.0f}/s; definitions / classes = {ratio:.2f} "
        "(≥ 0.90 is within 10 %)"
    )


def timed_run(admin, clauses, queue):
    from proactive import services
    from proactive.models import MatchRun

    t = time.perf_counter()
    run = services.match_run_start(
        actor=admin, clause_ids=[c.pk for c in clauses], period="2023Q1", queue=queue
    )
    while MatchRun.objects.get(pk=run.pk).status != MatchRun.Status.DONE:
        time.sleep(0.25)
    return MatchRun.objects.get(pk=run.pk), time.perf_counter() - t


def naive(clauses, sample: int) -> float:
    """One ORM query (the enterprise's facts) and one write per enterprise × clause."""
    from django.db import transaction

    from enterprises.facts import indicator_facts
    from enterprises.models import Enterprise
    from policies import engine
    from policies.models import Calculation
    from policies.rules import rule_version_on
    from portal.core.money import to_fen

    versions = {c.pk: rule_version_on(c) for c in clauses}
    enterprises = list(Enterprise.objects.order_by("?")[:sample])
    t = time.perf_counter()
    with transaction.atomic():
        for e in enterprises:
            for clause in clauses:
                facts = indicator_facts(e, year=2023)
                try:
                    result = engine.calculate(clause.code, facts, params=versions[clause.pk].params)
                except engine.EngineError:
                    continue
                Calculation.objects.create(
                    clause=clause, rule_version=versions[clause.pk], engine_version="1",
                    facts={k: str(v) for k, v in facts.items()}, result=result.to_dict(),
                    eligible=result.eligible, amount_fen=to_fen(result.amount), source="api",
                )  # fmt: skip
        elapsed = time.perf_counter() - t
        transaction.set_rollback(True)  # measure, keep nothing
    return sample * len(clauses) / elapsed


def check_amounts(clauses) -> bool:
    """Recompute 500 random enterprises one by one: same cases, same amounts to the fen."""
    from applications.models import Application
    from enterprises.facts import indicator_facts
    from enterprises.models import Enterprise
    from policies import engine
    from policies.rules import rule_versions_on
    from portal.core.money import to_fen

    versions = rule_versions_on([c.pk for c in clauses])
    ids = random.sample(list(Enterprise.objects.values_list("pk", flat=True)), 500)
    expected = {}
    for e in Enterprise.objects.filter(pk__in=ids):
        facts = indicator_facts(e, year=2023)
        for c in clauses:
            try:
                r = engine.calculate(c.code, facts, params=versions[c.pk].params)
            except engine.EngineError:
                continue
            if r.eligible and r.amount > 0:
                expected[(e.pk, c.pk)] = to_fen(r.amount)
    got = {
        (a, c): amount
        for a, c, amount in Application.objects.filter(enterprise_id__in=ids).values_list(
            "enterprise_id", "clause_id", "estimated_amount_fen"
        )
    }
    return got == expected and len(got) > 0


def check_every_amount() -> str:
    """Every proposal recomputed by the class (or spec) clause from the facts stored with it,
    under its rule version."""
    from applications.models import Application
    from bench.definitions.run import class_clause
    from portal.core.money import to_fen

    rows = Application.objects.values_list(
        "clause__code", "facts", "calculation__rule_version__params", "estimated_amount_fen"
    )
    total = wrong = 0
    for code, facts, params, amount in rows.iterator(chunk_size=5000):
        total += 1
        wrong += to_fen(class_clause(code).calculate(facts, params).amount) != amount
    return f"{total - wrong:,} of {total:,} identical"


def row_counts() -> dict[str, int]:
    from applications.models import Application, ApplicationEvent, Notification
    from policies.models import Calculation

    return {
        m.__name__: m.objects.count()
        for m in (Application, Calculation, ApplicationEvent, Notification)
    }


if __name__ == "__main__":
    main()
