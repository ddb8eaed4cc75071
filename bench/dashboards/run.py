"""Dashboard benchmark on PostgreSQL: summary vs live GROUP BY, list pages under load.

    .venv/bin/python bench/dashboards/run.py [--cases 300000] [--enterprises 50000] [--fresh]
        [--rebuild]

Creates and migrates ``portal_bench_dash`` (``--fresh`` drops it first), loads the policy
library and the generated cases (skipped when already there), then measures in one run:
server time of the overview (projection) and of the same breakdowns computed live; the
non-additive figures from the tallies and from the facts (asserted equal); SQL queries per
request; and, under gunicorn on 127.0.0.1 with 16 client connections, requests/s, latency and
server CPU per request of a bare view, a filtered case list page, the case list API and the
reviewers' filtered queue. Run it under ``flock /tmp/portal-bench.lock`` (bench/README.md).
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DB = "portal_bench_dash"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PORT = 8765
REVIEWER_COOKIES: dict[str, str] = {}  # username -> session cookie (in_process)
sys.path.insert(0, str(ROOT))


def sh(*args: str, env: dict | None = None) -> None:
    subprocess.run(args, check=True, cwd=ROOT, env={**os.environ, **(env or {})})  # noqa: S603


def prepare(args) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        if args.fresh:
            c.execute(f"DROP DATABASE IF EXISTS {DB}")
        if not c.execute("SELECT 1 FROM pg_database WHERE datname=%s", (DB,)).fetchone():
            c.execute(f"CREATE DATABASE {DB}")
    py = str(ROOT / ".venv" / "bin" / "python")
    env = {"DATABASE_URL": URL, "DJANGO_SETTINGS_MODULE": "bench.dashboards.settings"}
    sh(py, "manage.py", "migrate", "-v0", env=env)
    sh(py, "manage.py", "load_policies", env=env)
    os.environ.update(env)
    import django

    django.setup()
    from dashboards.models import CaseFact, CaseRollup, CaseTally, EnterpriseMonth

    have = CaseFact.objects.count()
    if have < args.cases:
        sh(
            py, "manage.py", "generate_demo_data", "--force",
            "--enterprises", str(args.enterprises), "--cases", str(args.cases - have), env=env,
        )  # fmt: skip
    elif args.rebuild or not all(  # e.g. a new summary table after a migration
        m.objects.exists() for m in (CaseRollup, CaseTally, EnterpriseMonth)
    ):
        sh(py, "manage.py", "rebuild_dashboard_summary", env=env)
    from django.db import connection

    with connection.cursor() as cursor:
        # statistics as autovacuum keeps them in a live database (a bulk load leaves none on
        # some tables, e.g. enterprises, and the planner then guesses)
        cursor.execute("ANALYZE")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def in_process() -> tuple[str, dict]:
    from django.db import connection
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dashboards.figures import live_figures, summary_figures
    from dashboards.filters import CaseFilter
    from dashboards.models import CaseFact
    from dashboards.permissions import dashboard_viewer
    from dashboards.reference import choices
    from dashboards.selectors import live_groups
    from portal.accounts.models import Role, User

    user, _ = User.objects.get_or_create(username="bench_leader", defaults={"role": Role.LEADER})
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    # the reviewers whose own queues are measured too (a district's and the city's desk)
    for username, role, district in (
        ("bench_district", Role.DISTRICT_REVIEWER, 3),
        ("bench_city", Role.CITY_REVIEWER, None),
    ):
        reviewer, _ = User.objects.get_or_create(
            username=username, defaults={"role": role, "district_id": district}
        )
        other = Client()
        other.force_login(reviewer)
        REVIEWER_COOKIES[username] = other.cookies["sessionid"].value
    viewer, filt = dashboard_viewer(user), CaseFilter()
    results = {}
    client.get("/dashboards/")
    summary = timed(lambda: client.get("/dashboards/"), 30)
    live = timed(lambda: live_groups(viewer, filt), 5)
    results["summary"] = (statistics.median(summary), pct(summary, 95))
    results["live"] = (statistics.median(live), pct(live, 95))
    # the non-additive figures (enterprises served, medians, deadlines): tallies vs the facts
    today, scope = timezone.localdate(), Q()
    soon = choices(today).soon
    tallied = timed(lambda: summary_figures(scope, filt, today, soon, district_held=False), 30)
    scanned = timed(lambda: live_figures(CaseFact.objects.all(), filt, today, soon), 5)
    assert summary_figures(scope, filt, today, soon, district_held=False) == live_figures(
        CaseFact.objects.all(), filt, today, soon
    ), "the tallies disagree with the facts"
    results["figures"] = (statistics.median(tallied), pct(tallied, 95))
    results["figures live"] = (statistics.median(scanned), pct(scanned, 95))
    for name, url in (
        ("overview", "/dashboards/"),
        ("case list (filtered)", "/dashboards/cases/?district=3&stage=determined"),
        ("case list API", "/api/v1/dashboards/cases/"),
        ("bare", "/bench/bare/"),
    ):
        # a first request renews the idle session when it is due (BEGIN, UPDATE, COMMIT, at most
        # once a minute: accounts.middleware); the second shows what every other request costs
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        # the page's own: not the session and user, nor the transaction around a session save
        own = [
            q for q in ctx.captured_queries
            if not any(m in q["sql"] for m in ("django_session", "accounts_user", "SAVEPOINT"))
            and q["sql"] not in ("BEGIN", "COMMIT")
        ]  # fmt: skip
        results[f"queries {name}"] = (len(ctx.captured_queries), len(own))
    # the reviewers' queue (issue #7): the most SQL of any page (first, next, past the end)
    queue = queue_path()
    client.get(queue)
    for page in ("1", "2", "100000"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{queue}&page={page}").status_code == 200, page
        results["queue queries"] = max(results.get("queue queries", 0), len(ctx.captured_queries))
    return cookie, results


def load(path: str, cookie: str, seconds: float = 10, connections: int = 16) -> dict:
    stop = time.perf_counter() + seconds
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        mine = []
        while time.perf_counter() < stop:
            t = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors[0] += 1
            mine.append((time.perf_counter() - t) * 1000)
        with lock:
            lat.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {
        "n": len(lat),
        "rps": len(lat) / elapsed,
        "p50": statistics.median(lat),
        "p99": pct(lat, 99),
        "errors": errors[0],
    }


def _ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:  # the process has gone
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                continue
    return found


def _backends() -> list[int]:
    """PostgreSQL backends connected to the benchmark's database (the workers' connections)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (DB,),
        )
        return [row[0] for row in cursor.fetchall()]


