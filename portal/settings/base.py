"""Settings shared by every environment; everything that varies comes from the environment.

DATABASE_URL unset -> a SQLite file under the project (the embedded default).
REDIS_URL unset    -> Celery runs tasks eagerly in the web process.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from portal.settings.password_profiles import PROFILES

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "portal.accounts.apps.AxesConfig",  # django-axes, named in Chinese
    "django_otp",
    "portal.accounts.apps.TotpConfig",  # django_otp.plugins.otp_totp, named in Chinese
    "portal.core",
    "portal.accounts",
    "policies",
    "enterprises",
    "applications",
    "reviews",
    "finance",
    "proactive",
    "dashboards",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.core.middleware.RefuseNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.accounts.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "portal.accounts.middleware.PasswordAgeMiddleware",
    "portal.accounts.middleware.StaffSecondFactorMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["portal.core.templatetags.portal"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.accounts.context_processors.role_nav",
            ],
        },
    },
]


def database_from_env() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # The embedded default. IMMEDIATE transactions take the write lock at BEGIN, so
    # concurrent writers queue (up to the timeout) instead of failing with "database is locked".
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "var" / "portal.sqlite3",
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PORTAL_PASSWORD_PROFILE = os.environ.get("PORTAL_PASSWORD_PROFILE", "dengbao")
AUTH_PASSWORD_VALIDATORS = PROFILES[PORTAL_PASSWORD_PROFILE]["validators"]
PORTAL_PASSWORD_MAX_AGE_DAYS = PROFILES[PORTAL_PASSWORD_PROFILE]["max_age_days"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # lockout first: 5 failures, 15 minutes
    "django.contrib.auth.backends.ModelBackend",
]
# 等保 level 3: staff (reviewers, finance, leaders, administrators) log in with a TOTP second factor.
PORTAL_STAFF_2FA = env_bool("PORTAL_STAFF_2FA", True)
OTP_TOTP_ISSUER = "郑州惠企政策兑现平台"
# Marking money paid and publishing a rule need the password (and TOTP) again within this many
# seconds (portal/accounts/reauth.py).
PORTAL_REAUTH_SECONDS = int(os.environ.get("PORTAL_REAUTH_SECONDS") or "300")
# API tokens expire after at most this many days (the owner picks 1..this when issuing one).
PORTAL_API_TOKEN_MAX_DAYS = int(os.environ.get("PORTAL_API_TOKEN_MAX_DAYS") or "90")
# Login failures (issue 17): a growing delay per username from any address
# (portal/accounts/login_delay.py: after 3 failures 1, 2, 4 ... seconds, at most 60) rather than
# a lock anyone could set off; django-axes locks only the address that keeps failing: 10
# failures of one username from one client address, 15 minutes. Behind the reverse proxy the
# client address is read from X-Forwarded-For (PORTAL_NUM_PROXIES, portal/core/net.py).
PORTAL_LOGIN_DELAY_AFTER = int(os.environ.get("PORTAL_LOGIN_DELAY_AFTER") or "3")
PORTAL_LOGIN_DELAY_MAX_SECONDS = int(os.environ.get("PORTAL_LOGIN_DELAY_MAX_SECONDS") or "60")
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.core.net.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded materials are kept outside any public path and served only through
    # permission-checked views (see applications/); MEDIA_URL is deliberately unset.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(BASE_DIR / "var" / "private")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
PRIVATE_STORAGE_ROOT = BASE_DIR / "var" / "private"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "noreply@huiqi.example.gov.cn")

SESSION_COOKIE_AGE = int(os.environ.get("PORTAL_SESSION_IDLE_SECONDS", "1800"))
# Idle timeout: an active session is re-saved (its age restarted) at most once a minute by
# portal.accounts.middleware.SessionIdleTimeoutMiddleware, not on every request.
SESSION_SAVE_EVERY_REQUEST = False

# No inline script anywhere: pages pass data with json_script and load static JS files.
# Inline style attributes are allowed (they cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Registration refuses these login names with the same message as a taken one (no way to tell
# whether a staff account has the name; portal/accounts/usernames.py).
PORTAL_RESERVED_USERNAMES = env_list(
    "PORTAL_RESERVED_USERNAMES",
    "admin,administrator,root,system,sysadmin,superuser,staff,test,guest,operator,manager,"
    "lingdao,zhengce,shigxj,shicz,caizheng,gongxin,shenhe,jinshui,erqi,zhongyuan,huiji,"
    "guancheng,shangjie,gaoxin,jingkai,hangkonggang,zhengdong",
)

# --- reverse proxy ---------------------------------------------------------------
# How many reverse proxies we run in front of gunicorn (0: clients connect directly). The
# client's address is then that many entries from the right of X-Forwarded-For; the login lock,
# DRF throttles and the audit log all read it through portal/core/net.py (DRF: NUM_PROXIES).
PORTAL_NUM_PROXIES = int(os.environ.get("PORTAL_NUM_PROXIES") or "0")

# --- REST API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # API tokens issued by their owners (portal/accounts/tokens.py), not DRF's Token
        "portal.accounts.tokens.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "portal.core.api.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "portal.core.openapi.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.core.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "DEFAULT_THROTTLE_RATES": {"anon_register": "20/hour"},
    "NUM_PROXIES": PORTAL_NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "惠企政策兑现平台 API",
    "DESCRIPTION": "政策库、政策计算器、申报、审核、兑付接口。金额均为以元为单位、两位小数的字符串。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # one name per choice set, so generated clients get stable enum names
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "applications.workflow.Status",
        "EnterpriseStatusEnum": "enterprises.models.Enterprise.Status",
        "PolicyStatusEnum": "policies.models.Policy.Status",
        "ServiceRatingLevelEnum": "applications.models.ServiceRating.Level",
        "PolicyLevelEnum": "policies.models.Policy.Level",
    },
}

# --- Celery --------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CELERY_BROKER_URL = REDIS_URL or "memory://"
# "default": per-process reference data (local memory, see README). "shared": counters every
# process must share (login failures, API throttles): Redis when REDIS_URL is set, through a
# backend that answers like an empty cache while Redis is down (portal/core/cache.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": (
        {
            "BACKEND": "portal.core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "TIMEOUT": 3600,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"}
    ),
}
CELERY_RESULT_BACKEND = REDIS_URL or None
# No broker configured: run tasks in-process so the embedded default works with no services.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a task is acknowledged after it ran, not when received ...
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ... so a killed worker's task is delivered again
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A Redis that accepts connections but never answers must not hang .delay() for minutes.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 3,
    "socket_connect_timeout": 3,
    "max_retries": 1,
    "visibility_timeout": 3600,
}
CELERY_REDIS_SOCKET_TIMEOUT = 3
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 3
CELERY_BEAT_SCHEDULE: dict = {
    "heartbeat": {"task": "portal.core.tasks.record_heartbeat", "schedule": 300.0},
    "flush-outbox": {"task": "portal.core.tasks.flush_outbox", "schedule": 30.0},
    "finance-payables-sweep": {"task": "finance.tasks.payables_sweep", "schedule": 3600.0},
    "reviews-deadline-reminders": {
        "task": "reviews.tasks.send_deadline_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    "reviews-lapse-corrections": {
        "task": "reviews.tasks.lapse_overdue_corrections",
        "schedule": crontab(hour=0, minute=30),
    },
    "reviews-close-notices": {
        "task": "reviews.tasks.close_notices",
        "schedule": crontab(hour=0, minute=10),
    },
    "finance-payment-reminders": {
        "task": "finance.tasks.send_payment_reminders",
        "schedule": crontab(hour=8, minute=40),
    },
    "proactive-expire-proposals": {
        "task": "proactive.tasks.expire_proposals",
        "schedule": crontab(hour=0, minute=50),
    },
    "proactive-recompute-proposals": {
        "task": "proactive.tasks.recompute_proposals",
        "schedule": crontab(hour=2, minute=0),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
if CELERY_TASK_ALWAYS_EAGER:
    # embedded default: tasks run inside the command or request; a "succeeded" line per task
    # (ninety of them during `make load`) would bury the demo logins `make run` prints
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}

# --- Portal ---------------------------------------------------------------------
PORTAL_NAME = "郑州市惠企政策兑现平台"
# The queue's index INCLUDEs a column for index-only scans on PostgreSQL; SQLite (the embedded
# default) ignores the included column and would warn on every start.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Event tables copied into the hash-chained audit log; on PostgreSQL they refuse UPDATE/DELETE.
PORTAL_AUDITED_MODELS = [
    "applications.ApplicationEvent",
    "enterprises.EnterpriseEvent",
    "finance.LedgerEntry",
    "policies.ClauseRuleVersion",
]
# Audit records are kept at least this many days (a system check refuses less than 180). The
# application never deletes them; older records are archived with `manage.py export_audit`.
PORTAL_AUDIT_RETENTION_DAYS = int(os.environ.get("PORTAL_AUDIT_RETENTION_DAYS") or "180")
# Who publishes the public notice (公示) and where to call about it, printed under the list.
PORTAL_NOTICE_PUBLISHER = os.environ.get("PORTAL_NOTICE_PUBLISHER") or "郑州市工业和信息化局"
PORTAL_NOTICE_PHONE = (
    os.environ.get("PORTAL_NOTICE_PHONE") or "0371-12345（郑州市政务服务便民热线）"
)
# Objections to a public notice one account may file in 24 hours (page and API alike).
PORTAL_OBJECTIONS_PER_DAY = int(os.environ.get("PORTAL_OBJECTIONS_PER_DAY") or "3")
# 免申即享 proposals the enterprise has not confirmed lapse after this many working days.
PORTAL_PROPOSAL_EXPIRY_WORKDAYS = int(os.environ.get("PORTAL_PROPOSAL_EXPIRY_WORKDAYS", "10"))
# A determined award is paid within this many working days (承诺时限), unless its policy's payout
# target (兑付时限) comes earlier: the shares' due dates, the case's step bar and the 受理回执.
PORTAL_PAYMENT_DUE_WORKDAYS = int(os.environ.get("PORTAL_PAYMENT_DUE_WORKDAYS") or "20")
# A 差评 gives the responsible office this many working days to call back (差评回访).
PORTAL_RATING_FOLLOW_UP_WORKDAYS = int(os.environ.get("PORTAL_RATING_FOLLOW_UP_WORKDAYS") or "15")
# Where a lower app needs a higher one (menu badges, the case page's payment status, the budget
# check at approval, payables on determination, the calculator's prefill) it calls a typed link
# the higher app provides in its AppConfig.ready (portal/core/links.py; checked at start-up).
