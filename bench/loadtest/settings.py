"""Load-test settings: production's, served over plain HTTP on 127.0.0.1.

What differs from ``portal.settings.production`` and why:

- no HTTPS redirect, HSTS or secure-only cookies: gunicorn answers on http://127.0.0.1 with no
  TLS proxy in front, and a secure-only session cookie would never come back;
- no staff second factor (``PORTAL_STAFF_2FA = False``): the simulated staff would have to
  share the TOTP secret and wait 30 s between two uses of a code (django-otp refuses a code
  twice); a code check is one HMAC, the password check it sits beside stays the real one;
- uploaded materials go to ``var/loadtest-private/``, collected static files to
  ``var/loadtest-static/``, and logging is quieter.

Everything else is production: PBKDF2 passwords (about 0.75 s of CPU per login or
re-authentication, by design), the database session store, PostgreSQL from ``DATABASE_URL``
and a real Celery worker on ``REDIS_URL`` (``bench/loadtest/run.py`` sets both).
"""

from portal.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
PORTAL_STAFF_2FA = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(BASE_DIR / "var" / "loadtest-private")},  # noqa: F405
    },
}
PRIVATE_STORAGE_ROOT = BASE_DIR / "var" / "loadtest-private"  # noqa: F405
STATIC_ROOT = BASE_DIR / "var" / "loadtest-static"  # noqa: F405 - collectstatic of its own
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
