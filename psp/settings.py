"""Settings for both run modes, chosen by environment variables only (DESIGN.md section 6).

Embedded default: SQLite, tasks in-process, console email, local files.
Full: DATABASE_URL (PostgreSQL), REDIS_URL (broker and cache), EMAIL_URL (SMTP).
"""

import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from psp.api.enum_names import ENUM_NAME_OVERRIDES
from psp.env import env_bool, env_int, env_list, env_rate, env_str
from psp.security_headers import add_static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PSP_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
# With DEBUG off this is production unless proven otherwise: refuse to start without a real key
# (a made-up key would sign sessions and reset links anyone could forge). The only exceptions
# never sign anything for a real user: the test suite, and the build-time commands that also run
# in a Docker build, where no secrets exist. See README, "manage.py and DEBUG".
_KEYLESS_COMMANDS = {"collectstatic", "makemigrations", "compilemessages"}
_command = sys.argv[1] if len(sys.argv) > 1 else ""
_keyless = "pytest" in sys.modules or _command in _KEYLESS_COMMANDS
if not SECRET_KEY:
    if not DEBUG and not _keyless:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production set SECRET_KEY to a long random value "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))"); '
            "for development set DEBUG=1 (make run does)."
        )
    SECRET_KEY = "insecure-development-key-change-me-" + "x" * 30
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # django.contrib.admin, with a site that signs in through allauth and asks for MFA.
    "psp.accounts.admin_config.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "psp.accounts",
    "psp.tenancy",
    "psp.outbox",
    "psp.notifications",
    "psp.reports",
    "psp.history",
    "psp.evidence",
    "practices",
    "assessments",
    "coaching",
    "cpd",
    "compliance",
    "kpis",
    "psp.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the rest, so that every answer they give (redirects, 403s) gets the headers too.
    "psp.security_headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "psp.tenancy.middleware.ProgramScopeMiddleware",
]

ROOT_URLCONF = "psp.urls"
WSGI_APPLICATION = "psp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "psp.tenancy.context_processors.program_context",
            ],
            # `|day`: dates in the program's date style, on every page without a {% load %}.
            "builtins": ["psp.tenancy.templatetags.program_dates"],
        },
    },
]

# Database: the SQLite file unless DATABASE_URL names another (PostgreSQL in full mode).
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600)}
    # Reusing connections matters: a new one per request cost ~6.7x throughput here.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # As the default file: writers wait for the lock rather than fail at once (the
        # embedded mode's background threads write beside the requests).
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"transaction_mode": "IMMEDIATE", "timeout": 20}
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "psp.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("PSP_MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# MEDIA_ROOT and the private files are siblings under var/media/: see README, psp/storage.py.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media" / "public")))
PSP_PRIVATE_ROOT = Path(env_str("PSP_PRIVATE_ROOT", str(VAR_DIR / "media" / "private")))
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PSP_PRIVATE_ROOT, "base_url": "/no-public-url/"},
}
MEDIA_URL = "/media/"
# Serve static files from the finders in development so `make run` needs no collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Static files are answered before the clickjacking middleware: frame protection for them too.
WHITENOISE_ADD_HEADERS_FUNCTION = add_static_file_headers

