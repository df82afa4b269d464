"""Production settings an operator would get wrong: the app says so when it starts."""
import logging

import pytest

from shop import create_app
from shop.config import ProductionConfig

SECRETS = {"SECRET_KEY": "a-real-secret", "STRIPE_SECRET_KEY": "sk_test_x", "STRIPE_WEBHOOK_SECRET": "whsec_x"}


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.setenv("SHOP_INSTANCE_PATH", str(tmp_path / "instance"))
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    # One web worker: memory:// limits then hold for this one process, so the app may start with them.
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    return {**SECRETS, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}", "STORE_URL": "https://shop.example"}


@pytest.mark.parametrize("storage, warned", [("memory://", True), ("redis://127.0.0.1:6379/15", False)])
def test_per_process_rate_limits_are_flagged_in_production(production_env, caplog, storage, warned):
    with caplog.at_level(logging.WARNING, logger="shop"):
        create_app(ProductionConfig, RATELIMIT_STORAGE_URI=storage, **production_env)
    assert any("sign-in limits are per process" in r.getMessage() for r in caplog.records) is warned


@pytest.mark.parametrize("workers", ["2", "5", ""])  # "" is gunicorn's default: 2 x CPUs + 1
def test_production_refuses_limits_counted_per_worker(production_env, monkeypatch, workers):
    monkeypatch.setenv("WEB_CONCURRENCY", workers)
    with pytest.raises(RuntimeError, match=r"RATELIMIT_STORAGE_URI is memory:// with \d+ web workers"):
        create_app(ProductionConfig, RATELIMIT_STORAGE_URI="memory://", **production_env)
    create_app(ProductionConfig, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15", **production_env)  # shared: starts


def test_production_hashes_passwords_with_scrypt(production_env):
    from shop.accounts.models import User

    app = create_app(ProductionConfig, **production_env)
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"
    with app.app_context():
        user = User(email="clinic@example.com")
        user.set_password("a long enough passphrase")
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("a long enough passphrase") and not user.check_password("something else")


def test_production_refuses_a_cheap_password_hash(production_env):
    with pytest.raises(RuntimeError, match="PASSWORD_HASH_METHOD must be scrypt"):
        create_app(ProductionConfig, PASSWORD_HASH_METHOD="pbkdf2:sha256:1", **production_env)


@pytest.mark.parametrize(
    "store_url",
    ["http://127.0.0.1:5000", "https://localhost", "http://shop.example", "https://", "shop.example"],
)
def test_production_refuses_a_store_url_customers_cannot_reach(production_env, store_url):
    """Links in emails and Stripe's return addresses are built on STORE_URL."""
    with pytest.raises(RuntimeError, match="STORE_URL must be the shop's public https address"):
        create_app(ProductionConfig, **{**production_env, "STORE_URL": store_url})


def test_production_starts_with_its_public_https_address(production_env):
    app = create_app(ProductionConfig, **{**production_env, "STORE_URL": "https://shop.example"})
    assert app.config["STORE_URL"] == "https://shop.example"


def test_a_password_hashed_with_scrypt_still_signs_in_under_another_setting(app, client):
    """Hashes carry their own method: changing the setting never locks anyone out."""
    from werkzeug.security import generate_password_hash

    from shop.extensions import db
    from tests import factories as make
    from tests.helpers import sign_in

    assert not app.config["PASSWORD_HASH_METHOD"].startswith("scrypt")  # the tests' cheap setting
    user = make.user("old.customer@example.com")
    user.password_hash = generate_password_hash(make.PASSWORD, method="scrypt")
    db.session.commit()

    assert sign_in(client, "old.customer@example.com", "not the password at all").status_code == 401
    assert sign_in(client, "old.customer@example.com", make.PASSWORD).status_code == 303
