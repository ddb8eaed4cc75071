"""pytest settings: the environment decides the database (SQLite file when DATABASE_URL is unset)."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(BASE_DIR / "var" / "test-private")},  # noqa: F405
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PRIVATE_STORAGE_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
# Worker processes started by the fault tests write their mail to files the test counts.
EMAIL_BACKEND = os.environ.get(
    "PORTAL_TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("PORTAL_TEST_EMAIL_FILE_PATH", "")
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# whitenoise serves from the finders in test; keep the (empty) collected root so it does not warn
WHITENOISE_USE_FINDERS = True
(BASE_DIR / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)  # noqa: F405

REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon_register": "100000/hour"}}  # noqa: F405
PORTAL_STAFF_2FA = False  # tests that need it turn it on
# Each test starts with empty counters (tests/conftest.py clears both caches): the shared cache
# is local memory here; portal/core/cache.py's Redis backend is tested on its own.
CACHES = {
    **CACHES,  # noqa: F405
    "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
}

# Tests run tasks in-process even when REDIS_URL is set (CI sets it), so a test sees the effect
# of what it enqueued. Tests of real workers turn this off with the `real_broker` fixture and
# start their worker processes with PORTAL_TEST_CELERY_EAGER=0.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("PORTAL_TEST_CELERY_EAGER", "1") == "1"

# A worker on a fault test's private Redis takes back a dead worker's unacknowledged task after
# these seconds instead of the production hour (tests/faults/).
if os.environ.get("PORTAL_TEST_VISIBILITY_TIMEOUT"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "visibility_timeout": int(os.environ["PORTAL_TEST_VISIBILITY_TIMEOUT"]),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
