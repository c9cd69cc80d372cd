"""Bibliomo settings, read from the environment (see .env.example for every variable)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BIBLIOMO_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _local_secret_key() -> str:
    """A development key generated once into var/, so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = envbool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    # Before django_tasks_db: its `db_worker` command is replaced by one that survives errors.
    "bibliomo.core",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "bibliomo.directory",
    "bibliomo.plans",
    "bibliomo.events",
    "bibliomo.documents",
    "bibliomo.portal",
    "bibliomo.textbooks",
    "bibliomo.exchange",
    "bibliomo.privacy",
    "bibliomo.reviews",
    "bibliomo.mentoring",
    "bibliomo.groups",
    "bibliomo.practices",
    "bibliomo.consultations",
    "bibliomo.growth",
    "bibliomo.contests",
    "bibliomo.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "bibliomo.core.security.ContentSecurityPolicyMiddleware",
    "bibliomo.core.errorpages.ErrorPagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Personal data (152-ФЗ): /app/ waits until the person accepts her association's consent.
    "bibliomo.privacy.middleware.ConsentMiddleware",
    # Last, so that its lockout answer comes after the session and messages exist.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bibliomo.urls"
WSGI_APPLICATION = "bibliomo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bibliomo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bibliomo.site.context_processors.shell",
            ],
            "builtins": ["bibliomo.core.templatetags.ru"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'bibliomo.sqlite3'}",
        # Persistent connections in production (a new PostgreSQL connection per request
        # costs 1.3–1.5× the page), checked before reuse so a restarted server is survived.
        conn_max_age=envint("DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Writes from the web process and the worker must wait for each other, not fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "directory.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600)
INVITATION_VALID_DAYS = envint("INVITATION_VALID_DAYS", 14)
# Personal data (152-ФЗ): how long the audit log and background jobs' results are kept
# before `bibliomo prune_personal_data` (daily) deletes them.
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", 3 * 365)
JOB_RETENTION_DAYS = envint("JOB_RETENTION_DAYS", 30)
# Guests of open events (no account): their name, e-mail and organisation are kept this many
# days after the event, then deleted by prune_personal_data.
GUEST_RETENTION_DAYS = envint("GUEST_RETENTION_DAYS", 365)
# A textbook is usually taken to serve four years; older copies are flagged.
TEXTBOOK_SERVICE_YEARS = envint("TEXTBOOK_SERVICE_YEARS", 4)

# Failed logins: five wrong passwords for one e-mail from one address lock it for 15 minutes.
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "bibliomo.directory.auth.axes_username"
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address is what the trusted proxy saw (bibliomo/core/clients.py), so a lockout
# hits the e-mail + address pair of the attacker, not everyone behind nginx.
AXES_CLIENT_IP_CALLABLE = "bibliomo.core.clients.client_ip"
TRUSTED_PROXY_HOPS = envint("TRUSTED_PROXY_HOPS", 1 if envbool("BEHIND_PROXY", False) else 0)
# A locked-out person can unlock by a one-time link e-mailed to her; it is valid this long.
UNLOCK_LINK_HOURS = envint("UNLOCK_LINK_HOURS", 24)
# Letters with links (password reset, unlock) per e-mail address and per client an hour.
MAIL_LINKS_PER_ADDRESS = envint("MAIL_LINKS_PER_ADDRESS", 3)
MAIL_LINKS_PER_CLIENT = envint("MAIL_LINKS_PER_CLIENT", 10)
# Throttles are counted in a cache the web workers share.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["bibliomo.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
]
# The base map of the school maps (bibliomo/core/static/bibliomo/school_map.js): OpenStreetMap's
# tiles; the Content-Security-Policy lets images come from there and nowhere else outside.
MAP_TILE_ORIGIN = "https://tile.openstreetmap.org"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
MAX_UPLOAD_MB = envint("MAX_UPLOAD_MB", 20)
# Largest upload of each kind in megabytes, checked before the file is read.
UPLOAD_LIMITS_MB = {
    "document": envint("MAX_UPLOAD_DOCUMENT_MB", MAX_UPLOAD_MB),
    "material": envint("MAX_UPLOAD_MATERIAL_MB", MAX_UPLOAD_MB),
    "plan": envint("MAX_UPLOAD_PLAN_MB", 5),
    "attendance": envint("MAX_UPLOAD_ATTENDANCE_MB", 1),
    "monitoring": envint("MAX_UPLOAD_MONITORING_MB", 5),
    "catalogue": envint("MAX_UPLOAD_CATALOGUE_MB", 5),
    "contest": envint("MAX_UPLOAD_CONTEST_MB", MAX_UPLOAD_MB),
}
# An attendance list bigger than this (in kilobytes) is checked by a background job.
ATTENDANCE_BACKGROUND_KB = envint("ATTENDANCE_BACKGROUND_KB", 100)
# What a ZIP-based upload (DOCX, XLSX, ODS) may unpack to: in all, per member's compression
# ratio, and in number of members.
MAX_UNZIPPED_MB = envint("MAX_UNZIPPED_MB", 100)
MAX_ZIP_RATIO = envint("MAX_ZIP_RATIO", 200)
MAX_ZIP_MEMBERS = envint("MAX_ZIP_MEMBERS", 2000)
# A form without files never needs more than Django's 2.5 MB; files above
# FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
# Spreadsheet imports: rows and cells a sheet may have (bibliomo/lib/spreadsheets.py).
IMPORT_LIMITS = {
    "monitoring": (
        envint("IMPORT_MONITORING_MAX_ROWS", 5_000),
        envint("IMPORT_MONITORING_MAX_CELLS", 100_000),
    ),
    "fpu": (envint("IMPORT_FPU_MAX_ROWS", 20_000), envint("IMPORT_FPU_MAX_CELLS", 400_000)),
    "attendance": (
        envint("IMPORT_ATTENDANCE_MAX_ROWS", 20_000),
        envint("IMPORT_ATTENDANCE_MAX_CELLS", 400_000),
    ),
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bibliomo <noreply@bibliomo.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Letters go out through the background worker (bibliomo/core/mail.py): attempts per letter
# and the first pause before a retry (doubling each time).
MAIL_MAX_ATTEMPTS = envint("MAIL_MAX_ATTEMPTS", 5)
MAIL_RETRY_SECONDS = envint("MAIL_RETRY_SECONDS", 60)
# A consultation question with no answer for this many working days is flagged on the
# methodist's home page.
CONSULTATION_ANSWER_DAYS = envint("CONSULTATION_ANSWER_DAYS", 2)

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "bibliomo.core.errorpages.csrf_failure"
# HTTPS only, once it works: nginx redirects too, Django is the second line.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
# Scripts from this site only (bibliomo/core/security.py); no inline script anywhere.
# Images also from the map tiles' server.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    f"img-src 'self' data: {MAP_TILE_ORIGIN}; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