# Cache and Celery: Redis in full mode; in-process otherwise.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "psp"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# Without this a killed worker child loses the task it was running (measured here).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900)}
CELERY_TASK_DEFAULT_RETRY_DELAY = 30
# Embedded mode: outbox tasks run in a background thread of the web process, so a page that asks
# for a report answers at once and shows its progress (psp/outbox/relay.py). The test suite runs
# them inline instead (tests/conftest.py).
PSP_TASKS_IN_THREAD = env_bool("PSP_TASKS_IN_THREAD", not REDIS_URL)
# Beat's crontab hours are the installation's local time, as "today" is everywhere else.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # A new day moves practices towards "needs attention" and "stalled" with no write at all:
    # recompute every program's stored caseload standings just after midnight, so the first
    # manager of the day does not wait for 10,000 of them.
    "refresh-caseload-standings": {
        "task": "coaching.tasks.refresh_all_caseload_standings",
        "schedule": crontab(hour=0, minute=15),
    },
    # The dose summary is recomputed after every visit write; rebuilding every program nightly
    # puts right whatever wrote around the models (raw SQL, loaddata, data migrations).
    "rebuild-dose": {
        "task": "coaching.tasks.rebuild_all_dose",
        "schedule": crontab(hour=1, minute=10),
    },
    # The feedback summary likewise (coaching/feedback/summary.py).
    "rebuild-feedback": {
        "task": "coaching.tasks.rebuild_all_feedback",
        "schedule": crontab(hour=1, minute=20),
    },
    # The outbox's relay: sends every task that is due and was not sent (the broker was down
    # when its cause was saved, or a retry's backoff has passed). DESIGN section 9.
    "relay-outbox": {"task": "psp.outbox.tasks.relay_outbox", "schedule": 60.0},
    # Reminders: every program's rules are asked what is due (in the program's own time zone),
    # new notifications are recorded once and sent, and daily digests go out once the program's
    # digest hour has come. One task per program (psp/notifications/tasks.py).
    "scan-reminders": {
        "task": "psp.notifications.tasks.scan_all_programs",
        "schedule": crontab(minute="*/15"),
    },
    # Reports: delete the files past the program's retention (the rows stay, marked expired),
    # and make the reports people subscribed to (monthly, quarterly) for the period just ended:
    # hourly, as each program's new month starts at its own midnight (a repeat makes nothing).
    "expire-reports": {
        "task": "psp.reports.tasks.expire_all_reports",
        "schedule": crontab(hour=2, minute=30),
    },
    # KPIs: every program's computed values, summaries and peer percentiles rebuilt for the
    # whole window (25 months) at night; writes in the day refresh recent months through the
    # outbox (kpis/refresh). One task per program.
    "refresh-kpis": {"task": "kpis.tasks.refresh_all_kpis", "schedule": crontab(hour=1, minute=10)},
    # CPD standings again each day ("on pace" moves with the calendar; writes keep a row current).
    "rebuild-cpd-standings": {
        "task": "cpd.progress.tasks.rebuild_all_cpd_standings",
        "schedule": crontab(hour=0, minute=40),
    },
    "run-report-subscriptions": {
        "task": "psp.reports.tasks.run_all_due_subscriptions",
        "schedule": crontab(minute=20),
    },
    # Compliance: the checklists whose period or event has begun, made once per program. Hourly,
    # as each program's new month starts at its own midnight (a repeat makes nothing).
    "schedule-checklists": {
        "task": "compliance.tasks.schedule_all_checklists",
        "schedule": crontab(minute=5),
    },
}

# Email: console unless EMAIL_URL (smtp://user:pass@host:port?tls=1) is set.
EMAIL_URL = env_str("EMAIL_URL")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PSP Platform <no-reply@psp.local>")
if EMAIL_URL:
    _email = urlparse(EMAIL_URL)
    _email_options = parse_qs(_email.query)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email_options.get("tls", ["0"])[0] in {"1", "true"}
    EMAIL_USE_SSL = _email.scheme == "smtps"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Login: allauth, email only, invitations instead of sign-up.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "psp.accounts.adapter.InvitationOnlyAccountAdapter"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# allauth's forms with labels in sentence case, like the rest of the app.
