"""The app from the factory with a fresh database for every test.

Every test that uses `app` runs on SQLite, and again on PostgreSQL when
TEST_DATABASE_URL is set (CI sets it).

The schema is built once per test run, not per test: on SQLite each test gets a copy of a
template file (well under a millisecond); on PostgreSQL each test process has its own
database (`<name>_gw0`, `<name>_gw1`, ... under pytest-xdist), built once and emptied after
every test. Nothing a test leaves behind reaches the next one.
"""
import os
import shutil
import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar

import pytest
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Engine

from flask import before_render_template, request_started, template_rendered
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from jinja2 import BytecodeCache

from shop import create_app
from shop.catalog.search_index import WORDS_TABLE
from shop.config import TestConfig, normalise_database_url
from shop.extensions import db, limiter

# Each xdist worker ("gw0", "gw1", ...) of each run gets its own PostgreSQL database, so neither
# two workers nor two runs on one machine share tables; a plain run uses the named database.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8]
SHARED_PG_URL = os.environ.get("TEST_DATABASE_URL")
PG_URL = (make_url(SHARED_PG_URL).set(database=f"{make_url(SHARED_PG_URL).database}_{RUN}_{WORKER}").render_as_string(hide_password=False)
          if SHARED_PG_URL and WORKER else SHARED_PG_URL)
# Stripe's real test mode needs the network: only `make test-stripe` collects it.
collect_ignore = [] if os.environ.get("SHOP_LIVE_STRIPE") else ["live"]
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
_pg_schema_built = False


class _CompiledTemplates(BytecodeCache):
    """Compiled templates shared by every app this test process creates.

    Each test's new app would otherwise compile every template it renders again (about 0.1 s a
    test). Jinja checks each entry against the template's source, so an edited template is
    compiled afresh.
    """

    def __init__(self):
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        code = self._compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self._compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


@event.listens_for(Engine, "connect")
def _sqlite_without_waiting_for_the_disk(dbapi_connection, connection_record):
    """Each SQLite commit would otherwise wait for the disk and write and delete a journal file
    (about 10 ms; 0.01 ms without). A test's database is thrown away with it, so losing the last
    commits to a crash cannot matter; locking and transactions behave as before."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = OFF")
        dbapi_connection.execute("PRAGMA journal_mode = MEMORY")


def _share_url_builders():
    """Each new app compiles two Python functions for each of its ~110 URL rules (werkzeug's
    `Rule._compile_builder`: an AST built and passed to `compile`), about a fifth of a typical
    test's time. A builder depends only on the rule's parsed parts, its defaults and whether
    unknown arguments are appended; it takes the rule as `self` when called. So the functions
    are compiled once per test process and shared by every app. If werkzeug changes this private
    method, the tests run as before, only slower."""
    from werkzeug.routing.rules import Rule

    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None or getattr(compile_builder, "shared", False):
        return
    compiled = {}

    def shared_builder(self, append_unknown=True):
        defaults = self.defaults or {}
        key = (tuple(self._trace), append_unknown,
               tuple(sorted((name, type(self._converters.get(name)).__name__, repr(value)) for name, value in defaults.items())))
        builder = compiled.get(key)
        if builder is None:
            builder = compiled[key] = compile_builder(self, append_unknown)
        return builder

    shared_builder.shared = True
    Rule._compile_builder = shared_builder


_share_url_builders()


def _share_compiled_sql():
    """Each test's app makes a new engine, and an engine starts with an empty cache of compiled
    SQL: every statement a test runs was compiled again (about a fifth of a typical test's time).
    The cache's key holds the dialect object, so engines of one backend are given the first one's
    dialect and cache. A dialect holds only what it learnt of the server (the same for the whole
    run); the engine keeps its own URL and pool."""
    from sqlalchemy import engine_from_config

    first: dict = {}

    def make_engine(bind_key, options, app):
        engine = engine_from_config(options, prefix="")
        key = (engine.dialect.name, engine.dialect.driver)
        if key not in first:
            first[key] = engine
        else:
            engine.dialect = engine.pool._dialect = first[key].dialect
            engine._compiled_cache = first[key]._compiled_cache
        return engine

    db._make_engine = make_engine


_share_compiled_sql()


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
    # Longest first: a long test started last would leave the other workers idle while it finishes.
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


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


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """An empty database with the whole schema, built once; each test starts from a copy."""
    path = tmp_path_factory.mktemp("schema") / "template.db"
    template = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with template.app_context():
        db.create_all()
        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def _worker_pg_database():
    """Under xdist, this worker's own PostgreSQL database, created fresh for the run."""
    if not (SHARED_PG_URL and WORKER):
        yield
        return
    name = make_url(PG_URL).database
    admin = pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # A commit need not wait for its WAL record to reach the disk (about 15 ms a commit here):
        # the tests never survive a crash of the server, and every other guarantee is unchanged.
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    yield
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def app(backend, database_url, tmp_path, app_settings, request):
    global _pg_schema_built
    engine_options = {"pool_pre_ping": True}
    if backend == "sqlite":
        path = make_url(database_url).database
        if path and not os.path.exists(path):
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
    else:
        request.getfixturevalue("_worker_pg_database")
        # Room for the concurrency tests' 50 simultaneous buyers.
        engine_options.update(pool_size=10, max_overflow=60, pool_timeout=60)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, SQLALCHEMY_ENGINE_OPTIONS=engine_options, **app_settings)
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = FreshContextClient
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    _no_lazy_loads_while_rendering(app)
    limiter.reset()  # the in-memory rate-limit counts would otherwise carry over from the last test
    os.makedirs(app.instance_path, exist_ok=True)
    with app.app_context():
        if backend == "postgresql" and not _pg_schema_built:
            db.drop_all()
            _drop_alembic_version()
            db.create_all()
            _pg_schema_built = True
        try:
            yield app
        finally:
            db.session.remove()
            app.extensions["page_cache"].reader.dispose()  # its own connections (PostgreSQL)
            if backend == "postgresql":
                _truncate_all()  # the next test on this process starts from empty tables
            db.engine.dispose()


