"""Settings, read from the environment once, when the app is created.

Development works with no settings at all (SQLite under instance/, demo payments).
Production refuses to start without the secrets it needs.
"""
import os

DEV_SECRET = "dev-only-not-secret"


def normalise_database_url(url: str) -> str:
    """Accept postgres:// and postgresql:// as given, and talk to them through psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise RuntimeError(f"Setting {name} must be a whole number, got {raw!r}") from None


class Config:
    ENV_NAME = "development"
    TESTING = False
    SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET
    # None means "SQLite file in the instance folder"; create_app fills in the path.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    STORE_NAME = os.environ.get("STORE_NAME") or "Eucalypt & Co. Clinic Supply"
    STORE_CURRENCY = (os.environ.get("STORE_CURRENCY") or "gbp").lower()
    STORE_EMAIL = os.environ.get("STORE_EMAIL") or "hello@eucalypt.example"
    STORE_PHONE = os.environ.get("STORE_PHONE") or "0161 000 0000"
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY") or None
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET") or None
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE") or "https://api.stripe.com"
    SHIPPING_FLAT_PENCE = _int("SHIPPING_FLAT_PENCE", 495)
    FREE_SHIPPING_THRESHOLD_PENCE = _int("FREE_SHIPPING_THRESHOLD_PENCE", 5000)
    PRODUCTS_PER_PAGE = _int("PRODUCTS_PER_PAGE", 12)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    @classmethod
    def check(cls, config: dict) -> None:
        """Refuse settings that would be unsafe to serve with."""
        if config["STORE_CURRENCY"] != "gbp" and len(config["STORE_CURRENCY"]) != 3:
            raise RuntimeError("STORE_CURRENCY must be a three-letter ISO code, e.g. gbp")


class DevelopmentConfig(Config):
    ENV_NAME = "development"


class TestConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"
    STRIPE_SECRET_KEY = None
    STRIPE_WEBHOOK_SECRET = None
    STRIPE_API_BASE = "http://127.0.0.1:9"
    STORE_NAME = "Eucalypt & Co. Clinic Supply"
    PRODUCTS_PER_PAGE = 12
    SHIPPING_FLAT_PENCE = 495
    FREE_SHIPPING_THRESHOLD_PENCE = 5000


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True

    @classmethod
    def check(cls, config: dict) -> None:
        super().check(config)
        missing = [
            name
            for name in ("SECRET_KEY", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "DATABASE_URL")
            if not os.environ.get(name)
        ]
        if missing:
            raise RuntimeError("Production settings need " + ", ".join(missing) + " in the environment")
        if config["SECRET_KEY"] == DEV_SECRET:
            raise RuntimeError("SECRET_KEY must be a real secret in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestConfig,
}


def config_from_environment():
    name = os.environ.get("SHOP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"SHOP_ENV must be one of {', '.join(CONFIGS)}, got {name!r}") from None