ACCOUNT_FORMS = {
    "login": "psp.accounts.forms_allauth.LoginForm",
    "change_password": "psp.accounts.forms_allauth.ChangePasswordForm",
    "set_password": "psp.accounts.forms_allauth.SetPasswordForm",
    "reset_password_from_key": "psp.accounts.forms_allauth.ResetPasswordKeyForm",
}
# Failed sign-ins: at most 5 per account (the email, whatever the Host header; see the adapter)
# and 20 per client address, per 5 minutes, counted in the cache (Redis in full mode, so across
# workers). The address is checked first, so a refused address spends no account's allowance;
# it is the client's own address only behind a trusted proxy (PSP_TRUSTED_PROXY_COUNT below).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/5m/ip,5/5m/key",
    "reset_password": "5/h/ip,3/h/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "PSP Platform")

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "psp.accounts.authentication.ProgramTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Under programs/<program>/: a role in that program (404 otherwise) and the MFA policy;
    # elsewhere: signed in. psp/api/permissions.py.
    "DEFAULT_PERMISSION_CLASSES": ["psp.api.permissions.ProgramInScopePermission"],
    "DEFAULT_PAGINATION_CLASS": "psp.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    # Adds the error answers (400, 401, 403, 404, 429) to every operation: psp/api/schema.py.
    "DEFAULT_SCHEMA_CLASS": "psp.api.schema.ProgramAutoSchema",
    "EXCEPTION_HANDLER": "psp.api.errors.exception_handler",
    # JSON only, nested at most 32 deep (psp/api/parsers.py); evidence uploads: psp/evidence/api.py.
    "DEFAULT_PARSER_CLASSES": ["psp.api.parsers.JSONParser"],
    # Per token, and per person for session calls: psp/api/throttles.py (docs/security.md).
    "DEFAULT_THROTTLE_CLASSES": [
        "psp.api.throttles.SustainedRateThrottle",
        "psp.api.throttles.BurstRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "sustained": env_rate("PSP_API_RATE", "2000/hour"),
        "burst": env_rate("PSP_API_BURST_RATE", "300/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PSP Platform API",
    "DESCRIPTION": (
        "Practices, people and enrolment of a Practice Support Program. Every path is under "
        "/api/v1/programs/{program}/; a token works for the one program it was created in."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Group operations by resource (practices, api-tokens...), not by the shared prefix.
    "SCHEMA_PATH_PREFIX": r"/api/v1/programs/\{program\}",
    # One schema name per choice set that several endpoints share.
    "ENUM_NAME_OVERRIDES": ENUM_NAME_OVERRIDES,  # psp/api/enum_names.py
}

# Security: the production values; `manage.py check --deploy` passes with DEBUG off.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# How many proxies of ours stand in front of gunicorn (docker-compose.yml: one). Only then are
# their headers believed: the client's address from X-Forwarded-For (the entry our outermost
# proxy wrote, counting that many from the right; allauth's login limit reads it) and https from
# X-Forwarded-Proto. With 0, the default, both headers are ignored: any client can send them.
PSP_TRUSTED_PROXY_COUNT = env_int("PSP_TRUSTED_PROXY_COUNT", 0)
if PSP_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("PSP_TRUSTED_PROXY_COUNT is a number of proxies: 0 or more.")
ALLAUTH_TRUSTED_PROXY_COUNT = PSP_TRUSTED_PROXY_COUNT
# DRF names a throttled anonymous caller by address the same way (its default, None, would
# believe the whole X-Forwarded-For a client sent).
REST_FRAMEWORK["NUM_PROXIES"] = PSP_TRUSTED_PROXY_COUNT
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if PSP_TRUSTED_PROXY_COUNT > 0 else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs each step of every PDF at INFO (and fontTools each font it subsets): in
    # the worker that is a screenful per report; their warnings still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
PSP_INVITATION_DAYS = env_int("PSP_INVITATION_DAYS", 14)
# Above this many practices in reach, a filter that chooses a practice is a search box rather
# than a <select> of every one (psp/widgets.py ObjectChoice).
PSP_PRACTICE_CHOICE_LIMIT = env_int("PSP_PRACTICE_CHOICE_LIMIT", 200)
# Rows a list page counts at most (psp/pagination.py); above it "more than 1,000", no last page.
PSP_LIST_COUNT_LIMIT = env_int("PSP_LIST_COUNT_LIMIT", 1000)
PSP_SITE_URL = env_str("PSP_SITE_URL", "http://127.0.0.1:8000")
PSP_EVIDENCE_MAX_BYTES = env_int("PSP_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)  # psp/evidence
