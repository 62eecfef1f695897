"""Django settings, read from the environment.

Every knob has a safe default and a bad value fails loudly at start-up (ImproperlyConfigured with a
Chinese message naming the variable), so a typo never silently weakens a production deployment.
The variables are documented in docs/architecture.md.

"Production" means neither ``GONGKAI_DEBUG=1`` nor demo mode (``GONGKAI_DEMO=1``): only then are the
secret key, ALLOWED_HOSTS, HTTPS-only cookies, HSTS and the manifest static storage enforced.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

import gongkai

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"环境变量 {name}={raw!r} 无效：应为 1/0、true/false、yes/no 或 on/off。"
    )


def _env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 无效：应为整数。") from None
    if value < minimum:
        raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 无效：不得小于 {minimum}。")
    return value


def _env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = _env_bool("GONGKAI_DEBUG", False)
GONGKAI_DEMO = _env_bool("GONGKAI_DEMO", False)
PRODUCTION = not (DEBUG or GONGKAI_DEMO)

# --- secrets -----------------------------------------------------------------------------------
_INSECURE_DEV_KEY = "django-insecure-gongkai-development-and-demo-only-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "未设置环境变量 SECRET_KEY。生产环境必须提供至少 50 个字符的随机密钥"
            "（开发时可设置 GONGKAI_DEBUG=1，演示时设置 GONGKAI_DEMO=1）。"
        )
    SECRET_KEY = _INSECURE_DEV_KEY
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("环境变量 SECRET_KEY 过短：生产环境至少需要 50 个字符。")

# --- hosts -------------------------------------------------------------------------------------
ALLOWED_HOSTS = _env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "未设置环境变量 ALLOWED_HOSTS（逗号分隔的域名列表，例如 gongkai.example.gov.cn）。"
    )
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"环境变量 CSRF_TRUSTED_ORIGINS 中的 {_origin!r} 无效："
            "必须以 http:// 或 https:// 开头。"
        )

# --- applications ------------------------------------------------------------------------------
INSTALLED_APPS = [
    # django.contrib.admin whose site writes an event for every admin change (issue 8).
    "gongkai.eventlog.admin_apps.AuditedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_htmx",
    "csp",
    "gongkai.agencies",
    "gongkai.eventlog",
    "gongkai.workdays",
    "gongkai.signoff",
    "django_tasks",
    "django_tasks_db",
    "gongkai.jobs",
    "gongkai.applications",
    "gongkai.appeals",
    "gongkai.supervision",
    "gongkai.disclosure",
    "gongkai.annual",
    "gongkai.search",
    "gongkai.workspace",
    "gongkai.portal",
    # the image captcha of the public application form (docs/portal.md)
    "captcha",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Method allow-list, request charset, Permissions-Policy, HEAD bodies: before any view work.
    "gongkai.security.middleware.RequestGuardMiddleware",
    "csp.middleware.CSPMiddleware",
    # Early, so every later layer (and every event recorded) sees the request id.
    "gongkai.eventlog.middleware.RequestContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Cached public pages are answered here, before sessions and authentication (docs/portal.md).
    "gongkai.portal.cache.FetchMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Needs request.user: pages for a signed-in user are never cached.
    "gongkai.security.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes wants to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"
ASGI_APPLICATION = "gongkai.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.portal.context.portal",
            ],
        },
    },
]

# --- database ----------------------------------------------------------------------------------
DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR") or REPO_DIR / "data")
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if not DATABASE_URL:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}"
try:
    _default_db = dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=_env_int("GONGKAI_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
except ValueError as exc:
    raise ImproperlyConfigured(f"环境变量 DATABASE_URL 无效：{exc}") from None
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes SQLite take the write lock at BEGIN, so concurrent writers queue (up to
    # the timeout) instead of failing with "database is locked" when upgrading a read lock.
    _default_db.setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    _default_db["CONN_MAX_AGE"] = 0
if _default_db["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation pays off for long analytic queries, never for a page's: it added 35 ms to
    # a search that fetched many matches (docs/search.md). A DATABASE_URL ?options= wins.
    _default_db.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache -------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"环境变量 REDIS_URL={REDIS_URL!r} 无效：应以 redis://、rediss:// 或 unix:// 开头。"
        )
    CACHES = {
        "default": {"BACKEND": "gongkai.redis_cache.ReusingRedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public portal pages are cached this long at most (0 = off); publication, withdrawal and edits
# invalidate them at once (docs/portal.md). LocMem is per process: several gunicorn workers need
# REDIS_URL so that one worker's invalidation reaches the others.
GONGKAI_PORTAL_CACHE_SECONDS = _env_int("GONGKAI_PORTAL_CACHE_SECONDS", 300)
# With Redis, the invalidation stamps are announced on a channel each worker subscribes to, and
# each worker keeps up to this many megabytes of the pages it served in its own memory: a cached
# page then costs no network round trip (portal/generations.py).
GONGKAI_PORTAL_REDIS_URL = REDIS_URL
GONGKAI_PORTAL_WORKER_CACHE_BYTES = _env_int("GONGKAI_PORTAL_WORKER_CACHE_MB", 64) * 1024 * 1024
# Part of every cached page's key: set it to the deployed commit so an upgrade starts afresh.
GONGKAI_RELEASE = os.environ.get("GONGKAI_RELEASE", "").strip() or gongkai.__version__

# --- public application form: captcha and rate limits (docs/portal.md) ------------------------
# django-simple-captcha: an image captcha rendered by the server, works without JavaScript.
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 15  # minutes a challenge stays valid
CAPTCHA_FLITE_PATH = None  # no audio captcha (would need flite on the server)
CAPTCHA_2X_IMAGE = False
# django-ratelimit counters live in the default cache (LocMem in dev/tests, Redis in production).
RATELIMIT_USE_CACHE = "default"
RATELIMIT_ENABLE = True
GONGKAI_APPLY_RATE_IP = os.environ.get("GONGKAI_APPLY_RATE_IP", "10/h").strip()
GONGKAI_APPLY_RATE_IDENTITY = os.environ.get("GONGKAI_APPLY_RATE_IDENTITY", "5/d").strip()
GONGKAI_TRACK_RATE_IP = os.environ.get("GONGKAI_TRACK_RATE_IP", "20/h").strip()
for _rate_name in ("GONGKAI_APPLY_RATE_IP", "GONGKAI_APPLY_RATE_IDENTITY", "GONGKAI_TRACK_RATE_IP"):
    if not re.fullmatch(r"\d+/\d*[smhd]", globals()[_rate_name]):
        raise ImproperlyConfigured(
            f"环境变量 {_rate_name}={globals()[_rate_name]!r} 无效：应形如 10/h、5/d、3/10m。"
        )
# minutes a successful tracking lookup stays open in the visitor's session
GONGKAI_TRACK_SESSION_MINUTES = _env_int("GONGKAI_TRACK_SESSION_MINUTES", 15, minimum=1)

# --- background jobs (django-tasks; docs/jobs.md) ----------------------------------------------
# database: django-tasks-db, run by `gongkai worker` (default, zero set-up); rq: Redis through
# django-tasks-rq for several workers; immediate: run at enqueue (tests, one-off scripts).
GONGKAI_TASKS = os.environ.get("GONGKAI_TASKS", "database").strip().lower() or "database"
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if GONGKAI_TASKS not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"环境变量 GONGKAI_TASKS={GONGKAI_TASKS!r} 无效：应为 database、rq 或 immediate。"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[GONGKAI_TASKS]}}
if GONGKAI_TASKS == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("GONGKAI_TASKS=rq 需要同时设置环境变量 REDIS_URL。")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}

# --- authentication ----------------------------------------------------------------------------
AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:inbox"
LOGOUT_REDIRECT_URL = "workspace:login"

AXES_ENABLED = _env_bool("GONGKAI_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = _env_int("GONGKAI_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("GONGKAI_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A Chinese page saying how long to wait, instead of axes' English one-liner.
AXES_LOCKOUT_CALLABLE = "gongkai.workspace.views.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "gongkai.eventlog.middleware.client_ip"
GONGKAI_BEHIND_PROXY = _env_bool("GONGKAI_BEHIND_PROXY", False)

# --- sessions and HTTPS ------------------------------------------------------------------------
SESSION_COOKIE_AGE = _env_int("GONGKAI_SESSION_MINUTES", 30, minimum=1) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if GONGKAI_BEHIND_PROXY:
    # Only behind a proxy that overwrites X-Forwarded-Proto; otherwise clients could spoof HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("GONGKAI_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = _env_int("GONGKAI_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("GONGKAI_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _env_bool("GONGKAI_HSTS_PRELOAD", True)

# --- content security policy --------------------------------------------------------------
# No inline script or style and no eval anywhere: htmx is configured for this in base.html
# (allowEval/allowScriptTags off, no injected indicator styles); the one behaviour a page needs
# (agency switcher) lives in workspace.js. See docs/security.md.
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
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Only these methods reach any view; everything else is 405 before routing.
GONGKAI_ALLOWED_METHODS = ("GET", "HEAD", "POST")

# --- WeChat official account channel (docs/disclosure.md); credentials only from the environment
GONGKAI_WECHAT_API_BASE = os.environ.get("GONGKAI_WECHAT_API_BASE", "https://api.weixin.qq.com")
GONGKAI_WECHAT_APPID = os.environ.get("GONGKAI_WECHAT_APPID", "")
GONGKAI_WECHAT_SECRET = os.environ.get("GONGKAI_WECHAT_SECRET", "")

# --- internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("GONGKAI_STATIC_ROOT") or REPO_DIR / "staticfiles")
# Outside production WhiteNoise serves straight from the app directories (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
if not PRODUCTION and not STATIC_ROOT.is_dir():
    STATIC_ROOT = None  # keeps WhiteNoise from warning about a directory nobody collected into
# A supervisor uploads a region's reports at once (many files in one form).
DATA_UPLOAD_MAX_NUMBER_FILES = _env_int("GONGKAI_UPLOAD_MAX_FILES", 1000, minimum=1)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # The manifest storage needs `collectstatic`; development, demo and tests serve the
        # app directories directly.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}

# --- logging -----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- e-mail (applications: applicant notices and handler reminders) -----------------------------
# Outside production mail goes to the console (the demo prints it); production names its backend.
EMAIL_BACKEND = os.environ.get(
    "GONGKAI_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("GONGKAI_EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("GONGKAI_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_FROM_EMAIL", "gongkai@localhost")

# --- online delivery of answers (applications: expiring download links) -------------------------
# Days a download link of a delivered answer stays valid; the public address put in front of
# the link in the applicant's e-mail (e.g. https://gk.example.gov.cn; blank = the path alone).
GONGKAI_LETTER_LINK_DAYS = _env_int("GONGKAI_LETTER_LINK_DAYS", 30, minimum=1)
GONGKAI_SITE_URL = os.environ.get("GONGKAI_SITE_URL", "").strip().rstrip("/")
