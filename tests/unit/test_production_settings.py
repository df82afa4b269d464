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
    return {**SECRETS, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"}


@pytest.mark.parametrize("storage, warned", [("memory://", True), ("redis://127.0.0.1:6379/15", False)])
def test_per_process_rate_limits_are_flagged_in_production(production_env, caplog, storage, warned):
    with caplog.at_level(logging.WARNING, logger="shop"):
        create_app(ProductionConfig, RATELIMIT_STORAGE_URI=storage, **production_env)
    assert any("sign-in limits are per process" in r.getMessage() for r in caplog.records) is warned
