"""Cached pages shared through Redis by several app servers, and pages still served when Redis is down."""
import os
import uuid

import pytest
import redis

from shop import create_app
from shop.config import TestConfig
from tests import factories as make

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.fixture
def backend():
    return "sqlite"


@pytest.fixture
def app_settings(request):
    if request.node.get_closest_marker("redis_down"):
        return {"PAGE_CACHE_URL": "redis://127.0.0.1:1/0"}  # nothing listens there
    if not REDIS_URL:
        pytest.skip("needs Redis: set TEST_REDIS_URL (CI does)")
    # A prefix of this test's own: pages left in the shared Redis by an earlier or parallel run never reach it.
    return {"PAGE_CACHE_URL": REDIS_URL, "PAGE_CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}:"}


def test_a_page_rendered_by_one_server_is_served_by_another_with_its_own_holes(app, tmp_path):
    make.product("Grapeseed Oil", slug="grapeseed-oil")
    first = app.test_client().get("/products/grapeseed-oil")
    assert first.headers["X-Page-Cache"] == "miss"
    prefix = app.config["PAGE_CACHE_KEY_PREFIX"]
    stored = redis.Redis.from_url(REDIS_URL).keys(f"{prefix}*")
    assert len(stored) == 1

    # A second app server: its own memory, the same database, Redis and release.
    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                       PAGE_CACHE_URL=REDIS_URL, PAGE_CACHE_KEY_PREFIX=prefix)
    other.instance_path = str(tmp_path / "other")
    with other.app_context():
        second = other.test_client().get("/products/grapeseed-oil")
    assert second.headers["X-Page-Cache"] == "hit"
    assert "\ue000" not in second.get_data(as_text=True)
    assert second.get_data(as_text=True).count('name="csrf_token" value="') == 1
    redis.Redis.from_url(REDIS_URL).delete(*stored)


@pytest.mark.redis_down
def test_pages_are_rendered_and_kept_in_memory_when_redis_is_down(app):
    make.product("Grapeseed Oil", slug="grapeseed-oil")
    client = app.test_client()
    assert [client.get("/products/grapeseed-oil").status_code for _ in range(2)] == [200, 200]
    assert client.get("/products/grapeseed-oil").headers["X-Page-Cache"] == "hit"