def server_cpu(master: int, run) -> tuple[dict, dict]:
    """``run()``'s result and the CPU the gunicorn workers and their PostgreSQL backends used
    meanwhile (from /proc): what other work on the machine does not inflate as much as it
    inflates latency. Linux only; zeros elsewhere."""
    if not os.path.exists("/proc/self/stat"):
        return run(), {"app": 0.0, "db": 0.0}
    workers, backends = _children(master), _backends()
    before = {pid: _ticks(pid) for pid in (*workers, *backends)}
    result = run()
    hz = os.sysconf("SC_CLK_TCK")
    used = {pid: max(0, _ticks(pid) - start) / hz for pid, start in before.items()}
    return result, {
        "app": sum(used[p] for p in workers),
        "db": sum(used[p] for p in backends),
    }


def district_code(pk: int) -> str:
    from portal.accounts.models import District

    return District.objects.get(pk=pk).code


def queue_path() -> str:
    return f"/reviews/?district={district_code(3)}&state=city_review"


def under_gunicorn(cookie: str) -> dict:
    env = {**os.environ, "DATABASE_URL": URL, "DJANGO_SETTINGS_MODULE": "bench.dashboards.settings"}
    workers = str(max(2, (os.cpu_count() or 2) * 2))
    proc = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [str(ROOT / ".venv/bin/gunicorn"), "portal.wsgi", "-b", f"127.0.0.1:{PORT}",
         "-w", workers, "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/health/")
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(1)
        out = {}
        for name, path, username in (
            ("bare view", "/bench/bare/", None),
            ("filtered case list", "/dashboards/cases/?district=3&stage=determined", None),
            ("case list API", "/api/v1/dashboards/cases/", None),
            ("review queue (filtered)", queue_path(), None),
            ("district reviewer's queue", "/reviews/", "bench_district"),
            ("city reviewer's queue", "/reviews/", "bench_city"),
        ):
            who = REVIEWER_COOKIES[username] if username else cookie  # else the leader's
            load(path, who, seconds=2)  # warm up every worker (and their connections)
            result, cpu = server_cpu(proc.pid, lambda path=path, c=who: load(path, c))
            done = result["n"] or 1
            result["cpu_ms"] = {k: v * 1000 / done for k, v in cpu.items()}
            out[name] = result
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300_000)
    parser.add_argument("--enterprises", type=int, default=50_000)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the summary first")
    args = parser.parse_args()
    prepare(args)
    from dashboards.models import CaseBucket, CaseFact

    print(f"cases: {CaseFact.objects.count()}  buckets: {CaseBucket.objects.count()}")
    print("load average (1, 5, 15 min) before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    cookie, results = in_process()
    s_med, s_p95 = results["summary"]
    l_med, l_p95 = results["live"]
    print(f"overview (summary) server time: median {s_med:.1f} ms, p95 {s_p95:.1f} ms")
    print(f"live GROUP BY (same breakdowns): median {l_med:.1f} ms, p95 {l_p95:.1f} ms")
    print(f"summary is {l_med / s_med:.1f}x faster (median)")
    f_med, f_p95 = results["figures"]
    fl_med, fl_p95 = results["figures live"]
    print(
        f"figures (enterprises, medians, deadlines) from tallies: median {f_med:.1f} ms, "
        f"p95 {f_p95:.1f} ms; from the facts: median {fl_med:.1f} ms, p95 {fl_p95:.1f} ms "
        "(equal)"
    )
    for key, value in results.items():
        if key.startswith("queries"):
            print(f"{key}: {value[0]} SQL per request ({value[1]} excluding session/user)")
    loads = under_gunicorn(cookie)
    bare = loads["bare view"]["rps"]
    for name, r in loads.items():
        print(
            f"{name}: {r['rps']:.0f} req/s, p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, "
            f"errors {r['errors']} ({r['rps'] / bare:.2f} of bare)"
        )
    queue, most = loads["review queue (filtered)"], results["queue queries"]
    ok = queue["rps"] * 12 >= bare and queue["p99"] <= 150 and most <= 6
    print(
        f"review queue goal (>= 1/12 of bare, p99 <= 150 ms, <= 6 SQL at any page): "
        f"{queue['rps'] / bare:.2f} of bare, p99 {queue['p99']:.0f} ms, {most} SQL at most "
        f"{'✅' if ok else '❌'}"
    )
    print("server CPU per request (gunicorn workers + their PostgreSQL backends, from /proc):")
    for name, r in loads.items():
        app, db = r["cpu_ms"]["app"], r["cpu_ms"]["db"]
        ceiling = 2000 / (app + db) if app + db else 0
        print(
            f"  {name}: {app + db:.1f} ms (app {app:.1f} + db {db:.1f}): "
            f"at most ~{ceiling:.0f} req/s on 2 cores doing nothing else"
        )
    print("load average (1, 5, 15 min) after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
