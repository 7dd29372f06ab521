"""Settings, read from the environment (see README "Settings").

With nothing set this is a local development setup on embedded PostgreSQL and Redis.
Production sets DJANGO_DEBUG=false, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; the
secure transport settings follow from DEBUG being off.
"""

import datetime
import os
from pathlib import Path

import xstatic.pkg.bootstrap
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from peers import embedded
from peers.env import (
    env_bool,
    env_choice,
    env_database_url,
    env_email_url,
    env_int,
    env_list,
    env_redis_url,
    env_str,
    env_time_zone,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET_KEY if DEBUG else None)
if SECRET_KEY is None:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random value of at least 50 characters in production.")
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names when DJANGO_DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Encryption at rest (peers/fields.py): keys are derived from each of
# DJANGO_FIELD_ENCRYPTION_KEYS (newest first) with each salt. Without the variable the
# secret key is used; set your own in production so SECRET_KEY can rotate freely.
# Rotation is described in the README.
PEERS_FIELD_ENCRYPTION_KEYS = env_list("DJANGO_FIELD_ENCRYPTION_KEYS", [SECRET_KEY])
if not DEBUG and any(len(key) < 32 for key in PEERS_FIELD_ENCRYPTION_KEYS):
    raise ImproperlyConfigured("Each DJANGO_FIELD_ENCRYPTION_KEYS key must be at least 32 random characters.")
SALT_KEY = env_list("DJANGO_FIELD_ENCRYPTION_SALTS", ["peers-field-encryption-v1"])

INSTALLED_APPS = [
    "peers.admin_site.PeersAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "import_export",
    "rules.apps.AutodiscoverRulesConfig",
    "pgtrigger",
    "pghistory",
    "peers.apps.PeersConfig",
    "sessions_app.apps.SessionsAppConfig",
    "mentoring.apps.MentoringConfig",
    "support_requests.apps.SupportRequestsConfig",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
]

MIDDLEWARE = [
    "peers.unavailable.DatabaseUnavailableMiddleware",  # outermost: sees every layer's 500
    "peers.middleware.RejectMalformedInputMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "peers.middleware.SessionIdleTimeoutMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "peers.middleware.RequireMFAMiddleware",
    "peers.middleware.UserTimeZoneMiddleware",
    "peers.redaction.HistoryMiddleware",
    "peers.not_found.DebugNotFoundMiddleware",
]

# Paths whose next segment is a secret (peers/redaction.py keeps it out of logs and history).
PEERS_SECRET_PATH_PREFIXES = ("/support/status/", "/calendar/")

