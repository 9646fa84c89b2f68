"""Typed settings, one class per environment, read from environment variables.

`config_for(name)` picks the class by name (``NASTAVNIK_ENV``: development, testing,
production) and returns an *instance*, so values are read from the environment when the
app is created, not when this module is imported.
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("NASTAVNIK_INSTANCE_DIR", PROJECT_ROOT / "instance"))
DEFAULT_SECRET_KEY = "dev-insecure-secret-key-change-me"


class ConfigError(RuntimeError):
    """The environment does not describe a runnable configuration."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    return int(value) if value is not None else default


def _sqlite_url(filename: str) -> str:
    return f"sqlite:///{INSTANCE_DIR / filename}"


class BaseConfig:
    """Settings shared by every environment; subclasses override defaults."""

    ENV_NAME = "base"
    DEBUG = False
    TESTING = False

    def __init__(self) -> None:
        self.SECRET_KEY: str = _env("SECRET_KEY", DEFAULT_SECRET_KEY)
        self.SQLALCHEMY_DATABASE_URI: str | None = self._database_url()
        self.SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
        self.SQLALCHEMY_RECORD_QUERIES = False
        self.REDIS_URL: str | None = _env("REDIS_URL")

        # Sessions and cookies.
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=_env_int("SESSION_HOURS", 12))
        self.SESSION_COOKIE_NAME = "nastavnik_session"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.REMEMBER_COOKIE_DURATION = timedelta(days=7)
        self.SEND_HSTS = _env_bool("SEND_HSTS", True)

        # Forms, CSRF, uploads.
        self.WTF_CSRF_ENABLED = True
        self.WTF_CSRF_TIME_LIMIT = 8 * 3600
        self.MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 25 * 1024 * 1024)

        # Tokens.
        self.PASSWORD_RESET_MAX_AGE = _env_int("PASSWORD_RESET_MAX_AGE", 3600)
        self.INVITATION_MAX_AGE = _env_int("INVITATION_MAX_AGE", 7 * 24 * 3600)

        # Rate limiting (Flask-Limiter).
        self.RATELIMIT_STORAGE_URI: str = _env("RATELIMIT_STORAGE_URI", self._ratelimit_storage())
        self.RATELIMIT_HEADERS_ENABLED = True
        self.LOGIN_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "5 per minute")  # failures per address
        self.LOGIN_HARD_LIMIT = _env("LOGIN_HARD_LIMIT", "30 per minute")  # all attempts per address
        self.LOGIN_ACCOUNT_LIMIT = _env("LOGIN_ACCOUNT_LIMIT", "20 per hour")  # failures per account

        # Mail.
        self.MAIL_BACKEND = _env("MAIL_BACKEND", self._mail_backend())  # smtp | console
        self.MAIL_SERVER = _env("MAIL_SERVER", "localhost")
        self.MAIL_PORT = _env_int("MAIL_PORT", 25)
        self.MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
        self.MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
        self.MAIL_USERNAME = _env("MAIL_USERNAME")
        self.MAIL_PASSWORD = _env("MAIL_PASSWORD")
        self.MAIL_DEFAULT_SENDER = _env("MAIL_DEFAULT_SENDER", "Наставник <no-reply@nastavnik.local>")
        self.MAIL_TIMEOUT = _env_int("MAIL_TIMEOUT", 10)
        # Survey dispatch: messages per SMTP connection (a batch) and per second (0: no limit).
        self.SURVEY_MAIL_BATCH = _env_int("SURVEY_MAIL_BATCH", 200)
        self.SURVEY_MAIL_RATE = _env_int("SURVEY_MAIL_RATE", 20)
        self.PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL")
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted
        # (client address for rate limits and the audit log; scheme and host for links).
        self.PROXY_COUNT = _env_int("PROXY_COUNT", 0)

        # Internationalisation.
        self.BABEL_DEFAULT_LOCALE = "ru"
        self.BABEL_DEFAULT_TIMEZONE = _env("TIMEZONE", "Europe/Moscow")
        self.BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
        self.LANGUAGES = ("ru", "en")

        self.CELERY: dict = self._celery()
        self.PAGE_SIZE = _env_int("PAGE_SIZE", 20)

    # -- hooks for subclasses -------------------------------------------------------
    def _database_url(self) -> str | None:
        return _env("DATABASE_URL", _sqlite_url("nastavnik.sqlite"))

    def _ratelimit_storage(self) -> str:
        redis_url = _env("REDIS_URL")
        return redis_url if redis_url else "memory://"

    def _mail_backend(self) -> str:
        return "smtp"

    def _celery(self) -> dict:
        redis_url = _env("REDIS_URL")
        broker = _env("CELERY_BROKER_URL", redis_url or f"sqla+{_sqlite_url('celery-broker.sqlite')}")
        backend = _env("CELERY_RESULT_BACKEND", redis_url or f"db+{_sqlite_url('celery-results.sqlite')}")
        longest_task_seconds = _env_int("CELERY_LONGEST_TASK_SECONDS", 3600)
        return {
            "broker_url": broker,
            "result_backend": backend,
            "task_ignore_result": True,
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            # Redis redelivers unacked tasks after this; it must exceed twice the longest task.
            # Redis brokers only: Kombu's SQLAlchemy transport (the embedded default) passes
            # its transport options to create_engine(), which rejects unknown keywords.
            "broker_transport_options": (
                {"visibility_timeout": 2 * longest_task_seconds + 600}
                if broker.split("://", 1)[0] in {"redis", "rediss", "redis+socket", "sentinel"}
                else {}
            ),
            "result_backend_transport_options": {"visibility_timeout": 2 * longest_task_seconds + 600},
            "timezone": _env("CELERY_TIMEZONE", "Europe/Moscow"),
            "enable_utc": True,
            "task_serializer": "json",
            "result_serializer": "json",
            "accept_content": ["json"],
            "broker_connection_retry_on_startup": True,
            "beat_schedule_filename": str(INSTANCE_DIR / "celerybeat-schedule"),
            "task_always_eager": False,
        }

    def validate(self) -> None:
        """Raise ConfigError if this configuration cannot run."""


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"
    DEBUG = False  # the debugger is opt-in: FLASK_DEBUG=1

    def _mail_backend(self) -> str:
        return "console"


