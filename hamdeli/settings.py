"""Hamdeli settings: one module, driven by environment variables.

Development needs nothing: SQLite in the project folder, tasks run eagerly,
a secret key generated into ``.secret_key``. Production is ``DEBUG=0`` plus the
variables listed in the README ("Production"); anything missing or malformed
stops the process with ImproperlyConfigured instead of starting half-configured.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required when DEBUG=0.")
    # Development: keep one generated key per checkout so sessions survive restarts.
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG=0 (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_celery_beat",
    "azbankgateways",  # the banks' payment protocols for online giving (donors/online)
    "core",
    "crisis",  # crisis severity per province and city: read by allocation, orders and funding (above core only)
    "workshops",
    "orders",
    "production",
    "fulfilment",
    "donors",
    "payouts",
    "sales",  # showcase listings of workshops, buyers' inquiries, marketplace exports (above payouts)
    "reports",
    "transparency",
    "sms_commands",  # text-message commands from basic phones, through the gateway (above every room it calls)
    "hamdeli",  # project-level pieces above all apps: home page, seed_demo
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.security.ContentSecurityPolicyMiddleware",  # outer: also covers error pages made by later middleware
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (an owner on 3G pays per byte); inside WhiteNoise, which serves static files pre-compressed.
    # Django pads the compressed body with random bytes against BREACH (Django 4.2+).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.PersianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.auth.ForcePasswordChangeMiddleware",  # a password someone else chose: change it before anything else
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.busy.BusyMiddleware",  # innermost: turns a view's lock timeout into a polite 409
]

ROOT_URLCONF = "hamdeli.urls"
WSGI_APPLICATION = "hamdeli.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.background_work",
                "core.context_processors.access",
            ],
            "builtins": ["core.templatetags.persian"],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy
    # timeout instead of one failing with "database is locked" half-way through.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# PostgreSQL: a request waiting this long for a row lock gives up; core.busy.BusyMiddleware answers
# "busy, try again" (409) and the request's transaction is rolled back, so nothing half-done is saved.
DATABASE_LOCK_TIMEOUT_MS = env_int("DATABASE_LOCK_TIMEOUT_MS", 5000, minimum=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c lock_timeout={DATABASE_LOCK_TIMEOUT_MS}".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------
# The login lockout and the receiving short-code limit count in the cache: with several
# web processes they must share one (Redis), or each process counts on its own.
CACHE_URL = env_str("CACHE_URL") or ""
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r} is not a redis:// address.")
    CACHES = {
        "default": {
            "BACKEND": "core.cache_backends.DegradingRedisCache",
            "LOCATION": CACHE_URL,
            # Fail fast when Redis is away: the cache answers as empty (see core.cache_backends).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions (and the signed-in user's row, core.user_cache) are read from the cache only when every web process
# shares it: with a per-process cache, a logout seen by one process would leave the session alive in the others.
# cached_db writes through to the database, so a Redis restart logs nobody out.
# core.sessions is cached_db that also brings the signed-in user's cached row in the same round trip.
SESSION_ENGINE = "core.sessions" if CACHE_URL else "django.contrib.sessions.backends.db"

# --- Users ------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["core.auth.MobileNumberBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Login lockout (core.login_throttle): this many wrong passwords for one number from one
# address within LOGIN_LOCKOUT_MINUTES lock that pair for LOGIN_LOCKOUT_MINUTES.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
# ... and this many wrong passwords from one address, whatever the numbers, lock the address.
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20, minimum=1)
# Password reset by SMS code (core.password_reset): the code's life and wrong tries, and how many
# codes one number and one address may ask for within PASSWORD_RESET_WINDOW_MINUTES.
PASSWORD_RESET_CODE_MINUTES = env_int("PASSWORD_RESET_CODE_MINUTES", 10, minimum=1)
PASSWORD_RESET_MAX_ATTEMPTS = env_int("PASSWORD_RESET_MAX_ATTEMPTS", 5, minimum=1)
PASSWORD_RESET_MAX_PER_NUMBER = env_int("PASSWORD_RESET_MAX_PER_NUMBER", 3, minimum=1)
PASSWORD_RESET_MAX_PER_ADDRESS = env_int("PASSWORD_RESET_MAX_PER_ADDRESS", 10, minimum=1)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60, minimum=1)
# Sign-up posts (workshop and donor together) per address within SIGNUP_WINDOW_MINUTES (core.rate_limit):
# each answers whether a number is registered.
SIGNUP_MAX_PER_ADDRESS = env_int("SIGNUP_MAX_PER_ADDRESS", 20, minimum=1)
SIGNUP_WINDOW_MINUTES = env_int("SIGNUP_WINDOW_MINUTES", 60, minimum=1)
# How many reverse proxies of ours stand in front of Django (core.client_ip): 0 means the
# client's address is REMOTE_ADDR and X-Forwarded-For, which anyone can send, is ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "core.password_validation.MinimumLengthValidator"},  # Django's, with the length in Persian digits
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time -----------------------------------------------------------
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tehran"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "hamdeli_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files need `collectstatic`; development serves the sources.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Celery -------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or None
# No broker configured: run tasks in-process so a bare laptop needs no Redis.
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
# No result backend: nothing reads a task's return value; each task records what it did in its own rows
# (outbox message, run, batch), which the pages read.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task is stopped after CELERY_TASK_TIME_LIMIT seconds (the soft limit lets it record the failure
# first). Redis redelivers an unacknowledged task after the visibility timeout, so that must stay above the
# hard limit, or a long task would run twice at once; settings refuse a shorter one.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 1800, minimum=60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60)}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT.")
# A web request that queues work must not hang on a broker outage: fail fast, the outbox keeps the message.
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 2, minimum=1)
# A hung Redis (stopped, not dead) still accepts connections and then never answers: without a read timeout a
# publish or a health check waits until gunicorn kills the worker. kombu hands both options to redis-py.
CELERY_BROKER_SOCKET_TIMEOUT = env_int("CELERY_BROKER_SOCKET_TIMEOUT", 3, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"] = CELERY_BROKER_SOCKET_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] = CELERY_BROKER_CONNECTION_TIMEOUT
# Work handed to the broker but not started within this many seconds is sent again (Redis may have lost it);
# a running task that has not touched its heartbeat for this many seconds is taken to be dead and queued again.
HAMDELI_TASK_START_DEADLINE = env_int("HAMDELI_TASK_START_DEADLINE", 300, minimum=60)
HAMDELI_TASK_HEARTBEAT_TIMEOUT = env_int("HAMDELI_TASK_HEARTBEAT_TIMEOUT", 180, minimum=30)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# --- Security -------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie (there are no scripts): forms carry the token in a hidden input.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy: core.security.ContentSecurityPolicyMiddleware (strict; relaxed for the admin only).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        # Only trust X-Forwarded-Proto when a proxy we control sets it.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Orders -------------------------------------------------------------------
# A quota is due this many days before its order's needed-by date (used when an order is extended).
HAMDELI_DELIVERY_LEAD_DAYS = env_int("HAMDELI_DELIVERY_LEAD_DAYS", 2, minimum=0)
# Allocation: smallest quota worth offering (unless an order's remainder is smaller).
HAMDELI_MIN_QUOTA_UNITS = env_int("HAMDELI_MIN_QUOTA_UNITS", 10, minimum=1)
# Requests a minute one address may make to the open-data API (transparency/api.py); 429 above it.
HAMDELI_OPEN_DATA_RATE = f"{env_int('HAMDELI_OPEN_DATA_PER_MINUTE', 120, minimum=1)}/m"
# Rebalancing: an accepted quota whose output is below this share of the expected progress
# while less than this share of its time is left gives its unproduced remainder back.
HAMDELI_REBALANCE_MIN_PROGRESS_PERCENT = env_int("HAMDELI_REBALANCE_MIN_PROGRESS_PERCENT", 60, minimum=0)
HAMDELI_REBALANCE_MAX_TIME_LEFT_PERCENT = env_int("HAMDELI_REBALANCE_MAX_TIME_LEFT_PERCENT", 30, minimum=0)
# Public address of the site, for links printed on paper (the receipts' verification QR code).
HAMDELI_SITE_URL = (
    env_str("HAMDELI_SITE_URL") or (CSRF_TRUSTED_ORIGINS[0] if CSRF_TRUSTED_ORIGINS else "http://127.0.0.1:8000")
).rstrip("/")
# Where donors pay when no payment account is set in the admin (donors.PaymentAccount); all empty: the
# donor is told a coordinator will contact her.
HAMDELI_PAYMENT_HOLDER = env_str("HAMDELI_PAYMENT_HOLDER", "")
HAMDELI_PAYMENT_BANK = env_str("HAMDELI_PAYMENT_BANK", "")
HAMDELI_PAYMENT_ACCOUNT = env_str("HAMDELI_PAYMENT_ACCOUNT", "")
HAMDELI_PAYMENT_SHEBA = env_str("HAMDELI_PAYMENT_SHEBA", "")
HAMDELI_PAYMENT_CARD = env_str("HAMDELI_PAYMENT_CARD", "")
# The organisation that issues donation receipts, printed on every receipt.
HAMDELI_ORG_NAME = env_str("HAMDELI_ORG_NAME", "همدلی")
HAMDELI_ORG_REGISTRATION = env_str("HAMDELI_ORG_REGISTRATION", "")
HAMDELI_ORG_ADDRESS = env_str("HAMDELI_ORG_ADDRESS", "")
HAMDELI_ORG_PHONE = env_str("HAMDELI_ORG_PHONE", "")

# --- Notifications (core.notifications) -------------------------------------------
# Dotted path of the SMS backend: console (log), file, HTTP gateway or memory (tests).
SMS_BACKEND = env_str("SMS_BACKEND") or "core.notifications.backends.ConsoleBackend"
SMS_FILE_PATH = env_str("SMS_FILE_PATH") or str(BASE_DIR / "sms.log")
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL") or ""
SMS_GATEWAY_API_KEY = env_str("SMS_GATEWAY_API_KEY") or ""
SMS_GATEWAY_SENDER = env_str("SMS_GATEWAY_SENDER") or ""
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 10, minimum=1)
SMS_GATEWAY_FORMAT = env_str("SMS_GATEWAY_FORMAT") or "json"  # or "form"
# Inbound SMS commands (sms_commands): the gateway posts each received message to /sms/inbound/<secret>/.
# Without a secret the endpoint answers 404; in development a fixed one lets the fake gateway play along.
SMS_INBOUND_SECRET = env_str("SMS_INBOUND_SECRET") or ("fake-gateway" if DEBUG else "")
SMS_INBOUND_MAX_PER_HOUR = env_int("SMS_INBOUND_MAX_PER_HOUR", 30, minimum=1)  # per sender number
# For gateways without a callback: their inbox, read by `manage.py sms_inbox_poll` (cron) or the task
# sms_commands.tasks.inbox_poll (a django-celery-beat schedule).
SMS_GATEWAY_INBOX_URL = env_str("SMS_GATEWAY_INBOX_URL") or ""
# Email notifications go through Django's send_mail: printed to the console in development.
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "hamdeli@localhost"

# --- Online giving (donors/online) -------------------------------------------------
# "mock": the project's own mock bank (/mock-bank/, speaks Zarinpal v4), the default in development;
# "zarinpal": the real bank (ZARINPAL_MERCHANT_ID required), the default in production; "off": no online giving.
ONLINE_GIVING_GATEWAY = (env_str("ONLINE_GIVING_GATEWAY") or ("mock" if DEBUG else "zarinpal")).strip().lower()
if ONLINE_GIVING_GATEWAY not in ("mock", "zarinpal", "off"):
    raise ImproperlyConfigured(f"ONLINE_GIVING_GATEWAY={ONLINE_GIVING_GATEWAY!r}: use mock, zarinpal or off.")
if ONLINE_GIVING_GATEWAY == "mock" and not DEBUG:
    # The mock bank says "paid" to anyone who presses the button: never where real donors give.
    raise ImproperlyConfigured("ONLINE_GIVING_GATEWAY=mock is for development only (DEBUG=1).")
ZARINPAL_MERCHANT_ID = env_str("ZARINPAL_MERCHANT_ID") or ""
if ONLINE_GIVING_GATEWAY == "zarinpal" and not ZARINPAL_MERCHANT_ID and not DEBUG:
    ONLINE_GIVING_GATEWAY = "off"  # no merchant: the page says online giving is closed, nothing half-works
# The mock bank's address for the periodic task, which has no request to take the host from.
ONLINE_GIVING_MOCK_BANK_URL = env_str("ONLINE_GIVING_MOCK_BANK_URL") or "http://127.0.0.1:8000/mock-bank/"
ZARINPAL_SANDBOX = env_bool("ZARINPAL_SANDBOX", False)
# Seconds to wait for the bank before a payment stays pending (the periodic task asks again).
ONLINE_GIVING_BANK_TIMEOUT = env_int("ONLINE_GIVING_BANK_TIMEOUT", 10, minimum=1)
# A payment with no answer from the bank after this long is cancelled (its pledge too).
ONLINE_GIVING_EXPIRE_MINUTES = env_int("ONLINE_GIVING_EXPIRE_MINUTES", 30, minimum=5)
AZ_IRANIAN_BANK_GATEWAYS = {
    "GATEWAYS": {"ZARINPAL": {"MERCHANT_CODE": ZARINPAL_MERCHANT_ID, "SANDBOX": int(ZARINPAL_SANDBOX)}},
    "DEFAULT": "ZARINPAL",
    "CURRENCY": "IRR",  # amounts are rials everywhere; the Zarinpal class sends tomans
    "BANK_TIMEOUT": ONLINE_GIVING_BANK_TIMEOUT,
    "CALLBACK_NAMESPACE": "online:callback",  # the bank comes back to our view, which checks everything itself
    "TRACKING_CODE_LENGTH": 16,
}

# --- Demo data --------------------------------------------------------------------
# Demo accounts share one documented password; never usable in production.
DEMO_PASSWORD = "hamdeli-demo-1405"  # noqa: S105 - published on purpose, refused when DEBUG=0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every render at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/hamdeli.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}