ROOT_URLCONF = "peers.urls"
WSGI_APPLICATION = "peers.wsgi.application"

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
                "peers.context_processors.navigation",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so templates/ may override one (the admin's date and
# time inputs get their labels in templates/admin/widgets/split_datetime.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: DATABASE_URL, or the embedded PostgreSQL in .data/pg.
_database = env_database_url("DATABASE_URL") or env_database_url("PEERS_EMBEDDED_DATABASE_URL")
if _database is None:
    os.environ["PEERS_EMBEDDED_DATABASE_URL"] = embedded.postgres_url()
    _database = env_database_url("PEERS_EMBEDDED_DATABASE_URL")
_database["CONN_MAX_AGE"] = env_int("DJANGO_CONN_MAX_AGE", 0, minimum=0)
_database["CONN_HEALTH_CHECKS"] = True
DATABASES = {
    "default": _database,
    # The audit log writes on its own connection, outside the request's transaction,
    # so a read that is denied (and rolled back) still leaves its row.
    "audit": {**_database, "TEST": {"DEPENDENCIES": []}},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: REDIS_URL, or the embedded Redis.
REDIS_URL = env_redis_url("REDIS_URL") or env_redis_url("PEERS_EMBEDDED_REDIS_URL")
if REDIS_URL is None:
    os.environ["PEERS_EMBEDDED_REDIS_URL"] = embedded.redis_url()
    REDIS_URL = os.environ["PEERS_EMBEDDED_REDIS_URL"]

# The cache (rate limits, the intake's one-request-per-form claims) lives in PostgreSQL,
# shared by every web process: a Redis outage must not turn sign-in or the support intake
# into an error page, and these few rows a minute cost PostgreSQL nothing. Redis is the
# broker only. (The table is created by a migration.)
CACHES = {
    "default": {
        "BACKEND": "peers.cache.AtomicDatabaseCache",
        "LOCATION": "peers_cache",
        "KEY_PREFIX": "peers",
        "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 4},
    }
}

AUTH_USER_MODEL = "peers.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# django-allauth: email login, mandatory verification, login by code, no open sign-up.
ACCOUNT_ADAPTER = "peers.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[PEERS] "
MFA_ADAPTER = "peers.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "PEERS"
USERSESSIONS_TRACK_ACTIVITY = False  # a write on every request; sessions are recorded at sign-in
# Sessions end when the browser closes unless the person ticks "Remember me" (allauth asks
# when ACCOUNT_SESSION_REMEMBER is None, and so does the sign-in by code). Idle
# sessions end sooner (peers.middleware.SessionIdleTimeoutMiddleware): 30 minutes for
# privileged roles, PEERS_SESSION_IDLE_MINUTES (12 hours) for everyone else.
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_FORMS = {"confirm_login_code": "peers.account_forms.RememberingConfirmLoginCodeForm"}
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
PEERS_SESSION_IDLE_MINUTES = env_int("PEERS_SESSION_IDLE_MINUTES", 720, minimum=1)
PEERS_PRIVILEGED_IDLE_MINUTES = env_int("PEERS_PRIVILEGED_IDLE_MINUTES", 30, minimum=1)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_time_zone("PEERS_DEFAULT_TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Email: EMAIL_URL such as smtp://user:password@host:587?tls=True.
_email = env_email_url("EMAIL_URL", "consolemail://" if DEBUG else "smtp://localhost:25")
# In debug without EMAIL_URL (as under `make run`), peers/mail.py prints one line per email
# and keeps the whole message in PEERS_DEMO_MAIL_DIR for the viewer at /dev/mail/.
EMAIL_BACKEND = "peers.mail.DemoEmailBackend" if DEBUG and "EMAIL_URL" not in os.environ else _email["EMAIL_BACKEND"]
PEERS_DEMO_MAIL_DIR = embedded.DATA_DIR / "demo-mail"
PEERS_DEMO_MAIL_KEEP = env_int("PEERS_DEMO_MAIL_KEEP", 500, minimum=1)
# A demo (set by `make run` unless --no-demo): with DEBUG on, anyone may read /dev/mail/.
PEERS_DEMO = env_bool("PEERS_DEMO", False)
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or str(BASE_DIR / ".data" / "mail")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "PEERS <peers@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: everything strict follows from DEBUG being off; behind a TLS-terminating
# proxy set DJANGO_SECURE_PROXY_SSL_HEADER=true (and, if the proxy redirects, turn the
# redirect down with DJANGO_SECURE_SSL_REDIRECT=false).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind proxies that append to X-Forwarded-For, rate limits, logs and allauth take the
# client's address that many entries from the right (peers/addresses.py), never the
# left-most entry, which the client can write itself.
PEERS_TRUST_X_FORWARDED_FOR = env_bool("PEERS_TRUST_X_FORWARDED_FOR", False)
PEERS_TRUSTED_PROXY_COUNT = env_int("PEERS_TRUSTED_PROXY_COUNT", 1 if PEERS_TRUST_X_FORWARDED_FOR else 0, minimum=0)
if PEERS_TRUST_X_FORWARDED_FOR and PEERS_TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("PEERS_TRUSTED_PROXY_COUNT must be at least 1 when PEERS_TRUST_X_FORWARDED_FOR is true.")
if not PEERS_TRUST_X_FORWARDED_FOR and PEERS_TRUSTED_PROXY_COUNT:
    raise ImproperlyConfigured("PEERS_TRUSTED_PROXY_COUNT is set, but PEERS_TRUST_X_FORWARDED_FOR is not true.")
ALLAUTH_TRUSTED_PROXY_COUNT = PEERS_TRUSTED_PROXY_COUNT  # the adapter asks peers/addresses.py anyway
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Celery: deadlines live in PostgreSQL; the broker only carries "deliver this now".
CELERY_BROKER_URL = REDIS_URL.replace("unix://", "redis+socket://", 1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 5}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_TIMEZONE = "UTC"
PEERS_SWEEP_INTERVAL_SECONDS = env_int("PEERS_SWEEP_INTERVAL_SECONDS", 60, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "run-sweeps": {"task": "peers.tasks.sweeps_run_task", "schedule": PEERS_SWEEP_INTERVAL_SECONDS},
}

PEERS_NOTIFICATION_MAX_ATTEMPTS = env_int("PEERS_NOTIFICATION_MAX_ATTEMPTS", 48, minimum=1)
PEERS_NOTIFICATION_GIVE_UP_HOURS = env_int("PEERS_NOTIFICATION_GIVE_UP_HOURS", 24, minimum=1)
PEERS_NOTIFICATION_BACKOFF_SECONDS = env_int("PEERS_NOTIFICATION_BACKOFF_SECONDS", 30, minimum=1)


# Delivery in batches: rows claimed at once, how long a claim holds them, and how many
# drain tasks (one per worker process that sends) a backlog starts.
# Quiet hours a new person starts with ("HH:MM-HH:MM" in their zone, or "off" for none):
# escalations that can wait are sent at their end (peers/services/quiet_hours.py).
def _quiet_hours(value: str) -> tuple[datetime.time, datetime.time] | None:
    if value.strip().lower() in {"off", "none"}:
        return None
    try:
        start, end = (datetime.time.fromisoformat(part.strip()) for part in value.split("-"))
    except ValueError:
        raise ImproperlyConfigured(f'PEERS_QUIET_HOURS must look like "21:00-07:00" or be "off", not {value!r}.')
    return start, end


PEERS_QUIET_HOURS = _quiet_hours(env_str("PEERS_QUIET_HOURS", "21:00-07:00"))
PEERS_NOTIFICATION_BATCH = env_int("PEERS_NOTIFICATION_BATCH", 100, minimum=1)
PEERS_NOTIFICATION_CLAIM_SECONDS = env_int("PEERS_NOTIFICATION_CLAIM_SECONDS", 300, minimum=10)
PEERS_NOTIFICATION_DRAINS = env_int("PEERS_NOTIFICATION_DRAINS", 2, minimum=1)
# Links in emails and calendar files; `make run` sets it to http://localhost:<its port>.
# In production it defaults to https:// and the first allowed host.
PEERS_SITE_URL = env_str("PEERS_SITE_URL", "http://localhost:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}")
if not PEERS_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("PEERS_SITE_URL must start with http:// or https://.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "peers.redaction.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("DJANGO_LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}),
    },
    "loggers": {"pgserver": {"level": "WARNING"}},
}
