"""Helpers for tests that start real Celery worker processes."""

from __future__ import annotations


def real_worker_env() -> dict[str, str]:
    """Environment for a worker process that must reach this test's database and broker."""
    import os

    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        url = f"postgres://{db.get('USER') or 'postgres'}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    return dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        PORTAL_TEST_CELERY_EAGER="0",
    )
