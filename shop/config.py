"""Settings, read from the environment once, when the app is created.

Development works with no settings at all (SQLite under instance/, demo payments).
Production refuses to start without the secrets it needs.
"""
import logging
import os
from urllib.parse import urlsplit

from shop.serving.workers import per_process_limits, worker_count

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
    # The shop's public address, for links in emails sent outside a request (the sweeper).
    STORE_URL = os.environ.get("STORE_URL") or "http://127.0.0.1:5000"
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY") or None
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET") or None
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE") or "https://api.stripe.com"
    PRODUCTS_PER_PAGE = _int("PRODUCTS_PER_PAGE", 12)
    MAX_QUANTITY_PER_LINE = _int("MAX_QUANTITY_PER_LINE", 99)
    # Stripe's minimum for expires_at is 30 minutes; the hold lasts as long as the session.
    CHECKOUT_HOLD_MINUTES = _int("CHECKOUT_HOLD_MINUTES", 30)
    # A lot with fewer days left before its expiry date is withdrawn from sale (short-dated).
    MIN_SHELF_LIFE_DAYS = _int("MIN_SHELF_LIFE_DAYS", 30)
    STRIPE_TIMEOUT_SECONDS = _int("STRIPE_TIMEOUT_SECONDS", 10)
    STRIPE_MAX_RETRIES = _int("STRIPE_MAX_RETRIES", 2)
    # How many reverse proxies in front set X-Forwarded-For/-Proto/-Host/-Port; 0 trusts none (shop.serving).
    PROXY_FIX_HOPS = _int("PROXY_FIX_HOPS", 0)
    # Email: SMTP when MAIL_SERVER is set, otherwise one file per message in instance/outbox/.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _int("MAIL_PORT", 587)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = (os.environ.get("MAIL_USE_TLS") or "1") not in ("0", "false", "no")
    MAIL_FROM = os.environ.get("MAIL_FROM") or None
    # A mail server slower than this is given up on for now; the worker tries again later.
    MAIL_TIMEOUT_SECONDS = float(os.environ.get("MAIL_TIMEOUT_SECONDS") or 15)
    # The worker (`flask --app wsgi shop worker`): how long a claimed message is its own before
    # another worker may take it (a killed worker's messages come back then), how long it rests
    # when nothing is due, and how many messages it claims at once.
    WORKER_LEASE_SECONDS = _int("WORKER_LEASE_SECONDS", 300)
    WORKER_POLL_SECONDS = float(os.environ.get("WORKER_POLL_SECONDS") or 2)
    WORKER_BATCH = _int("WORKER_BATCH", 20)
    # Product photos uploaded in the back office; unset: product-images/ in the instance folder.
    PRODUCT_IMAGE_DIR = os.environ.get("PRODUCT_IMAGE_DIR") or None
    # Receipts: the store's details for a clinic's bookkeeping; prices include VAT at this rate.
    STORE_ADDRESS = os.environ.get("STORE_ADDRESS") or "Unit 4, Mill Lane, Manchester M1 1AA, United Kingdom"
    STORE_VAT_NUMBER = os.environ.get("STORE_VAT_NUMBER") or "GB 123 4567 89"
    VAT_RATE_PERCENT = _int("VAT_RATE_PERCENT", 20)
    # Accounts: signed links by email, and sign-in limits (failed attempts only).
    # werkzeug's method string; production refuses anything but scrypt (see ProductionConfig).
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD") or "scrypt"
    PASSWORD_RESET_MAX_AGE_SECONDS = _int("PASSWORD_RESET_MAX_AGE_SECONDS", 3600)
    EMAIL_VERIFY_MAX_AGE_SECONDS = _int("EMAIL_VERIFY_MAX_AGE_SECONDS", 3 * 24 * 3600)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Keeps one shop's counters apart from another's in a shared Redis (and each test's apart).
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX") or ""
    SIGN_IN_LIMIT_PER_ACCOUNT = os.environ.get("SIGN_IN_LIMIT_PER_ACCOUNT") or "5 per 15 minutes"
    SIGN_IN_LIMIT_PER_ADDRESS = os.environ.get("SIGN_IN_LIMIT_PER_ADDRESS") or "30 per 15 minutes"
    EMAIL_LINK_LIMIT = os.environ.get("EMAIL_LINK_LIMIT") or "5 per hour"
    # Unknown care plan links tried from one address before it is refused (guessing, not patients).
    PLAN_LINK_GUESS_LIMIT = os.environ.get("PLAN_LINK_GUESS_LIMIT") or "10 per 10 minutes"
    # Discount codes refused for one address before it must wait (guessing codes, not shoppers).
    DISCOUNT_CODE_GUESS_LIMIT = os.environ.get("DISCOUNT_CODE_GUESS_LIMIT") or "10 per 10 minutes"
    # Clinics (shop/clinics): how long an invitation link works, and how many an owner may send.
    CLINIC_INVITATION_DAYS = _int("CLINIC_INVITATION_DAYS", 7)
    CLINIC_INVITATION_LIMIT = os.environ.get("CLINIC_INVITATION_LIMIT") or "20 per day"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # Cached catalogue pages (shop/page_cache): on or off; bytes of page bodies each web worker keeps;
    # a Redis every app server shares (unset: memory only); a key prefix there; and how long Redis
    # keeps an entry nobody asked for (housekeeping only: freshness comes from the versions in the key).
    PAGE_CACHE = (os.environ.get("PAGE_CACHE") or "on").lower()
    PAGE_CACHE_BYTES = _int("PAGE_CACHE_BYTES", 64 * 1024 * 1024)
    PAGE_CACHE_URL = os.environ.get("PAGE_CACHE_URL") or None
    PAGE_CACHE_KEY_PREFIX = os.environ.get("PAGE_CACHE_KEY_PREFIX") or ""
    PAGE_CACHE_REDIS_SECONDS = _int("PAGE_CACHE_REDIS_SECONDS", 86400)

    @classmethod
    def check(cls, config: dict) -> None:
        """Refuse settings that would be unsafe to serve with."""
        if len(config["STORE_CURRENCY"]) != 3 or not config["STORE_CURRENCY"].isalpha():
            raise RuntimeError("STORE_CURRENCY must be a three-letter ISO code, e.g. gbp")
        key = config.get("STRIPE_SECRET_KEY")
        if key and not key.startswith(("sk_test_", "rk_test_")):
            raise RuntimeError(
                "STRIPE_SECRET_KEY is not a test key (sk_test_... or rk_test_...). Live keys are only "
                "accepted with SHOP_ENV=production."
            )
        if key and not config.get("STRIPE_WEBHOOK_SECRET"):
            raise RuntimeError("STRIPE_WEBHOOK_SECRET is required whenever STRIPE_SECRET_KEY is set (stripe listen prints one).")


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
    # One round of PBKDF2: the suite hashes hundreds of passwords, and their strength is not what it tests.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @classmethod
    def check(cls, config: dict) -> None:
        missing = [
            name
            for name in ("SECRET_KEY", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "DATABASE_URL")
            if not os.environ.get(name)
        ]
        if missing:
            raise RuntimeError("Production settings need " + ", ".join(missing) + " in the environment")
        # Every link in an email and every Stripe return address is built on STORE_URL: the
        # development default would send customers to their own machine.
        store_url = urlsplit(config["STORE_URL"])
        if store_url.scheme != "https" or not store_url.hostname or store_url.hostname in LOCAL_HOSTS:
            raise RuntimeError(
                f"STORE_URL must be the shop's public https address in production, got {config['STORE_URL']!r}"
            )
        if config["SECRET_KEY"] == DEV_SECRET:
            raise RuntimeError("SECRET_KEY must be a real secret in production")
        if not config["PASSWORD_HASH_METHOD"].startswith("scrypt"):
            raise RuntimeError(f"PASSWORD_HASH_METHOD must be scrypt in production, got {config['PASSWORD_HASH_METHOD']!r}")
        if len(config["STORE_CURRENCY"]) != 3 or not config["STORE_CURRENCY"].isalpha():
            raise RuntimeError("STORE_CURRENCY must be a three-letter ISO code, e.g. gbp")
        # Each gunicorn worker would count on its own: an attacker gets workers × the limit.
        problem = per_process_limits(config["RATELIMIT_STORAGE_URI"], worker_count())
        if problem:
            raise RuntimeError(problem)
        if config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
            # One worker counts alone too when several servers stand behind a balancer.
            logging.getLogger("shop").warning(
                "RATELIMIT_STORAGE_URI is memory://: sign-in limits are per process. Set redis://... in production."
            )


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
