"""Settings for Readiness, all read from the environment (see .env.example).

One module serves the demo (SQLite, tasks in-process) and production (PostgreSQL, Redis, Celery
workers): the differences are environment variables, never code branches.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# .env is read only on opt-in, so a stray file never changes a deployment silently.
if env.bool("READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

# GENERAL
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
DEBUG = env.bool("DEBUG", default=False)
# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-demo-key-only-for-DEBUG-never-in-production")
else:
    SECRET_KEY = env("SECRET_KEY")  # required: ImproperlyConfigured when missing
# https://docs.djangoproject.com/en/5.2/ref/settings/#allowed-hosts
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The council this installation serves, shown in the header and on every PDF.
COUNCIL_NAME = env("COUNCIL_NAME", default="Northmoor Council")
SERVICE_NAME = "Inspection readiness"
# The public address of this service, for links in e-mails (no trailing slash). [""]
SITE_URL = env("SITE_URL", default="").rstrip("/")
PHASE = env("PHASE", default="beta")

LANGUAGE_CODE = "en-gb"  # must be en-gb for GOV.UK date entry and dd/mm/yyyy parsing
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

# APPS
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_celery_beat",
    "csp",
    # Ours, lowest layer first: readiness -> casework -> inspections.
    "inspections",
    "casework",
    "readiness",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view reads a query parameter: NUL cannot reach PostgreSQL (a 400, not a 500).
    "readiness.middleware.RefuseNulCharactersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Deny by default: every view needs a signed-in user unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "readiness.middleware.SessionTimeoutMiddleware",
    "readiness.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "readiness.middleware.NoStoreForChildDataMiddleware",
    # Last, so that a locked-out attempt is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "readiness.urls"
WSGI_APPLICATION = "readiness.wsgi.application"

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
                "readiness.context_processors.service",
            ],
        },
    },
]

# DATABASE
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#databases
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections are 3x faster than a new backend per request (shared/stack.md §8);
    # health checks make a restarted server harmless to the next request.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out attempt never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "readiness:home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",  # only used by tests (fast), never chosen first
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "readiness.passwords.DecoratedCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: lock by username AND address, so one person's typos cannot lock out a whole
# council sitting behind one proxy address. https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Two-factor sign-in (TOTP, django-otp) for every role: on unless DEBUG; `make demo` runs without it.
# https://django-otp-official.readthedocs.io/en/stable/overview.html
REQUIRE_TWO_FACTOR = env.bool("REQUIRE_TWO_FACTOR", default=not DEBUG)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default=f"{SERVICE_NAME} ({COUNCIL_NAME})")
# After each wrong code the next attempt must wait 1, 2, 4, 8… seconds, even with the right code.
OTP_TOTP_THROTTLE_FACTOR = 1

# SESSIONS
# ------------------------------------------------------------------------------
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "readiness.views.errors.csrf_failure"

# SECURITY HEADERS
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/middleware/#http-strict-transport-security
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: no inline script anywhere. https://django-csp.readthedocs.io/
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# STATIC AND MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Nothing serves MEDIA_URL: uploads and reports are only sent by permission-checked views.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not env.bool("STATIC_MANIFEST", default=True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
GOVUK_FRONTEND_VERSION = (
    (BASE_DIR / "static" / "govuk-frontend" / "VERSION").read_text().strip()
    if (BASE_DIR / "static" / "govuk-frontend" / "VERSION").exists()
    else "5.0.0"
)

# FORMS: crispy-forms-gds renders the GOV.UK Design System markup.
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = GOVUK_FRONTEND_VERSION
# crispy-forms-gds gives the `govuk-input` class to text, e-mail and password inputs only: number and
# link inputs were left unstyled.
# https://github.com/wildfish/crispy-forms-gds/blob/main/docs/reference/settings.rst
CRISPY_CLASS_CONVERTERS = {"numberinput": "govuk-input", "urlinput": "govuk-input"}
# Every form's bound fields add the red error border to any text box in error, which crispy-forms-gds
# does for plain text inputs only (inspections/forms/rendering.py).
# https://docs.djangoproject.com/en/5.2/ref/settings/#form-renderer
FORM_RENDERER = "inspections.forms.rendering.GovukFormRenderer"

# E-MAIL
# ------------------------------------------------------------------------------
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-email-url
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="readiness@localhost")

# CELERY
# ------------------------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# No broker configured: tasks run in-process (the demo). With REDIS_URL: real workers.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True  # every job keeps its own status row in our database
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# A task that started is re-run if its worker dies (tasks are idempotent).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# Keep the visibility timeout above the hard time limit, or long tasks are re-delivered while running.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The DCS and administrators see a warning when the worker has been silent this long.
HEARTBEAT_STALE_SECONDS = env.int("HEARTBEAT_STALE_SECONDS", default=10 * 60)

# CACHES
# ------------------------------------------------------------------------------
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL and env.bool("CACHE_IN_REDIS", default=True)
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# HISTORY
# ------------------------------------------------------------------------------
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "readiness.logs.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "readiness.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO; only its warnings are worth keeping.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
