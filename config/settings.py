"""Liaison settings, read from the environment.

Development defaults need nothing installed: SQLite in the project folder,
DEBUG on, a throwaway secret key. With ``DJANGO_DEBUG=false`` the settings are
production settings and refuse to start without what production needs.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured

from accounts.local_files import development_secret_key
from partners.country_names import countries_override

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

if not DEBUG:
    missing = [
        name for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL") if not os.environ.get(name)
    ]
    if missing:
        raise ImproperlyConfigured(
            "Production settings (DJANGO_DEBUG=false) need these environment variables: " + ", ".join(missing)
        )

# Development only (production refuses to start without DJANGO_SECRET_KEY, above): a key
# generated once per installation into the git-ignored, owner-only .local-secret-key.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or development_secret_key(BASE_DIR / ".local-secret-key")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.apps.LiaisonAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "config.apps.LoginRecordsConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_countries",
    "django_filters",
    "import_export",
    "phonenumber_field",
    "simple_history",
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    "partners",
    "conference",
    "jobs",
    "duplicates",
    "importing",
    "contact_sheets",
    "programme",
    "devtools",
    "accounts",
    "documents",
    "outreach",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Hostile parameters (NUL, "²" or 5,000 digits for an id) get a 400 before any view reads them.
    "config.parameters.ParameterValidationMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signing in (accounts/): idle sessions end, then the second step is asked for.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "accounts.middleware.TwoStepMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Looks at protected people: a reason once a session, a line per view (privacy/middleware.py).
    "privacy.middleware.AccessLogMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into its lock-out response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets the dev server read while a command writes.
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Log-in protection and security (README.md, "Deployment" explains each variable) ---

# django-axes first: it refuses a locked-out log-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
# Lock the pair (user name, address): a typo-prone colleague on the same office
# address does not lock everyone out, and guessing one account from many
# addresses locks each address separately.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# 15 minutes from the lock, not from the latest refused attempt.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Behind a reverse proxy (nginx) on the same machine, REMOTE_ADDR is the proxy's
# address; the client's is the last X-Forwarded-For entry, which our proxy sets.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)


def client_ip_address(request):
    """The address django-axes locks: the proxy's view of the client when behind our proxy."""
    if BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


AXES_CLIENT_IP_CALLABLE = client_ip_address

# Sessions end 8 hours after log-in (the session is not renewed on each request).
SESSION_COOKIE_AGE = 8 * 60 * 60
# ... and after LIAISON_IDLE_MINUTES without a request (accounts/middleware.py).
LIAISON_IDLE_MINUTES = int(os.environ.get("DJANGO_IDLE_MINUTES", "30"))
# Changing someone's roles, or erasing a person, needs the password entered this recently.
LIAISON_RECENT_LOGIN_MINUTES = int(os.environ.get("DJANGO_RECENT_LOGIN_MINUTES", "10"))
# Two-step sign-in (django-otp) for every account that may export or see protected people
# (accounts/two_step.py); accounts that set one up are asked for it whatever this says.
LIAISON_REQUIRE_OTP = env_bool("DJANGO_REQUIRE_OTP", True)
OTP_TOTP_ISSUER = "Liaison"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if BEHIND_PROXY:
    # Only behind a proxy that sets this header itself and drops any the client sent.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# django-csp 4: scripts only from our own origin (no inline script, no eval);
# the admin, select2, treebeard and simple-history work under it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF],
        # Style attributes only (a few admin, simple-history and
        # django-import-export templates set one); <style> blocks stay forbidden.
        "style-src-attr": [csp_constants.UNSAFE_INLINE],
        "img-src": [csp_constants.SELF, "data:"],
        "font-src": [csp_constants.SELF],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    },
}

# Internationalisation: Traditional Chinese first, English second.
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Browser libraries installed from the npm registry (package.json, `make static-deps`),
    # served by Liaison itself: never from a CDN, so pages work offline and under the CSP.
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"

FORMS_URLFIELD_ASSUME_HTTPS = True

