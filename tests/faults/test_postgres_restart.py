"""PostgreSQL restarted under load (issue #9): every request either succeeds or gets a clean
Chinese "please retry" (503, JSON under /api/); no case is half-written; the app server, never
restarted, serves again by itself once the database is back.

Everything runs against a private cluster on a free port (the machine's PostgreSQL is shared)
and a real gunicorn with persistent, health-checked connections.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from applications.workflow import Status
from tests.faults.private import (
    ROOT,
    PrivatePostgres,
    children_of,
    free_port,
    postgres_bindir,
    wait_for,
)

PG_BINDIR = postgres_bindir()
GUNICORN = Path(sys.executable).with_name("gunicorn")
RETRY_TEXT = "服务暂时不可用，请稍后重试"
CSRF = "faultsfaultsfaultsfaultsfaults12"  # a client-chosen CSRF secret (cookie = header)
USERS, DRAFTS = 4, 6

pytestmark = [
    pytest.mark.realservices,
    pytest.mark.skipif(
        PG_BINDIR is None, reason="the PostgreSQL server binaries are not installed"
    ),
    pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed in the venv"),
]


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def printed(output: str, marker: str):
    line = next(line for line in output.splitlines() if line.startswith(marker + " "))
    return json.loads(line[len(marker) + 1 :])


@dataclass
class Server:
    url: str
    env: dict[str, str]
    seeded: list[dict]
    process: subprocess.Popen
    log: Path


@pytest.fixture
def cluster():
    pg = PrivatePostgres(PG_BINDIR)
    try:
        pg.init().start()
        pg.create_database("portal")
        yield pg
    finally:
        pg.destroy()


@pytest.fixture
def server(cluster, tmp_path):
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PORTAL_"))
    }
    env = {
        **inherited,
        "DATABASE_URL": cluster.url("portal"),
        "REDIS_URL": "",  # no broker: the outbox runs tasks in-process after commit
        "DJANGO_SETTINGS_MODULE": "tests.faults.server_settings",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "PORTAL_FAULTS_STORAGE": str(tmp_path / "storage"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    manage(env, "migrate", "--noinput")
    seeded = printed(
        manage(env, "shell", "-c", f"from tests.faults.seed import main; main({USERS}, {DRAFTS})"),
        "SEED",
    )
    port, log = free_port(), tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [str(GUNICORN), "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "30",
         "--graceful-timeout", "5"],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: _health(url), 60), log.read_text()[-3000:]
        yield Server(url, env, seeded, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _health(url: str) -> bool:
    try:
        return requests.get(f"{url}/health/", timeout=5).status_code == 200
    except requests.RequestException:
        return False


@dataclass
class Load:
    """What every request of the load got, and the phases the main thread moves through."""

    server: Server
    outcomes: list[tuple] = field(default_factory=list)  # (method, path, status, body, location)
    down: threading.Event = field(default_factory=threading.Event)
    back: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def session(self, key: str) -> requests.Session:
        http = requests.Session()
        http.cookies.set("sessionid", key)
        http.cookies.set("csrftoken", CSRF)
        http.headers["X-CSRFToken"] = CSRF
        return http

    def call(self, http: requests.Session, method: str, path: str, **kwargs) -> object:
        try:
            response = http.request(
                method, self.server.url + path, allow_redirects=False, timeout=60, **kwargs
            )
        except requests.RequestException as exc:  # a dropped connection: never acceptable
            outcome = (method, path, type(exc).__name__, str(exc), "")
        else:
            location = response.headers.get("Location", "")
            outcome = (method, path, response.status_code, response.text, location)
        with self.lock:
            self.outcomes.append(outcome)
        return outcome[2]

    def writer(self, user: dict) -> None:
        """Submits its drafts: two before the outage, two while it starts, two after; a
        submission answered 503 is submitted again, as the page asks."""
        http = self.session(user["session"])
        for i, pk in enumerate(user["drafts"]):
            gate = {2: self.down, 4: self.back}.get(i)
            if gate is not None:
                gate.wait(timeout=90)
            while self.submit(http, pk) == 503:
                time.sleep(0.2)
            self.call(http, "GET", f"/applications/{pk}/")
            self.call(http, "GET", "/api/v1/applications/")

    def submit(self, http: requests.Session, pk: int) -> object:
        return self.call(http, "POST", f"/applications/{pk}/submit/", data={"commitment": "on"})

    def reader(self, key: str) -> None:
        http = self.session(key)
        while not self.done.is_set():
            for path in ("/", "/api/v1/applications/", "/policies/", "/applications/"):
                self.call(http, "GET", path)
            time.sleep(0.05)

    def count(self, status) -> int:
        with self.lock:
            return sum(1 for o in self.outcomes if o[2] == status)

    def acknowledged(self) -> int:
        with self.lock:
            return sum(1 for o in self.outcomes if o[0] == "POST" and o[2] == 302)


def test_postgres_restart_under_load(server, cluster):
    load = Load(server)
    workers = set(children_of(server.process.pid))
    restart_under_load(server, cluster, load)
    assert server.process.poll() is None
    assert set(children_of(server.process.pid)) == workers  # no gunicorn worker died
    check_responses(load.outcomes)
    drafts = [pk for user in server.seeded for pk in user["drafts"]]
    check_submissions(load.outcomes, drafts)
    check_database(server, drafts)


def restart_under_load(server: Server, cluster: PrivatePostgres, load: Load) -> None:
    sessions = [user["session"] for user in server.seeded]
    writers = [threading.Thread(target=load.writer, args=(u,)) for u in server.seeded]
    readers = [threading.Thread(target=load.reader, args=(k,)) for k in sessions[:2]]
    for thread in writers + readers:
        thread.start()
    try:
        assert wait_for(lambda: load.acknowledged() >= 2 * USERS, 60), load.outcomes[-5:]

        load.down.set()  # --- the writers go on while PostgreSQL stops and starts again ----
        cluster.stop("fast")
        probe = load.session(sessions[0])
        page = probe.get(server.url + "/applications/", timeout=30)
        assert page.status_code == 503 and RETRY_TEXT in page.text
        assert page.headers["Retry-After"]
        api = probe.get(server.url + "/api/v1/applications/", timeout=30)
        assert api.status_code == 503 and RETRY_TEXT in api.json()["errors"]["detail"]
        wait_for(lambda: load.count(503) >= 10, 5)
        cluster.start()

        # --- the same gunicorn serves again by itself ---------------------------------------
        def serves() -> bool:
            return probe.get(server.url + "/api/v1/applications/", timeout=30).status_code == 200

        assert wait_for(serves, 30), server.log.read_text()[-3000:]
        load.back.set()
        for thread in writers:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in writers), "writers did not finish"
    finally:
        load.down.set(), load.back.set(), load.done.set()
        for thread in writers + readers:
            thread.join(timeout=60)


def check_responses(outcomes: list[tuple]) -> None:
    """Success or a clean Chinese 503: never a 500, a traceback or a dropped connection."""
    dropped = [o[:3] for o in outcomes if not isinstance(o[2], int)]
    assert not dropped, dropped
    assert {o[2] for o in outcomes} <= {200, 302, 503}, sorted({o[2] for o in outcomes})
    unavailable = [o for o in outcomes if o[2] == 503]
    assert unavailable, "no request met the restart"
    for method, path, _, body, _ in unavailable:
        if path.startswith("/api/"):
            assert RETRY_TEXT in json.loads(body)["errors"]["detail"]
        else:
            assert RETRY_TEXT in body and "Traceback" not in body, (method, path)


def check_submissions(outcomes: list[tuple], drafts: list[int]) -> None:
    """Each draft acknowledged once. "Already submitted" (back to the edit page) only for a
    retry after a 503 whose transaction had committed just before the connection dropped."""
    submits = [
        (int(path.split("/")[2]), status, to)
        for method, path, status, _, to in outcomes
        if method == "POST"
    ]
    acknowledged = [pk for pk, _, to in submits if to == f"/applications/{pk}/"]
    refused = {pk for pk, _, to in submits if to == f"/applications/{pk}/edit/"}
    retried = {pk for pk, status, _ in submits if status == 503}
    assert len(acknowledged) == len(set(acknowledged))
    assert set(acknowledged) | refused == set(drafts)
    assert refused <= retried
    assert retried, "no submission met the restart"


def check_database(server: Server, drafts: list[int]) -> None:
    """Nothing half-written: each case submitted exactly once, with its event, its
    notification and its outbox task, all written in the one transaction."""
    code = f"from tests.faults.seed import report; report({drafts})"
    report = printed(manage(server.env, "shell", "-c", code), "REPORT")
    complete = {
        "status": Status.DISTRICT_REVIEW,
        "submitted": True,
        "commitment": True,
        "submit_events": 1,
        "notifications": 1,
        "case_changed": 1,
    }
    assert report["cases"] == {str(pk): complete for pk in drafts}
    # a task whose sending failed right after its commit is kept: the flush sends it now
    assert "仍未发送 0 个" in manage(server.env, "flush_outbox"), report["unsent"][:3]
    assert "审计链完好" in manage(server.env, "verify_audit_chain")
