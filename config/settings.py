"""Kinsight settings: one file, driven by environment variables.

Unset means safe: production, which refuses to start without what it needs (a random
secret, a PostgreSQL DATABASE_URL, the server's host names) and runs with DEBUG off and
two-factor on. Only the demo (bin/demo sets KINSIGHT_DEMO=true) gets demo defaults, and
it too runs with DEBUG off. Every variable is documented in docs/operations.md.
"""

import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None):
    """Read NAME, or the contents of the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name, default):
    raw = env_str(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name, default):
    raw = env_str(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name, default):
    raw = env_str(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEMO = env_bool("KINSIGHT_DEMO", False)
# Off in the demo too: Django's debug 404 page lists every URL pattern, and a 404 is
# how Kinsight says "not yours". Set DEBUG=true by hand only while developing.
DEBUG = env_bool("DEBUG", False)
_DEMO_SECRET = "demo-only-not-secret-kinsight"  # noqa: S105 (refused outside demo below)
SECRET_KEY = env_str("SECRET_KEY", _DEMO_SECRET if DEMO else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEMO else [])
# Two-factor is always on in production; the demo may switch it off (README).
OTP_REQUIRED = env_bool("KINSIGHT_OTP_REQUIRED", True)
SESSION_IDLE_MINUTES = env_int("KINSIGHT_SESSION_IDLE_MINUTES", 30)
LOGIN_FAILURE_LIMIT = env_int("KINSIGHT_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("KINSIGHT_LOGIN_LOCKOUT_MINUTES", 15)
LOGIN_RATE_LIMIT = env_bool("KINSIGHT_LOGIN_RATE_LIMIT", True)
# Failed passwords from one address, whatever the usernames, within
# LOGIN_LOCKOUT_MINUTES before that address is refused (kinsight/accounts/limits.py).
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("KINSIGHT_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
# API tokens: their lifetime in days (the longest a user may choose; the default).
API_TOKEN_DAYS = env_int("KINSIGHT_API_TOKEN_DAYS", 90)
API_TOKENS_PER_USER = env_int("KINSIGHT_API_TOKENS_PER_USER", 10)
# API throttling: requests per user and per token (DRF's "number/period" rates).
API_RATE_USER = env_str("KINSIGHT_API_RATE_USER", "600/min")
API_RATE_TOKEN = env_str("KINSIGHT_API_RATE_TOKEN", "300/min")
# The child question is asked again this many months after it was answered.
KINSIGHT_CHILD_QUESTION_MONTHS = env_int("KINSIGHT_CHILD_QUESTION_MONTHS", 6)
# From this age a child's own view is recorded with a guardian's consent (family work).
KINSIGHT_CHILD_VIEW_AGE = env_int("KINSIGHT_CHILD_VIEW_AGE", 12)
# The running month's minimum-level figures kept by `rollup_minimum_level --running`
# (run every few minutes) are shown while younger than this; older, or never kept, the
# dashboard computes them live (docs/operations.md, "Scheduled jobs").
KINSIGHT_RUNNING_MONTH_MINUTES = env_int("KINSIGHT_RUNNING_MONTH_MINUTES", 15)
# Support groups: the effect report shows counts only below this many participants with
# both measurements (too few to say anything, and too few to stay anonymous).
KINSIGHT_GROUPS_MIN_N = env_int("KINSIGHT_GROUPS_MIN_N", 5)
# Figures that leave the unit (PDF, Excel, CSV, API aggregates) show counts below this as
# "<5", with complementary suppression (kinsight/followup/suppression.py).
KINSIGHT_SUPPRESSION_THRESHOLD = env_int("KINSIGHT_SUPPRESSION_THRESHOLD", 5)
# Break the glass (nödåtkomst): how long an emergency access gives sight, and within how
# many days a log reviewer reviews it (kinsight/people/emergency, docs/permissions.md).
KINSIGHT_EMERGENCY_ACCESS_MINUTES = env_int("KINSIGHT_EMERGENCY_ACCESS_MINUTES", 60)
KINSIGHT_EMERGENCY_REVIEW_DAYS = env_int("KINSIGHT_EMERGENCY_REVIEW_DAYS", 14)
# The population register (kinsight/people/register): "fake" (invented records, the demo
# only), "navet" (Skatteverket's Navet with the organisation's certificate), or empty (no
# lookups). docs/operations.md, "Population register (Navet)".
KINSIGHT_POPULATION_REGISTER = env_str("KINSIGHT_POPULATION_REGISTER", "fake" if DEMO else "")
KINSIGHT_NAVET_URL = env_str("KINSIGHT_NAVET_URL", "")
KINSIGHT_NAVET_CERT_FILE = env_str("KINSIGHT_NAVET_CERT_FILE", "")
KINSIGHT_NAVET_KEY_FILE = env_str("KINSIGHT_NAVET_KEY_FILE", "")
KINSIGHT_NAVET_CA_FILE = env_str("KINSIGHT_NAVET_CA_FILE", "")
KINSIGHT_NAVET_ORG_NR = env_str("KINSIGHT_NAVET_ORG_NR", "")
KINSIGHT_NAVET_ORDER_ID = env_str("KINSIGHT_NAVET_ORDER_ID", "")
KINSIGHT_NAVET_TIMEOUT = env_int("KINSIGHT_NAVET_TIMEOUT", 10)
# Log review (kinsight/audit/patterns.py): "many persons" is this many different persons
# read by one user within a clock hour; the working day is [start, end) on weekdays; the
# monthly sample draws this many rows per unit.
KINSIGHT_LOG_REVIEW_MANY_PERSONS = env_int("KINSIGHT_LOG_REVIEW_MANY_PERSONS", 20)
KINSIGHT_LOG_REVIEW_WORKDAY_START = env_int("KINSIGHT_LOG_REVIEW_WORKDAY_START", 7)
KINSIGHT_LOG_REVIEW_WORKDAY_END = env_int("KINSIGHT_LOG_REVIEW_WORKDAY_END", 18)
KINSIGHT_LOG_REVIEW_SAMPLE_SIZE = env_int("KINSIGHT_LOG_REVIEW_SAMPLE_SIZE", 10)
# Retention (kinsight/retention): the audit log's own retention in years (0 keeps it for
# ever), and how many person files one culling batch (one transaction) takes.
KINSIGHT_AUDIT_RETENTION_YEARS = env_int("KINSIGHT_AUDIT_RETENTION_YEARS", 10)
KINSIGHT_RETENTION_BATCH = env_int("KINSIGHT_RETENTION_BATCH", 100)
# Single sign-on (kinsight/sso): the folder of the identity providers' client secrets
# and SAML keys; a municipality's configuration may only name files in it.
KINSIGHT_SSO_SECRETS_DIR = env_str("KINSIGHT_SSO_SECRETS_DIR", "/etc/kinsight/sso")
# The regional network's shared files (kinsight/network): the largest upload in MB (nginx's
# client_max_body_size must allow it), and how many days before an inventory's deadline
# its reminder shows on a member's start page.
KINSIGHT_NETWORK_FILE_MAX_MB = env_int("KINSIGHT_NETWORK_FILE_MAX_MB", 20)
KINSIGHT_NETWORK_REMINDER_DAYS = env_int("KINSIGHT_NETWORK_REMINDER_DAYS", 14)
# Every export asks for the password and code again after this many minutes since the
# last sign-in or confirmation (kinsight/accounts/reauth.py).
KINSIGHT_REAUTH_MINUTES = env_int("KINSIGHT_REAUTH_MINUTES", 5)
# The audit chain's anchor outside the database (kinsight/audit/anchor.py; docs/operations.md,
# "Audit chain key and checkpoints"): the file of the key its hashes are keyed with
# (readable by the application, not by the database role), the append-only file of signed
# checkpoints, optionally syslog (/dev/log or host:port), and a checkpoint every N rows.
KINSIGHT_AUDIT_KEY_FILE = env_str(
    "KINSIGHT_AUDIT_KEY_FILE", str(VAR_DIR / "audit.key") if DEMO else None
)
KINSIGHT_AUDIT_CHECKPOINT_FILE = env_str(
    "KINSIGHT_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit-checkpoints.jsonl") if DEMO else None
)
KINSIGHT_AUDIT_SYSLOG = env_str("KINSIGHT_AUDIT_SYSLOG", "")
KINSIGHT_AUDIT_CHECKPOINT_ROWS = env_int("KINSIGHT_AUDIT_CHECKPOINT_ROWS", 10000)
# Reverse proxies whose X-Forwarded-For is believed (their own addresses).
TRUSTED_PROXIES = set(env_list("KINSIGHT_TRUSTED_PROXIES", []))
# Addresses or networks allowed to read /metrics (Prometheus); unset: nobody.
try:
    KINSIGHT_METRICS_ALLOWED = [
        ipaddress.ip_network(_network, strict=False)
        for _network in env_list("KINSIGHT_METRICS_ALLOWED", [])
    ]
except ValueError as _error:
    raise ImproperlyConfigured(f"KINSIGHT_METRICS_ALLOWED: {_error}") from None
# Who to contact about the accessibility statement (/tillganglighet/): the
# municipality's address for reports of inaccessible content.
KINSIGHT_ACCESSIBILITY_CONTACT = env_str("KINSIGHT_ACCESSIBILITY_CONTACT", "")

_DATABASE_URL = env_str("DATABASE_URL")

# Sane ranges for the sign-in and session limits (a lockout of 0 or 10,000 failures
# is a typo, not a policy).
_LIMITS = {
    "KINSIGHT_LOGIN_FAILURE_LIMIT": (LOGIN_FAILURE_LIMIT, 3, 20),
    "KINSIGHT_LOGIN_LOCKOUT_MINUTES": (LOGIN_LOCKOUT_MINUTES, 1, 24 * 60),
    "KINSIGHT_SESSION_IDLE_MINUTES": (SESSION_IDLE_MINUTES, 5, 8 * 60),
    "KINSIGHT_LOGIN_ADDRESS_FAILURE_LIMIT": (LOGIN_ADDRESS_FAILURE_LIMIT, 5, 1000),
    "KINSIGHT_API_TOKEN_DAYS": (API_TOKEN_DAYS, 1, 365),
    "KINSIGHT_API_TOKENS_PER_USER": (API_TOKENS_PER_USER, 1, 100),
    "KINSIGHT_EMERGENCY_ACCESS_MINUTES": (KINSIGHT_EMERGENCY_ACCESS_MINUTES, 5, 8 * 60),
    "KINSIGHT_EMERGENCY_REVIEW_DAYS": (KINSIGHT_EMERGENCY_REVIEW_DAYS, 1, 90),
    "KINSIGHT_REAUTH_MINUTES": (KINSIGHT_REAUTH_MINUTES, 1, 60),
    "KINSIGHT_NETWORK_FILE_MAX_MB": (KINSIGHT_NETWORK_FILE_MAX_MB, 1, 100),
    "KINSIGHT_NETWORK_REMINDER_DAYS": (KINSIGHT_NETWORK_REMINDER_DAYS, 0, 90),
    "KINSIGHT_AUDIT_RETENTION_YEARS": (KINSIGHT_AUDIT_RETENTION_YEARS, 0, 100),
    "KINSIGHT_RETENTION_BATCH": (KINSIGHT_RETENTION_BATCH, 1, 10000),
    "KINSIGHT_LOG_REVIEW_MANY_PERSONS": (KINSIGHT_LOG_REVIEW_MANY_PERSONS, 2, 1000),
    "KINSIGHT_LOG_REVIEW_WORKDAY_START": (KINSIGHT_LOG_REVIEW_WORKDAY_START, 0, 23),
    "KINSIGHT_LOG_REVIEW_WORKDAY_END": (KINSIGHT_LOG_REVIEW_WORKDAY_END, 1, 24),
    "KINSIGHT_LOG_REVIEW_SAMPLE_SIZE": (KINSIGHT_LOG_REVIEW_SAMPLE_SIZE, 1, 500),
}
_RATE = re.compile(r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$")
for _name, _rate in (
    ("KINSIGHT_API_RATE_USER", API_RATE_USER),
    ("KINSIGHT_API_RATE_TOKEN", API_RATE_TOKEN),
):
    if not _RATE.match(_rate or ""):
        raise ImproperlyConfigured(f"{_name} must be a rate such as 600/min, not {_rate!r}")


def weak_secret(secret):
    """True for a secret that is short, the demo's, or of low entropy (few distinct
    characters, such as one letter repeated)."""
    return not secret or secret == _DEMO_SECRET or len(secret) < 40 or len(set(secret)) < 16


def _audit_key_readable(path):
    """True when ``path`` names a file this process reads, of at least 32 characters."""
    try:
        return len(Path(path).read_text(encoding="utf-8").strip()) >= 32
    except (OSError, TypeError, UnicodeDecodeError):
        return False


def production_problems():
    """What keeps these settings from running in production, each with what to set."""
    problems = []
    if weak_secret(SECRET_KEY):
        problems.append(
            "SECRET_KEY must be set to a random value of at least 40 characters "
            "(e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`)"
        )
    if DEBUG:
        problems.append("DEBUG must be off")
    if not OTP_REQUIRED:
        problems.append("KINSIGHT_OTP_REQUIRED must be on (two-factor is required)")
    if not LOGIN_RATE_LIMIT:
        problems.append("KINSIGHT_LOGIN_RATE_LIMIT must be on")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must name the server's host names")
    if any("*" in host for host in ALLOWED_HOSTS):
        problems.append("ALLOWED_HOSTS must name the server's host names, not a wildcard '*'")
    if not (_DATABASE_URL or "").startswith(("postgres://", "postgresql://", "pgsql://")):
        problems.append(
            "DATABASE_URL must name a PostgreSQL database (postgres://user@host/name): "
            "SQLite is for the demo only and has no append-only audit trigger"
        )
    if not _audit_key_readable(KINSIGHT_AUDIT_KEY_FILE):
        problems.append(
            "KINSIGHT_AUDIT_KEY_FILE must name a readable file holding the audit chain's key "
            "(64 random hex characters, e.g. `python3 -c 'import secrets; "
            "print(secrets.token_hex(32))'`), readable by the application, not the database"
        )
    if not KINSIGHT_AUDIT_CHECKPOINT_FILE:
        problems.append(
            "KINSIGHT_AUDIT_CHECKPOINT_FILE must name the append-only file for the audit "
            "chain's signed checkpoints, outside the database"
        )
    for name, (value, low, high) in _LIMITS.items():
        if not low <= value <= high:
            problems.append(f"{name} must be between {low} and {high}, not {value}")
    return problems


if not DEMO and (problems := production_problems()):
    raise ImproperlyConfigured(
        "Production settings refused (set KINSIGHT_DEMO=true only for the demo): "
        + "; ".join(problems)
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_prometheus",
    "kinsight.core",
    "kinsight.audit",
    "kinsight.access",
    "kinsight.accounts",
    "kinsight.sso",
    "kinsight.people",
    "kinsight.cases",
    "kinsight.detection",
    "kinsight.followup",
    "kinsight.family",
    "kinsight.interventions",
    "kinsight.assessment",
    "kinsight.groups",
    "kinsight.ui",
    "kinsight.dpo",
    "kinsight.retention",
    "kinsight.imports",
    "kinsight.regions",
    "kinsight.network",
    "kinsight.demo",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kinsight.ui.middleware.NoStoreMiddleware",
    "kinsight.audit.middleware.RequestContextMiddleware",
    "kinsight.audit.middleware.AuditReadsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kinsight.accounts.middleware.SessionMiddleware",
    "kinsight.ui.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kinsight.accounts.middleware.OTPMiddleware",
    "kinsight.accounts.middleware.LoginRequiredMiddleware",
    "kinsight.people.emergency.live.EmergencyAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kinsight.ui.context_processors.kinsight",
                "kinsight.followup.context_processors.followup",
                "kinsight.people.emergency.live.banner",
            ],
        },
    },
]
# Selects' empty choice in Swedish ("Välj …", not Django's "---------") in every form.
FORM_RENDERER = "kinsight.ui.forms.FormRenderer"

if not _DATABASE_URL:
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL or f"sqlite:///{VAR_DIR / 'kinsight.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Every request writes (the audit row), so two requests at once both write. A
    # deferred transaction that reads first and then upgrades to a write lock fails at
    # once with "database is locked" (SQLite cannot wait for an upgrade); an IMMEDIATE
    # one takes the write lock at BEGIN and waits up to `timeout` seconds for it. WAL
    # lets readers go on while one writer writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No JIT compilation: the app's queries are short lookups (a page's visibility
    # EXISTS, a list of 25), and at 1,000,000 persons PostgreSQL chose to compile them
    # because of their estimated cost: 55-136 ms per query, 131 of 133 ms of a query
    # that returned no rows. Reports that scan much are few and still fast without it.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (django-tasks): the database backend, whose worker is
# `manage.py db_worker` (bin/demo starts one; docs/operations.md). The tests run tasks at
# once (KINSIGHT_TASK_BACKEND=django_tasks.backends.immediate.ImmediateBackend).
TASKS = {
    "default": {
        "BACKEND": env_str("KINSIGHT_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Loads a session's user with their municipality and TOTP device in one query
    # (the login view signs in through it); checks no password, grants nothing.
    "kinsight.accounts.backends.StaffBackend",
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "ui:home"

# Sessions end after SESSION_IDLE_MINUTES without a request and when the browser
# closes. The stored expiry is renewed when the session changes and at most once a
# minute otherwise (kinsight.accounts.middleware.SessionMiddleware), not on every
# request: a session ends up to a minute before the idle time, never after it.
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "kinsight.ui.views.csrf_failure"

# django-axes: lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_MINUTES / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kinsight.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLED = LOGIN_RATE_LIMIT
# Lock out by the same client address the audit log records.
AXES_CLIENT_IP_CALLABLE = "kinsight.audit.middleware.client_ip"

# API tokens: django-rest-knox, hashed, with Kinsight's name and last use.
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 (a model name, no secret)
# knox's own AuthToken is swapped out for ours, but its migrations would still create its
# table (they do not mark it swappable): an empty table pointing at core_user that a test
# flush cannot truncate. Without migrations a swapped model gets no table.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "AUTO_REFRESH": False,
}

OTP_TOTP_ISSUER = "Kinsight"

# Reserve numbers (reservnummer) have no national format. A regular expression for the
# whole number without separators, upper case; a group named "birth" (YYYYMMDD) gives
# the birth date. One pattern for all municipalities, or per municipality code as
# KINSIGHT_RESERVE_NUMBER_PATTERN_<code>.
RESERVE_NUMBER_PATTERN = env_str("KINSIGHT_RESERVE_NUMBER_PATTERN", r"(?P<birth>\d{8})[A-Z]\d{3}")
RESERVE_NUMBER_PATTERNS = {
    name.rsplit("_", 1)[1]: value
    for name, value in os.environ.items()
    if name.startswith("KINSIGHT_RESERVE_NUMBER_PATTERN_")
}

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# WhiteNoise serves the collected, hashed files (bin/demo runs collectstatic) in the demo
# and in production alike; only a developer's DEBUG=true reads them from the apps. The
# demo skips the gzip/brotli copies: making them takes a minute at every start.
if DEBUG:
    _STATIC_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"
elif DEMO:
    _STATIC_BACKEND = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
else:
    _STATIC_BACKEND = "whitenoise.storage.CompressedManifestStaticFilesStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _STATIC_BACKEND},
}
WHITENOISE_USE_FINDERS = DEBUG

# Security headers. HSTS and secure cookies only where HTTPS is in front (production).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEMO:
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    # Preloading HSTS is a decision for the municipality's domain owner, not the app.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kinsight.accounts.api_auth.StaffTokenAuthentication",
        "kinsight.accounts.api_auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Per user and per token, at API_RATE_USER and
    # API_RATE_TOKEN; 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [
        "kinsight.accounts.throttles.UserThrottle",
        "kinsight.accounts.throttles.TokenThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "kinsight.core.apibase.ErrorResponsesSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "kinsight.core.apibase.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kinsight API",
    "DESCRIPTION": "Ärendehantering och uppföljning för socialtjänsten. "
    "Samma åtkomstregler som i webbgränssnittet: det du inte får se svarar 404.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "kinsight.cases.models.CaseStatus",
        "AnswerEnum": "kinsight.detection.models.Answer",
        "ChildStatusEnum": "kinsight.detection.models.ChildStatus",
        "ReportStatusEnum": "kinsight.detection.models.ReportStatus",
        "FlagKindEnum": "kinsight.detection.models.FlagKind",
        "InvestigationOutcomeEnum": "kinsight.detection.models.InvestigationOutcome",
        "PreAssessmentDecisionEnum": "kinsight.detection.models.PreAssessmentDecision",
        "FamilyRoleEnum": "kinsight.family.models.FamilyRole",
        "ReferralStatusEnum": "kinsight.interventions.models.ReferralStatus",
        "ContactStatusEnum": "kinsight.interventions.models.ContactStatus",
        "ProviderKindEnum": "kinsight.interventions.models.ProviderKind",
        "SexEnum": "kinsight.people.models.Sex",
        "EmergencyReviewOutcomeEnum": "kinsight.people.emergency.models.ReviewOutcome",
        "LogReviewOutcomeEnum": "kinsight.audit.models.ReviewOutcome",
        "ImportKindEnum": "kinsight.imports.models.ImportKind",
        "RetentionRuleKindEnum": "kinsight.retention.models.RuleKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One JSON object a line without personal data: a request's route pattern, status
    # and user id, never its path, query string or user name (kinsight/core/logformat.py).
    "formatters": {"json": {"()": "kinsight.core.logformat.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
