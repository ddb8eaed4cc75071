"""Local development: the settings `make run` uses. Debug on, an insecure key is fine here."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# whitenoise serves from the finders in dev; keep the (empty) collected root so it does not warn
WHITENOISE_USE_FINDERS = True
(BASE_DIR / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)  # noqa: F405

# The demo logins work without an authenticator app; set PORTAL_STAFF_2FA=true to try it.
PORTAL_STAFF_2FA = env_bool("PORTAL_STAFF_2FA", False)