# The catalogue pages load what they show in their own queries (rows and eager loads), so their
# templates never make one: a lazy load while one of them renders fails the test that rendered it.
CATALOGUE_TEMPLATES = ("home.html", "catalog/", "guides/")
_rendering = ContextVar("rendering_catalogue_template", default=None)


class LazyLoadWhileRendering(AssertionError):
    pass


def _no_lazy_loads_while_rendering(app):
    def started(sender, template, context, **extra):
        if template.name.startswith(CATALOGUE_TEMPLATES) and _rendering.get() is None:
            _rendering.set(template.name)

    def finished(sender, template, context, **extra):
        if _rendering.get() == template.name:
            _rendering.set(None)

    def reset(sender, **extra):  # a rendering that raised never finished
        _rendering.set(None)

    before_render_template.connect(started, app, weak=False)
    template_rendered.connect(finished, app, weak=False)
    request_started.connect(reset, app, weak=False)


@event.listens_for(Session, "do_orm_execute")
def _refuse_lazy_loads(state):
    name = _rendering.get()
    if name is not None and (state.is_relationship_load or state.is_column_load):
        _rendering.set(None)
        raise LazyLoadWhileRendering(f"{name} made a query while rendering (a lazy load): {state.statement}")


def _truncate_all():
    """Empty every table and restart every id at 1.

    DELETE rather than TRUNCATE: a test leaves a few rows in a few of its ~40 tables, and TRUNCATE
    gives each table and index a new file whether it held rows or not (about 0.1 s a test against
    3 ms). Children go before parents, and foreign-key triggers are off for the transaction
    (`session_replication_role`, which needs a superuser, as CI's postgres is) for the cycles.
    """
    tables = db.metadata.sorted_tables
    sequences, superuser = _pg_sequences_and_role()
    if not superuser:
        names = ", ".join([f'"{t.name}"' for t in tables] + [WORDS_TABLE])
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.commit()
        return
    statements = ["SET LOCAL session_replication_role = replica"]
    statements += [f'DELETE FROM "{t.name}"' for t in reversed(tables)]
    statements.append(f"DELETE FROM {WORDS_TABLE}")  # search's words, kept by a trigger, not a model
    if sequences:
        statements.append("SELECT " + ", ".join(f"setval('{name}', 1, false)" for name in sequences))
    db.session.execute(text("; ".join(statements)))
    db.session.commit()


_pg_facts: tuple | None = None


def _pg_sequences_and_role() -> tuple[list[str], bool]:
    """The schema's id sequences and whether we connect as a superuser: the same for the whole run,
    so asked once per test process rather than after every test."""
    global _pg_facts
    if _pg_facts is None:
        sequences = db.session.scalars(text(
            "SELECT quote_ident(sequence_name) FROM information_schema.sequences WHERE sequence_schema = current_schema()")).all()
        superuser = bool(db.session.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")))
        _pg_facts = (list(sequences), superuser)
    return _pg_facts


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
    """`with count_queries() as counted: ...` then `counted.n` is the number of SQL statements run
    (the page cache's versions reads included: on PostgreSQL they have a connection of their own)."""

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

        # The page cache's reader runs its statements on the driver's cursor (PostgreSQL), past SQLAlchemy's events.
        reader = app.extensions["page_cache"].reader

        def fetch(cursor, statement, values):
            before(None, cursor, statement)
            return type(reader)._fetch(cursor, statement, values)

        event.listen(db.engine, "before_cursor_execute", before)
        reader._fetch = fetch
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
            del reader._fetch

    return counting


@pytest.fixture
def demo(app, backend):
    """The demo catalogue and guides, as `make run` loads them into an empty store.

    The loader runs for real the first time a test process asks on each backend (about 1 s on
    PostgreSQL: every lot through the ledger); its rows are kept and later tests get the same rows
    written back in one batch. A test that has already written something gets the loader itself.
    """
    from shop.demo.loader import load_demo

    tables = db.metadata.sorted_tables
    if _any_rows(tables):
        return load_demo()
    kept = _demo_rows.get(backend)
    if kept is None:
        result = load_demo()
        _demo_rows[backend] = (result, {t.name: [dict(r._mapping) for r in db.session.execute(t.select())] for t in tables})
        return result
    result, rows = kept
    for table in tables:
        # The page cache's catalogue version is written by the triggers of the rows written back.
        if rows[table.name] and table.name != "page_versions":
            db.session.execute(table.insert(), rows[table.name])
    if backend == "postgresql":
        _sequences_after_the_rows(tables)
    db.session.commit()
    return result


_demo_rows: dict = {}


def _any_rows(tables) -> bool:
    return bool(db.session.scalar(text(" OR ".join(f'EXISTS (SELECT 1 FROM "{t.name}")' for t in tables).join(("SELECT ", "")))))


def _sequences_after_the_rows(tables):
    """Rows written back with their ids leave each id sequence where it was: move it past them."""
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (column.autoincrement == "auto" and column.type.python_type is int
                                                and len(table.primary_key.columns) == 1):
                db.session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{column.name}'), "
                    f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false) '
                    f"WHERE pg_get_serial_sequence('\"{table.name}\"', '{column.name}') IS NOT NULL"))


def pg_admin_engine():
    """A connection to the PostgreSQL server for creating and dropping scratch databases."""
    return create_engine(normalise_database_url(SHARED_PG_URL), isolation_level="AUTOCOMMIT")
