"""`flask db upgrade` builds the whole schema from empty, on SQLite and on PostgreSQL."""
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from shop import create_app
from shop.catalog.search_index import is_search_object
from shop.config import TestConfig, normalise_database_url
from shop.extensions import db
from tests.conftest import PG_URL, pg_admin_engine

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def scratch_database(backend, tmp_path, name="fresh"):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / f'{name}.db'}"
        return
    name = f"shop_upgrade_{uuid.uuid4().hex[:10]}"
    admin = pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = normalise_database_url(PG_URL).rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite"] + (["postgresql"] if PG_URL else []))
def empty_database(request, tmp_path):
    with scratch_database(request.param, tmp_path) as url:
        yield url


def _not_search_objects(name, type_, parent_names):
    # The search indexes, FTS5 table and triggers are each backend's own (shop/catalog/search_index.py):
    # not in the models, so compared on their own below.
    return not is_search_object(name)


def search_objects(conn) -> dict[str, str]:
    """Each search object of the database by name, with its definition."""
    if conn.dialect.name == "postgresql":
        rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'products'")).all()
        rows += conn.execute(text("SELECT extname, 'extension' FROM pg_extension WHERE extname = 'pg_trgm'")).all()
        rows += conn.execute(text("SELECT column_name, data_type || ' ' || generation_expression FROM information_schema.columns"
                                  " WHERE table_name = 'products' AND is_generated = 'ALWAYS'")).all()
    else:
        rows = conn.execute(text("SELECT name, type || ': ' || coalesce(sql, '') FROM sqlite_master")).all()
    return {name: " ".join(sql.split()) for name, sql in rows if is_search_object(name) or name == "pg_trgm"}


def flask(*args, database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url, "SHOP_INSTANCE_PATH": str(tmp_path / "instance")}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_db_upgrade_from_empty_builds_the_schema_the_models_describe(empty_database, tmp_path):
    # The models register on db.metadata when an app is built; this test builds none of its own, so
    # without this it compared against an empty metadata whenever it ran first in its process.
    create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    result = flask("db", "upgrade", database_url=empty_database, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    engine = create_engine(normalise_database_url(empty_database))
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            assert {"products", "variants", "categories", "flags", "guides", "product_guides", "users"} <= tables
            diff = compare_metadata(MigrationContext.configure(conn, opts={"include_name": _not_search_objects}), db.metadata)
            migrated_search = search_objects(conn)
        assert diff == [], f"the models and the migrations disagree: {diff}"
    finally:
        engine.dispose()
    # The schema the tests build (create_all) has the very search objects the migration makes.
    backend = engine.dialect.name
    assert len(migrated_search) == (4 if backend == "postgresql" else 9), migrated_search
    with scratch_database(backend, tmp_path, "built") as url:
        built = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
        with built.app_context():
            db.create_all()
            with db.engine.connect() as conn:
                assert search_objects(conn) == migrated_search
            db.engine.dispose()


def test_make_run_steps_migrate_then_seed_once_and_keep_data(empty_database, tmp_path):
    assert flask("db", "upgrade", database_url=empty_database, tmp_path=tmp_path).returncode == 0
    first = flask("shop", "seed-demo", database_url=empty_database, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Loaded 32 products" in first.stdout
    again = flask("db", "upgrade", database_url=empty_database, tmp_path=tmp_path)
    assert again.returncode == 0
    second = flask("shop", "seed-demo", database_url=empty_database, tmp_path=tmp_path)
    assert "nothing loaded" in second.stdout
