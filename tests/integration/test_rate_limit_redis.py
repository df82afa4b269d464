"""Sign-in limits counted in Redis, as in production: every app server behind the balancer sees the same count."""
import os
import uuid

import pytest
import redis

from shop import create_app
from shop.config import TestConfig
from shop.extensions import db, limiter
from tests import factories as make
from tests.factories import PASSWORD
from tests.helpers import sign_in

REDIS_URL = os.environ.get("TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs Redis: set TEST_REDIS_URL (CI does)")


@pytest.fixture
def backend():
    return "sqlite"


@pytest.fixture
def app_settings():
    # A prefix of this test's own: counts left in the shared Redis by an earlier or parallel run never reach it.
    return {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}


def test_failed_sign_ins_are_counted_in_redis_and_seen_by_another_server(app, tmp_path):
    make.user("pat@example.com")
    store = redis.Redis.from_url(REDIS_URL)
    for _ in range(5):
        assert sign_in(app.test_client(), "pat@example.com", "wrong password!").status_code == 401
    assert any(b"account:pat@example.com" in key for key in store.keys(f"*{app.config['RATELIMIT_KEY_PREFIX']}*"))

    # A second app server, with its own process memory, sharing only Redis and the database.
    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_STORAGE_URI=REDIS_URL,
                       RATELIMIT_KEY_PREFIX=app.config["RATELIMIT_KEY_PREFIX"])
    other.instance_path = str(tmp_path / "other")
    assert sign_in(other.test_client(), "pat@example.com", PASSWORD).status_code == 429
    limiter.reset()
