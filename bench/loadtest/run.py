"""Load test: locust users against gunicorn + a real Celery worker on PostgreSQL and Redis.

    make loadtest                                    # 200 users for 5 minutes
    LOADTEST_USERS=30 LOADTEST_SECONDS=40 make loadtest

1. recreates the database ``portal_load`` (``LOADTEST_DATABASE_URL``) and empties its Redis
   database (``LOADTEST_REDIS_URL``, default db 7), migrates, loads the policy library,
   collects the static files and writes the data set (``prepare.py``);
2. starts gunicorn on 127.0.0.1:``LOADTEST_PORT`` (``LOADTEST_WORKERS`` workers,
   ``LOADTEST_THREADS`` threads each) and one Celery worker, with
   ``bench.loadtest.settings`` (production's, over plain HTTP, no staff TOTP);
3. runs locust headless: ``LOADTEST_USERS`` users started at ``LOADTEST_SPAWN_RATE`` per
   second (default: all within 2 minutes; each logs in once, a PBKDF2 check), for
   ``LOADTEST_SECONDS``, thinking ``LOADTEST_WAIT`` ("5,20") seconds between actions;
4. prints requests/s, p50/p95/p99 and errors, for the whole run and for the steady state
   after every user has logged in, and the logins and re-authentications apart;
5. checks the database against what the server acknowledged (``check.py``).

Exit status: 0 when the data check passes and the goal is met (no error, steady-state p95
under ``LOADTEST_P95_MS``, default 500); 1 when the goal is missed; 2 when the data check fails.
Wrap it in ``flock /tmp/portal-bench.lock`` (the Makefile does) so two benchmarks never share
the cores. Output files are in ``var/loadtest/``.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "loadtest"
VENV = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))


def env(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


USERS = int(env("LOADTEST_USERS", "200"))
SECONDS = int(env("LOADTEST_SECONDS", "300"))
# logins are PBKDF2 checks (~0.4-0.75 s of CPU each): spread them over two minutes
SPAWN_RATE = float(env("LOADTEST_SPAWN_RATE", str(max(1.0, USERS / 120))))
WAIT = env("LOADTEST_WAIT", "5,20")
PORT = int(env("LOADTEST_PORT", "8766"))
WORKERS = int(env("LOADTEST_WORKERS", "4"))
THREADS = int(env("LOADTEST_THREADS", "1"))
AWARDS = int(env("LOADTEST_AWARDS", str(max(200, USERS * 5))))
P95_GOAL_MS = float(env("LOADTEST_P95_MS", "500"))
DATABASE_URL = env("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_load")
REDIS_URL = env("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/7")
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.loadtest.settings",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "DJANGO_SECRET_KEY": env("DJANGO_SECRET_KEY", secrets.token_urlsafe(50)),
    "PYTHONPATH": str(ROOT),
}


def sh(*args: str) -> None:
    subprocess.run(args, check=True, cwd=ROOT, env={**os.environ, **SERVER_ENV})  # noqa: S603


def recreate_database() -> None:
    import psycopg
    import redis

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin = DATABASE_URL.replace(parts.path, "/postgres", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(REDIS_URL).flushdb()  # its own database number only


def prepare() -> dict:
    print(f"准备数据：数据库 {DATABASE_URL}，Redis {REDIS_URL}", flush=True)
    recreate_database()
    shutil.rmtree(ROOT / "var" / "loadtest-private", ignore_errors=True)  # the last run's uploads
    sh(str(VENV / "python"), "manage.py", "migrate", "--noinput", "-v0")
    sh(str(VENV / "python"), "manage.py", "load_policies")
    sh(str(VENV / "python"), "manage.py", "collectstatic", "--noinput", "-v0")
    os.environ.update(SERVER_ENV)
    import django

    django.setup()
    from bench.loadtest.prepare import build

    started = time.perf_counter()
    accounts = build(users=USERS, awards=AWARDS)
    print(
        f"数据集：{USERS} 家企业，{accounts['awards']} 笔待兑付奖励，"
        f"用时 {time.perf_counter() - started:.0f} 秒",
        flush=True,
    )
    return accounts


def start_servers() -> list[subprocess.Popen]:
    log = (OUT / "servers.log").open("w")
    server_env = {**os.environ, **SERVER_ENV}
    worker = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
        [str(VENV / "celery"), "-A", "portal", "worker", "-l", "warning", "--concurrency", "1"],
        cwd=ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    web = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [str(VENV / "gunicorn"), "portal.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", str(WORKERS),
         "--threads", str(THREADS), "--timeout", "60", "--worker-tmp-dir", "/dev/shm"],  # noqa: S108 - gunicorn heartbeat files
        cwd=ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health/", timeout=2):
                return [web, worker]
        except OSError:
            time.sleep(0.5)
    stop([web, worker])
    raise SystemExit(f"gunicorn did not answer on 127.0.0.1:{PORT}: see {OUT / 'servers.log'}")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def cpu_seconds(process: subprocess.Popen) -> float:
    """CPU time (user + system) of a process and its children so far."""
    import psutil

    try:
        root = psutil.Process(process.pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for proc in tree:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def machine_busy() -> float:
    import psutil

    times = psutil.cpu_times()
    return times.user + times.system + getattr(times, "nice", 0.0)


def run_locust() -> None:
    files = {
        "LOADTEST_ACCOUNTS": OUT / "accounts.json",
        "LOADTEST_ACKS": OUT / "acks.jsonl",
        "LOADTEST_SAMPLES": OUT / "samples.csv",
    }
    for name in ("acks.jsonl", "samples.csv"):
        (OUT / name).unlink(missing_ok=True)
    print(
        f"locust：{USERS} 个用户（每秒启动 {SPAWN_RATE:g} 个），持续 {SECONDS} 秒，"
        f"思考时间 {WAIT} 秒；gunicorn {WORKERS}×{THREADS}",
        flush=True,
    )
    subprocess.run(  # noqa: S603 - fixed arguments; a non-zero exit (failures) is reported below
        [str(VENV / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
         "-u", str(USERS), "-r", str(SPAWN_RATE), "-t", f"{SECONDS}s",
         "--host", f"http://127.0.0.1:{PORT}", "--only-summary", "--stop-timeout", "30",
         "--loglevel", "WARNING"],
        cwd=ROOT, env={**os.environ, **{k: str(v) for k, v in files.items()}, "LOADTEST_WAIT": WAIT},
        stdout=(OUT / "locust.log").open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


SLOW_BY_DESIGN = ("POST /accounts/login/ [POST]", "POST /accounts/reauth/ [POST]")


def figures(rows: list[tuple[float, str, float, int]], title: str) -> dict:
    if not rows:
        print(f"{title}：无请求")
        return {"requests": 0, "errors": 0, "p95": 0.0}
    span = max(r[0] for r in rows) - min(r[0] for r in rows) or 1.0
    times = [r[2] for r in rows]
    errors = sum(1 for r in rows if not r[3])
    result = {
        "requests": len(rows),
        "rps": len(rows) / span,
        "p50": pct(times, 50),
        "p95": pct(times, 95),
        "p99": pct(times, 99),
        "errors": errors,
    }
    print(
        f"{title}：{result['requests']} 个请求，{result['rps']:.1f} 请求/秒，"
        f"p50 {result['p50']:.0f} ms，p95 {result['p95']:.0f} ms，p99 {result['p99']:.0f} ms，"
        f"错误 {errors} 个"
    )
    return result


def report() -> tuple[dict, dict]:
    rows, spawned = [], None
    samples = OUT / "samples.csv"
    with samples.open(encoding="utf-8") if samples.exists() else open(os.devnull) as f:
        for at, name, ms, ok in csv.reader(f):
            if name == "__spawned__":
                spawned = float(at)
                continue
            rows.append((float(at), name, float(ms), int(ok)))
    whole = figures(rows, "全程")
    whole["pbkdf2"] = sum(1 for r in rows if r[1] in SLOW_BY_DESIGN)
    steady = figures([r for r in rows if spawned and r[0] >= spawned], "稳态（全部用户登录之后）")
    for name in SLOW_BY_DESIGN:
        figures([r for r in rows if r[1] == name], f"  其中 {name.split()[1]}（PBKDF2 口令校验）")
    print("最慢的请求类型（p95）：")
    by_name: dict[str, list[float]] = {}
    for r in rows:
        by_name.setdefault(r[1], []).append(r[2])
    for name, times in sorted(by_name.items(), key=lambda kv: -pct(kv[1], 95))[:8]:
        print(f"  {pct(times, 95):7.0f} ms  p95  {len(times):6d} 次  {name}")
    return whole, steady


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    accounts = prepare()
    (OUT / "accounts.json").write_text(json.dumps(accounts, ensure_ascii=False), "utf-8")
    from bench.loadtest.check import check

    servers = start_servers()
    try:
        web_before, busy_before, started = cpu_seconds(servers[0]), machine_busy(), time.time()
        run_locust()
        web_cpu = cpu_seconds(servers[0]) - web_before
        busy = (machine_busy() - busy_before) / (time.time() - started)
        stop(servers[:1])  # the web server; the worker drains the queue during the check
        problems = check(OUT / "acks.jsonl")
    finally:
        stop(servers)
    whole, steady = report()
    if whole["requests"]:
        print(
            f"CPU：gunicorn 共 {web_cpu:.0f} 秒，{whole['requests']} 个请求（其中 "
            f"{whole['pbkdf2']} 个 PBKDF2 口令校验）；整机平均忙 {busy:.2f} 核"
            f"（含本机其他进程），共 {os.cpu_count()} 核"
        )
    print()
    if problems:
        print("数据核对失败：")
        for problem in problems:
            print(f"  - {problem}")
        return 2
    if not whole["requests"]:
        print(f"locust 没有发出任何请求：见 {OUT / 'locust.log'}")
        return 1
    met = whole["errors"] == 0 and steady["p95"] < P95_GOAL_MS
    print(
        f"目标（无错误，稳态 p95 < {P95_GOAL_MS:.0f} ms）："
        + ("达到" if met else "未达到")
        + f"。明细：{OUT}/（locust.log、servers.log、acks.jsonl、samples.csv）"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
