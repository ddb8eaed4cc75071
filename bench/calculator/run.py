"""Calculator page server time: class clauses against clauses defined as data (issue 20 item 7).

    flock /tmp/portal-bench.lock .venv/bin/python bench/calculator/run.py [--requests 60]

Creates (once) and migrates ``portal_bench_calc`` on 127.0.0.1:5432, loads the policy library
(the Zhengzhou policies as classes, the Henan provincial ones as definitions), logs a policy
officer in and, in this process through Django's test client (the whole middleware stack,
templates and SQL; no network), times alternately, ``--requests`` times each:

- a bare view (the baseline: what any request costs here);
- the calculator page of 郑政文〔2022〕155号 (class clauses) and of 豫政办〔2022〕14号 (definitions):
  the empty form (GET) and the form posted with figures that make most clauses compute (POST:
  every clause of the policy evaluated, one calculation row each, results rendered).

Prints, per request kind, the median and 90th percentile wall time, the CPU per request and the
SQL statements, and the ratios to the bare view. The goal is < 100 ms server time for each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DB = "portal_bench_calc"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
sys.path.insert(0, str(ROOT))
POLICIES = {"classes": "zzw-2022-155", "definitions": "yzb-2022-14"}


def prepare() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname=%s", (DB,)).fetchone():
            c.execute(f"CREATE DATABASE {DB}")
    env = {**os.environ, "DATABASE_URL": URL, "DJANGO_SETTINGS_MODULE": "bench.dashboards.settings"}
    for command in (["migrate", "-v0"], ["load_policies"]):
        subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
            [sys.executable, "manage.py", *command], check=True, cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip


def posted_figures(policy: str) -> dict[str, str]:
    """Form data from the worked examples of the policy's clauses: every figure one of them
    uses (the first value seen wins), booleans ticked, lists one amount per line."""
    from policies import engine
    from policies.golden import golden_cases
    from policies.models import Clause

    data: dict[str, str] = {"policy": policy}
    for clause in Clause.objects.filter(policy__code=policy).order_by("article"):
        meta = engine.get_clause(clause.code)
        cases = golden_cases(clause.code) or [
            {"facts": t["facts"]} for t in (getattr(meta, "definition", {}) or {}).get("tests", [])
        ]
        for case in cases:
            for name, value in case["facts"].items():
                if name in data or value in (None, False):
                    continue
                if value is True:
                    data[name] = "on"
                elif isinstance(value, list):
                    data[name] = "\n".join(map(str, value))
                else:
                    data[name] = str(value)
    return data


def timed(client, method: str, url: str, data: dict | None) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url, data) if method == "GET" else client.post(url, data)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert response.status_code == 200, (url, response.status_code)
    return wall * 1000, cpu * 1000, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    prepare()
    os.environ["DATABASE_URL"] = URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.dashboards.settings"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # responses carry their template context (the amounts compared)

    from policies import engine
    from policies.engine.definitions import DefinedClause
    from policies.models import Clause
    from portal.accounts.models import Role, User

    user, _ = User.objects.get_or_create(
        username="bench_calc", defaults={"role": Role.POLICY_ADMIN}
    )
    client = Client()
    client.force_login(user)
    url = "/policies/calculator/"
    kinds: dict[str, tuple] = {"bare view": ("GET", "/bench/bare/", None)}
    for side, policy in POLICIES.items():
        clauses = list(Clause.objects.filter(policy__code=policy).values_list("code", flat=True))
        defined = sum(isinstance(engine.get_clause(c), DefinedClause) for c in clauses)
        print(f"{policy}: {len(clauses)} clauses, {defined} of them definitions")
        kinds[f"{side}: form (GET)"] = ("GET", url, {"policy": policy})
        kinds[f"{side}: computed (POST)"] = ("POST", url, posted_figures(policy))
    # the same Zhengzhou clauses computed through their definitions (bench/definitions/run.py)
    kinds["155号 as definitions: form (GET)"] = ("GET", url, {"policy": POLICIES["classes"]})
    kinds["155号 as definitions: computed (POST)"] = (
        "POST",
        url,
        posted_figures(POLICIES["classes"]),
    )
    swapped = {k for k in kinds if k.startswith("155号 as definitions")}
    from bench.definitions.run import swap_in

    live = engine.get_clause  # the definitions
    swap_in()
    classes, engine.get_clause = engine.get_clause, live

    def run(kind: str) -> tuple[float, float, int]:
        engine.get_clause = live if kind in swapped else classes
        try:
            return timed(client, *kinds[kind])
        finally:
            engine.get_clause = live

    def amounts(kind: str) -> list:
        engine.get_clause = live if kind in swapped else classes
        try:
            response = client.post(url, kinds[kind][2])
        finally:
            engine.get_clause = live
        rows = response.context["results"]
        return [(r["clause"].code, r["result"].amount if r.get("result") else None) for r in rows]

    same = amounts("classes: computed (POST)") == amounts("155号 as definitions: computed (POST)")
    assert same, (
        amounts("classes: computed (POST)"),
        amounts("155号 as definitions: computed (POST)"),
    )
    print("155号 posted: the same amounts through the classes and through the definitions")
    for kind in kinds:  # warm: templates, compiled definitions, sessions
        for _ in range(3):
            run(kind)
    samples: dict[str, list[tuple[float, float]]] = {k: [] for k in kinds}
    sizes: dict[str, int] = {}
    for _ in range(args.requests):
        for kind in kinds:
            wall, cpu, size = run(kind)
            samples[kind].append((wall, cpu))
            sizes[kind] = size
    queries = {}
    for kind in kinds:
        with CaptureQueriesContext(connection) as ctx:
            run(kind)
        queries[kind] = len(ctx)
    bare = statistics.median(w for w, _ in samples["bare view"])
    print(
        f"load average {os.getloadavg()[0]:.1f}; {args.requests} requests of each kind, alternated"
    )
    print(
        f"{'request':40} {'median':>8} {'p90':>8} {'CPU':>8} {'× bare':>7} {'SQL':>4} {'bytes':>7}"
    )
    for kind, rows in samples.items():
        walls = sorted(w for w, _ in rows)
        median, p90 = statistics.median(walls), walls[int(len(walls) * 0.9) - 1]
        cpu = statistics.median(c for _, c in rows)
        print(
            f"{kind:40} {median:7.1f}ms {p90:7.1f}ms {cpu:6.1f}ms {median / bare:6.1f}× "
            f"{queries[kind]:4} {sizes[kind]:7,}"
        )
    worst = max(statistics.median(w for w, _ in rows) for k, rows in samples.items())
    print(f"slowest median {worst:.1f} ms (goal < 100 ms)")


if __name__ == "__main__":
    main()
