"""The app from the factory with a fresh database for every test.

Every test that uses `app` runs on SQLite, and again on PostgreSQL when
TEST_DATABASE_URL is set (CI sets it).
"""
import os
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, event, text

from flask.testing import FlaskClient

from shop import create_app
from shop.config import TestConfig, normalise_database_url
from shop.extensions import db, limiter

PG_URL = os.environ.get("TEST_DATABASE_URL")
# Stripe's real test mode needs the network: only `make test-stripe` collects it.
collect_ignore = [] if os.environ.get("SHOP_LIVE_STRIPE") else ["live"]
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
_pg_schema_built = False


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests have no SQLite variant; without PostgreSQL they are skipped, visibly."""
    keep, dropped = [], []
    for item in items:
        if item.get_closest_marker("postgres_only"):
            if "[sqlite" in item.nodeid:
                dropped.append(item)
                continue
            if not PG_URL:
                item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL"))
        keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def database_url(backend, tmp_path):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'shop.db'}"
    return normalise_database_url(PG_URL)


@pytest.fixture
def app_settings():
    """Settings a group of tests needs on top of TestConfig (the Stripe tests point at their double)."""
    return {}


@pytest.fixture
def app(backend, database_url, tmp_path, app_settings):
    global _pg_schema_built
    engine_options = {"pool_pre_ping": True}
    if backend == "postgresql":
        # Room for the concurrency tests' 50 simultaneous buyers.
        engine_options.update(pool_size=10, max_overflow=60, pool_timeout=60)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, SQLALCHEMY_ENGINE_OPTIONS=engine_options, **app_settings)
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = FreshContextClient
    limiter.reset()  # the in-memory rate-limit counts would otherwise carry over from the last test
    os.makedirs(app.instance_path, exist_ok=True)
    with app.app_context():
        if backend == "sqlite":
            db.create_all()
        elif not _pg_schema_built:
            db.drop_all()
            _drop_alembic_version()
            db.create_all()
            _pg_schema_built = True
        else:
            _truncate_all()
        yield app
        db.session.remove()
        if backend == "postgresql":
            _truncate_all()
        db.engine.dispose()


def _truncate_all():
    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.session.commit()


def _drop_alembic_version():
    db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    The `app` fixture keeps an app context open for the test's own queries; without this,
    every request would share it, and with it `g` and the database session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def double():
    """A running Stripe-API double (tests/stripe/double.py), stopped after the test."""
    from tests.stripe.double import WEBHOOK_SECRET, StripeDouble

    with StripeDouble(webhook_secret=WEBHOOK_SECRET) as running:
        yield running


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counted: ...` then `counted.n` is the number of SQL statements run."""

    @contextmanager
    def counting():
        class Counter:
            n = 0
            statements: list = []

        counter = Counter()
        counter.statements = []

        def before(conn, cursor, statement, *args):
            counter.n += 1
            counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def demo(app):
    from shop.demo.loader import load_demo

    return load_demo()


def pg_admin_engine():
    """A connection to the PostgreSQL server for creating and dropping scratch databases."""
    return create_engine(normalise_database_url(PG_URL), isolation_level="AUTOCOMMIT")