class TestingConfig(BaseConfig):
    ENV_NAME = "testing"
    TESTING = True

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = "testing-secret-key"
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.PASSWORD_HASH_FAST = True  # cheaper argon2 parameters for the suite
        # Tasks queued by web tests go to an in-process broker no worker reads; integration
        # tests give their apps a real Redis broker and a real worker.
        self.CELERY = {**self.CELERY, "broker_url": "memory://", "result_backend": "cache+memory://"}

    def _database_url(self) -> str | None:
        return _env("TEST_DATABASE_URL", "sqlite://")

    def _mail_backend(self) -> str:
        return "console"


class ProductionConfig(BaseConfig):
    ENV_NAME = "production"

    def __init__(self) -> None:
        super().__init__()
        self.SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.PREFERRED_URL_SCHEME = "https"
        # Requests for other hosts are refused (400); the health check comes from loopback.
        public_host = urlsplit(self.PUBLIC_BASE_URL or "").hostname
        extra = [h.strip() for h in (_env("TRUSTED_HOSTS", "") or "").split(",") if h.strip()]
        self.TRUSTED_HOSTS = [h for h in [public_host, "127.0.0.1", "localhost", *extra] if h]

    def _database_url(self) -> str | None:
        return _env("DATABASE_URL")

    def validate(self) -> None:
        problems = []
        if not self.SECRET_KEY or self.SECRET_KEY == DEFAULT_SECRET_KEY or len(self.SECRET_KEY) < 32:
            problems.append("SECRET_KEY must be set to a random string of at least 32 characters")
        if not self.SQLALCHEMY_DATABASE_URI:
            problems.append("DATABASE_URL must be set (e.g. postgresql+psycopg://user:pass@host/db)")
        if not _env("REDIS_URL"):
            problems.append("REDIS_URL must be set (Celery broker and rate-limit storage)")
        if not (self.PUBLIC_BASE_URL or "").startswith("https://"):
            # E-mailed links (password reset, invitations) are never built from the request's
            # Host header, which a client controls.
            problems.append("PUBLIC_BASE_URL must be set to the service's https:// address")
        if problems:
            raise ConfigError("Production configuration refused: " + "; ".join(problems) + ".")


_CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> BaseConfig:
    """Instantiate and validate the settings class for ``name`` (default: NASTAVNIK_ENV)."""
    name = name or _env("NASTAVNIK_ENV", "development")
    try:
        cls = _CONFIGS[name]
    except KeyError:
        raise ConfigError(f"Unknown NASTAVNIK_ENV {name!r}; expected one of {sorted(_CONFIGS)}") from None
    config = cls()
    config.validate()
    return config