# Phone numbers are stored in E.164; numbers typed without a country code are
# read as Taiwanese, the staff's own.
PHONENUMBER_DEFAULT_REGION = "TW"
PHONENUMBER_DB_FORMAT = "E164"

COUNTRIES_FIRST = ["TW", "US"]
# Country names as Taiwan writes them in Traditional Chinese (django-countries' own elsewhere).
COUNTRIES_OVERRIDE = countries_override()

# django-import-export
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Where an uploaded contact sheet waits between the import's preview and its confirmation. The
# default (the server's temporary folder) suits one server; with several app servers set
# DJANGO_IMPORT_TMP_STORAGE=import_export.tmp_storages.MediaStorage (shared file storage).
IMPORT_EXPORT_TMP_STORAGE_CLASS = os.environ.get(
    "DJANGO_IMPORT_TMP_STORAGE", "import_export.tmp_storages.TempFolderStorage"
)

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# --- Background jobs (jobs/): django-tasks with its database backend; the worker is
# `python manage.py db_worker` (README.md, "Background jobs"). ---
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A job's uploaded file and its result sit here, one private folder (0700) per job, never under
# a static or media root; the web server and the worker must both reach it (one machine, or
# shared storage).
LIAISON_JOBS_ROOT = Path(os.environ.get("DJANGO_JOBS_ROOT", BASE_DIR / "private" / "jobs"))
# How long a finished job's file is kept for its user to download.
LIAISON_JOB_RESULTS_HOURS = int(os.environ.get("DJANGO_JOB_RESULTS_HOURS", "24"))
# A running job records its progress (and looks for a cancel) at most this often.
LIAISON_JOB_PROGRESS_SECONDS = 1.0
# A running job silent this long is taken for one whose worker was killed, and marked failed.
LIAISON_JOB_STALLED_MINUTES = 30
# Imports of more rows and exports of more people than these run as background jobs.
LIAISON_IMPORT_JOB_ROWS = int(os.environ.get("DJANGO_IMPORT_JOB_ROWS", "5000"))
LIAISON_EXPORT_JOB_PEOPLE = int(os.environ.get("DJANGO_EXPORT_JOB_PEOPLE", "20000"))

# The unfiltered person list shows PostgreSQL's estimate ("about N people") instead of counting
# everyone on every view, from this many people on (partners/counting.py).
LIAISON_ESTIMATED_COUNT_FROM = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

SILENCED_SYSTEM_CHECKS = []
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The finder's covering index on people (country, id) INCLUDE (names, flags) is PostgreSQL's;
    # SQLite keeps the plain (country, id) index, which is all it needs: not worth a warning on
    # every command of a local `make run`.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
LIAISON_SEED_FIXTURE = "fnusa_2022"

# Outgoing e-mail, for `python manage.py remind`: sent only where DJANGO_EMAIL_HOST names a server
# (or DJANGO_EMAIL_BACKEND a non-SMTP backend); otherwise the reminders are printed only.
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_HOST_CONFIGURED = bool(os.environ.get("DJANGO_EMAIL_HOST"))
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587" if EMAIL_HOST_CONFIGURED else "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", EMAIL_HOST_CONFIGURED)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "liaison@localhost")

# Contact details last confirmed longer ago than this many days are listed for reconfirmation.
LIAISON_RECONFIRM_AFTER_DAYS = int(os.environ.get("DJANGO_RECONFIRM_AFTER_DAYS", str(2 * 365)))

# Personal data (README.md, "Personal data"): how long each kind of record is kept before review
# or removal, in years. People with no appearance, candidacy or interaction (and no new record,
# confirmation or review) for that long are proposed for review; log entries older than theirs are
# removed by ``python manage.py apply_retention``. Erasure records are kept.
LIAISON_RETENTION_YEARS = {
    "person": int(os.environ.get("DJANGO_RETENTION_PERSON_YEARS", "5")),
    "accesslog": int(os.environ.get("DJANGO_RETENTION_ACCESS_LOG_YEARS", "5")),
    "exportlog": int(os.environ.get("DJANGO_RETENTION_EXPORT_LOG_YEARS", "5")),
}
