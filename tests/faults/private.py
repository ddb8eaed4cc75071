"""Private Redis and PostgreSQL servers and Celery workers for the fault tests.

The machine's PostgreSQL (5432) and Redis (6379) are shared with other runs, so a fault test
never stops them: it starts its own servers on free ports, breaks and restarts those, and
removes them afterwards.
"""

from __future__ import annotations

import email
import email.policy
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


# --- Redis --------------------------------------------------------------------------------


class PrivateRedis:
    """``redis-server`` without persistence on a free port; ``stop()`` is "Redis is down",
    ``start()`` again (same port, empty) is "Redis is back"."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def start(self) -> PrivateRedis:
        log = (self.workdir / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        if not wait_for(lambda: self._pong(), 15, 0.05):
            raise RuntimeError(f"private redis-server on {self.port} did not start")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.process = None

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=3)

    def _pong(self) -> bool:
        try:
            return bool(self.client().ping())
        except Exception:
            return False


@contextmanager
def celery_on(url: str) -> Iterator[None]:
    """Send this process's tasks to the broker (and results to the backend) at ``url``
    instead of running them eagerly. Celery keeps the broker connection pool, the producer
    pool and the result backend once made, so they are dropped on the way in and out."""
    from celery import current_app as app

    keys = ("broker_url", "result_backend", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    _forget_connections(app)
    try:
        yield
    finally:
        app.conf.update(saved)
        _forget_connections(app)


def _forget_connections(app) -> None:
    from kombu import pools

    # kombu keeps its pools in global registries keyed by the connection: closing a pool
    # without dropping it from them would hand the closed pool to the next test that sends
    # to the same broker ("Acquire on closed pool"). reset() closes and forgets them all.
    pools.reset()
    app._after_fork()  # what Celery does in a forked child: no pool, no producer pool
    app._backend_cache = None  # the result backend: shared, or one per thread
    vars(app._local).pop("backend", None)


# --- Celery workers -----------------------------------------------------------------------


def worker_env(redis_url: str, mail_dir: Path, **extra: str) -> dict[str, str]:
    """A worker on the private Redis and this test's database, mailing into ``mail_dir``."""
    from tests.realworkers import real_worker_env

    return {
        **real_worker_env(),
        "REDIS_URL": redis_url,
        "PORTAL_TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "PORTAL_TEST_EMAIL_FILE_PATH": str(mail_dir),
        **extra,
    }


def start_worker(env: dict[str, str], log: Path, *, concurrency: int = 1) -> subprocess.Popen:
    """A prefork worker (a parent and ``concurrency`` children) in its own process group."""
    name = f"faults-{uuid.uuid4().hex[:6]}@%h"
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "prefork",
         "-c", str(concurrency), "-n", name, "--without-heartbeat", "--without-gossip",
         "--without-mingle", "-l", "info"],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True,  # killpg reaches the pool children too
    )  # fmt: skip


def kill_group(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its children at once: no warm shutdown, no ack, no cleanup."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=20)


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        kill_group(worker)


def children_of(pid: int) -> list[int]:
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(Path(stat).parent.name))
    return found


def mail_subjects(mail_dir: Path) -> list[str]:
    """Subjects of every message the file e-mail backend wrote (one file per connection,
    messages separated by a line of 79 dashes)."""
    subjects = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk, policy=email.policy.default)
                subjects.append(str(message["Subject"]).strip())
    return subjects


# --- PostgreSQL ---------------------------------------------------------------------------


def postgres_bindir() -> Path | None:
    """The newest installed server binaries (Debian keeps them out of PATH)."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PrivatePostgres:
    """A throw-away cluster in a temporary directory (socket there too) on a free port.

    initdb refuses to run as root, so as root the server runs as the ``postgres`` user.
    """

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="portal-faults-pg-"))
        self.data = self.root / "data"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, user="postgres", group="postgres")

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        subprocess.run(
            [*prefix, *args], check=True, timeout=timeout, capture_output=True, cwd=self.root
        )

    def init(self) -> PrivatePostgres:
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=50"
        )
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self, name: str) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with suppress(subprocess.SubprocessError):
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""
