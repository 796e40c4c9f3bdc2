"""Majlis settings: one module, driven by the environment.

Every runtime part has an embedded default (SQLite, in-memory channel layer,
local-memory cache, console email) and is switched to its production form by an
environment variable alone. ``DJANGO_ENV=production`` turns on the safe values
and refuses to start with unsafe ones (see ``_refuse_unsafe_production``).
"""

import warnings
from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

# A key that is only good for a developer's machine: production refuses it.
DEVELOPMENT_SECRET_KEY = "django-insecure-majlis-development-key-never-use-in-production"

SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


def _refuse_unsafe_production() -> None:
    problems = []
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or not env.str("SECRET_KEY", default=""):
        problems.append("SECRET_KEY must be set to a private value")
    elif len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
        problems.append("SECRET_KEY must be at least 50 random characters")
    if DEBUG:
        problems.append("DEBUG must be off")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must name the site's host names")
    if "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must not be '*'")
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start in production mode: " + "; ".join(problems) + "."
        )


if PRODUCTION:
    _refuse_unsafe_production()

# --- Applications -----------------------------------------------------------

INSTALLED_APPS = [
    "daphne",
    # Majlis apps come first so their templates override Wagtail's and Django's.
    "accounts",
    "cms",
    "signatures",  # signing certificates and signed documents: between cms and deliberation
    "consultations",
    "questionnaires",  # between consultations and deliberation (docs/questionnaires.md)
    "deliberation",
    "citizen_requests",  # beside consultations: both sit on deliberation (docs/architecture.md)
    "citizen_ideas",  # between consultations and deliberation (docs/ideas.md)
    "search",
    "operations",  # backup and restore: above every other app (docs/architecture.md)
    "demo",  # seed_demo: the top app, above operations
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.WagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "channels",
    "rules.apps.AutodiscoverRulesConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # CONTENT_SECURITY_POLICY below; docs/security.md
    "config.middleware.AdminContentSecurityPolicyMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside XFrameOptionsMiddleware so it can let the admin frame its own previews.
    "config.middleware.AdminPreviewFrameMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

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
                "deliberation.context_processors.suspension",
            ],
        },
    },
]

# --- Runtime parts, switched by environment ---------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent readers while daphne writes: WAL, and wait rather than fail on a lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    # Under daphne (ASGI) each request runs in a thread of its own: a persistent connection
    # (CONN_MAX_AGE > 0) would stay open, idle, after its thread ended, until PostgreSQL ran
    # out of connections. Each process borrows from a bounded pool instead and gives the
    # connection back at the end of every request (README, "Operations"). A pool size of 0
    # turns the pool off (behind PgBouncer): one connection per request, closed after it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # With the pool: each connection is checked as it is lent, so after a database restart
    # no request gets a dead one.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", default=10)
    if DATABASE_POOL_MAX_SIZE > 0:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(env.int("DATABASE_POOL_MIN_SIZE", default=2), DATABASE_POOL_MAX_SIZE),
            "max_size": DATABASE_POOL_MAX_SIZE,
            # Seconds a request waits for a free connection before it fails (then 503).
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10),
        }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # One message per process per event (deliberation/realtime/hub.py): a hub's
            # channel must hold a burst of events while it delivers the previous one.
            # Timeouts: a Redis that hangs must not hold a request (events are stored and
            # resynced from the database, docs/realtime.md), nor the hubs' resync loops.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_connect_timeout": 2, "socket_timeout": 10}],
                "prefix": "majlis:channels",
                "capacity": 10000,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="majlis"),
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 10000}}
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The journalists' search: the database's own full-text search unless this is set
# (the Elasticsearch backend arrives with the search issue).
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if env.str("EMAIL_HOST", default="")
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Majlis <no-reply@majlis.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts ---------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages --------------------------------------------------------------

LANGUAGE_CODE = "ar"
LANGUAGES = [
    ("ar", "العربية"),
    ("fr", "Français"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The CLDR locale that formats dates, durations and digits for each site language
# (cms/l10n.py). ar_TN writes Latin digits, as Tunisia does; ar_EG would write ٠١٢٣.
MAJLIS_FORMAT_LOCALES = {"ar": "ar_TN", "fr": "fr_TN", "en": "en_GB"}
# Published counts of people under this are hidden, and others with them so that none can be
# worked out by subtraction (cms/disclosure.py; docs/requests.md, "Statistics").
MAJLIS_DISCLOSURE_THRESHOLD = env.int("MAJLIS_DISCLOSURE_THRESHOLD", default=5)
# How long the home page's activity (open consultations, decisions, ideas, figures) is kept
# before it is counted again; any page published or unpublished drops it at once (cms/home.py).
MAJLIS_HOME_CACHE_SECONDS = env.int("MAJLIS_HOME_CACHE_SECONDS", default=60)
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="Africa/Tunis")

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media files -------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Signing (docs/signatures.md): the keys found by name, the CA's revocation lists, the signed
# PDFs (never served). Empty: var/signing-keys, var/signing-crls, private/signatures.
SIGNATURES_KEY_DIR = env.str("SIGNATURES_KEY_DIR", default="")
SIGNATURES_CRL_DIR = env.str("SIGNATURES_CRL_DIR", default="")
SIGNATURES_DOCUMENTS_ROOT = env.str("SIGNATURES_DOCUMENTS_ROOT", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (development, tests), whitenoise serves from the finders, and an
# absent STATIC_ROOT is expected rather than worth a warning on every start.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

# --- Wagtail ----------------------------------------------------------------

WAGTAIL_SITE_NAME = "Majlis"
WAGTAILADMIN_URL_PREFIX = "admin"
# The admin asks no other host for anything (the Content-Security-Policy would refuse it, and
# staff e-mail hashes stay here): no Gravatar avatars, no check for new Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_WORKFLOW_ENABLED = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
TAGGIT_CASE_INSENSITIVE = True

# --- Security ---------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp; docs/security.md): nothing inline, nothing from elsewhere.
# Scripts are the site's own files; a script that must be inline carries the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Features no page of the site uses (config.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    if env.bool("BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Wagtail logs every page action and background task at INFO: keep the console readable.
        "wagtail": {"level": env.str("WAGTAIL_LOG_LEVEL", default="WARNING")},
        "django_tasks": {"level": "WARNING"},
        # WeasyPrint (the signed answers' PDF) logs each rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pyHanko warns at every signature that it may not fetch revocation data: it may not,
        # on purpose (the CRLs are given locally, docs/signatures.md).
        "pyhanko.sign.signers.pdf_signer": {"level": "ERROR"},
    },
}
