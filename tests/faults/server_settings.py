"""Settings of the app server that the PostgreSQL restart test starts with gunicorn: the test
settings, but with production's persistent connections checked before reuse, and the test's
own file storage. DATABASE_URL (the private cluster) comes from the environment."""

import os

from portal.settings.test import *  # noqa: F403

DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ["PORTAL_FAULTS_STORAGE"]},
    },
}
PRIVATE_STORAGE_ROOT = os.environ["PORTAL_FAULTS_STORAGE"]
