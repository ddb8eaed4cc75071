"""Benchmark settings: the dev settings plus a bare view to compare against (never deployed)."""

from portal.settings.dev import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.dashboards.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
