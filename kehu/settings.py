"""Kehu settings: one module, every knob from the environment.

Nothing here differs per environment except through environment variables
(see docs/deployment.md for the full list).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# The data folder: database, secret key, attachments, job queue, static files.
KEHU_HOME = Path(env("KEHU_HOME", "var")).expanduser().resolve()
KEHU_HOME.mkdir(parents=True, exist_ok=True)  # huey opens jobs.sqlite3 here while the apps load


def _secret_key() -> str:
    """Read the key kept in KEHU_HOME (made once by `kehu init`, or here on first use)."""
    if env("KEHU_SECRET_KEY"):
        return env("KEHU_SECRET_KEY")
    key_file = KEHU_HOME / "secret_key"
    if not key_file.exists():
        KEHU_HOME.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once must not write two keys.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("KEHU_DEBUG", False)
ALLOWED_HOSTS = env_list("KEHU_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("KEHU_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "kehu.core",
    "kehu.core.audit",
    "kehu.core.numbering",
    "kehu.core.calendar",
    "kehu.core.attachments",
    "kehu.core.notifications",
    "kehu.core.customfields",
    "kehu.core.transfer",
    "kehu.accounts",
    "kehu.customers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kehu.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kehu.core.audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kehu.core.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "kehu.urls"
WSGI_APPLICATION = "kehu.wsgi.application"

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
                "kehu.core.context_processors.shell",
            ],
        },
    }
]

# Database: a SQLite file in KEHU_HOME unless DATABASE_URL names another.
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{KEHU_HOME / 'kehu.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a writer takes the lock when its transaction starts, so two
        # writers queue on busy_timeout instead of failing on lock upgrade.
        "transaction_mode": "IMMEDIATE",
        "timeout": float(env("KEHU_SQLITE_TIMEOUT", "20")),
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": env("KEHU_TEST_SQLITE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Jobs: huey on a SQLite file in KEHU_HOME, or on Redis when REDIS_URL is set.
HUEY_IMMEDIATE = env_bool("KEHU_JOBS_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env("KEHU_JOBS_NAME", "kehu"),
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": env("KEHU_JOBS_NAME", "kehu"),
        "filename": str(KEHU_HOME / "jobs.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }
HUEY["consumer"] = {"workers": int(env("KEHU_JOB_WORKERS", "2")), "worker_type": "thread"}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (accounts.services.login): failures per account and per IP in a window.
# How many customers `kehu seed-demo` makes for the demo salespeople (about 2,000).
KEHU_DEMO_CUSTOMERS = int(env("KEHU_DEMO_CUSTOMERS", "2000"))
KEHU_LOGIN_MAX_FAILURES_PER_ACCOUNT = int(env("KEHU_LOGIN_MAX_FAILURES_PER_ACCOUNT", "5"))
KEHU_LOGIN_MAX_FAILURES_PER_IP = int(env("KEHU_LOGIN_MAX_FAILURES_PER_IP", "20"))
KEHU_LOGIN_WINDOW_SECONDS = int(env("KEHU_LOGIN_WINDOW_SECONDS", "900"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "kehu_language"

STATIC_URL = "/static/"
STATIC_ROOT = KEHU_HOME / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the shell's own CSS/JS (kehu/ is not an app)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the installed packages when collectstatic has not run yet.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = KEHU_HOME / "media"

# Attachments (core.attachments)
KEHU_ATTACHMENT_ROOT = Path(env("KEHU_ATTACHMENT_ROOT", str(KEHU_HOME / "attachments")))
KEHU_ATTACHMENT_MAX_BYTES = int(env("KEHU_ATTACHMENT_MAX_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Working-day calendar defaults (core.calendar); administrators change them in the app.
KEHU_BUSINESS_HOURS = env("KEHU_BUSINESS_HOURS", "09:00-12:00,13:30-18:00")

# Notifications (core.notifications)
EMAIL_BACKEND = env("KEHU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("KEHU_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("KEHU_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("KEHU_EMAIL_USER")
EMAIL_HOST_PASSWORD = env("KEHU_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("KEHU_EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("KEHU_EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = env("KEHU_EMAIL_FROM", "kehu@localhost")
KEHU_SMS_BACKEND = env("KEHU_SMS_BACKEND", "kehu.core.notifications.sms.LoggingSmsBackend")
KEHU_SMS_OPTIONS = env("KEHU_SMS_OPTIONS")  # JSON for the chosen gateway
KEHU_WECOM_WEBHOOK_URL = env("KEHU_WECOM_WEBHOOK_URL")
KEHU_DINGTALK_WEBHOOK_URL = env("KEHU_DINGTALK_WEBHOOK_URL")
KEHU_DINGTALK_SECRET = env("KEHU_DINGTALK_SECRET")
KEHU_BASE_URL = env("KEHU_BASE_URL", "http://127.0.0.1:8000")

# Security baseline. Behind a TLS proxy set KEHU_HTTPS=1.
KEHU_HTTPS = env_bool("KEHU_HTTPS", False)
SESSION_COOKIE_SECURE = KEHU_HTTPS
CSRF_COOKIE_SECURE = KEHU_HTTPS
SECURE_SSL_REDIRECT = KEHU_HTTPS and env_bool("KEHU_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("KEHU_HSTS_SECONDS", "31536000" if KEHU_HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = KEHU_HTTPS
SECURE_HSTS_PRELOAD = KEHU_HTTPS
if KEHU_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("KEHU_SESSION_HOURS", "12")) * 3600
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie.
KEHU_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("KEHU_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # run_huey adds its own handler only when none exists: stops every log line printing twice
        "huey": {"handlers": ["console"], "level": env("KEHU_LOG_LEVEL", "INFO"), "propagate": False},
    },
}

APP_NAME = _("Kehu CRM")
