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
        rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('products', 'product_search_words')")).all()
        rows += conn.execute(text("SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname LIKE 'product_search%'")).all()
        rows += conn.execute(text("SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'product_search%'")).all()
        rows += conn.execute(text("SELECT extname, 'extension' FROM pg_extension WHERE extname = 'pg_trgm'")).all()
        rows += conn.execute(text("SELECT column_name, data_type || ' ' || generation_expression FROM information_schema.columns"
                                  " WHERE table_name = 'products' AND is_generated = 'ALWAYS'")).all()
    else:
        rows = conn.execute(text("SELECT name, type || ': ' || coalesce(sql, '') FROM sqlite_master")).all()
    return {name: " ".join(sql.split()) for name, sql in rows if is_search_object(name) or name == "pg_trgm"}


def version_objects(conn) -> dict[str, str]:
    """The page cache's version triggers (and, on PostgreSQL, their functions) by name, with their definitions."""
    if conn.dialect.name == "postgresql":
        rows = conn.execute(text("SELECT tgrelid::regclass::text || '.' || tgname, pg_get_triggerdef(oid) FROM pg_trigger"
                                 " WHERE NOT tgisinternal AND tgname LIKE 'page_version%'")).all()
        rows += conn.execute(text("SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'page_version%'")).all()
    else:
        rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'page_version%'")).all()
    return {name: " ".join(sql.split()) for name, sql in rows}


def from_price_objects(conn) -> dict[str, str]:
    """The triggers (and, on PostgreSQL, the function) keeping products.from_price_pence, with their definitions."""
    if conn.dialect.name == "postgresql":
        rows = conn.execute(text("SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname LIKE 'product_from_price%'")).all()
        rows += conn.execute(text("SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'product_from_price%'")).all()
    else:
        rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'product_from_price%'")).all()
    return {name: " ".join(sql.split()) for name, sql in rows}


def flask(*args, database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url, "SHOP_INSTANCE_PATH": str(tmp_path / "instance")}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.long
def test_db_upgrade_from_empty_builds_the_schema_the_models_describe(empty_database, tmp_path):
    """Upgrading in two steps, with a shop from before lots in between: the schema ends as the models say,
    and that shop keeps every unit, in one OPENING-<date> lot per size with stock, expiry not recorded."""
    # The models register on db.metadata when an app is built; this test builds none of its own, so
    # without this it compared against an empty metadata whenever it ran first in its process.
    create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    result = flask("db", "upgrade", "0014", database_url=empty_database, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    engine = create_engine(normalise_database_url(empty_database))
    try:
        _a_shop_from_before_lots(engine)
        result = flask("db", "upgrade", database_url=empty_database, tmp_path=tmp_path)
        assert result.returncode == 0, result.stderr
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            assert {"products", "variants", "categories", "flags", "guides", "product_guides", "users", "lots"} <= tables
            diff = compare_metadata(MigrationContext.configure(conn, opts={"include_name": _not_search_objects}), db.metadata)
            migrated_search = search_objects(conn)
            migrated_versions = version_objects(conn)
            migrated_from_price = from_price_objects(conn)
            # The shop from before the column has its cheapest price filled in (500 pence, both sizes).
            assert conn.execute(text("SELECT from_price_pence FROM products WHERE id = 1")).scalar() == 500
            lots = conn.execute(text("SELECT variant_id, code, expires_on, pao_months, on_hand, quantity_received, status "
                                     "FROM lots")).all()
            [(variant_id, code, expires, pao, on_hand, received, status)] = lots  # none for the size with no stock
            assert (variant_id, expires, pao, on_hand, received, status) == (1, None, None, 7, 7, "sellable")
            assert code.startswith("OPENING-20")
            assert conn.execute(text("SELECT stock_on_hand FROM variants WHERE id = 1")).scalar() == 7
            sums = conn.execute(text("SELECT SUM(delta), SUM(lot_delta) FROM stock_movements WHERE variant_id = 1")).one()
            assert tuple(sums) == (7, 7)  # per size and per lot, the ledger still adds up
            if conn.dialect.name == "postgresql":  # search's words of the products already there
                assert conn.execute(text("SELECT word FROM product_search_words")).scalars().all() == ["oil"]
        assert diff == [], f"the models and the migrations disagree: {diff}"
    finally:
        engine.dispose()
    # The schema the tests build (create_all) has the very search objects the migration makes.
    backend = engine.dialect.name
    assert len(migrated_search) == (8 if backend == "postgresql" else 9), migrated_search
    assert len(migrated_versions) == (22 if backend == "postgresql" else 42), migrated_versions
    assert len(migrated_from_price) == 3, migrated_from_price
    with scratch_database(backend, tmp_path, "built") as url:
        built = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
        with built.app_context():
            db.create_all()
            with db.engine.connect() as conn:
                assert search_objects(conn) == migrated_search
                assert version_objects(conn) == migrated_versions
                assert from_price_objects(conn) == migrated_from_price
            db.engine.dispose()


def _a_shop_from_before_lots(engine):
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO categories (id, slug, name, description, position) VALUES (1, 'oils', 'Oils', '', 0)"))
        conn.execute(text(
            "INSERT INTO products (id, slug, name, category_id, summary, description, how_to_use, ingredients, cautions, "
            "for_home_care, for_practice, featured, published, container, colour, tint, image_filename, created_at) "
            "VALUES (1, 'oil', 'Oil', 1, '', '', '', '', '', true, false, false, true, 'bottle', '#000000', '#ffffff', '', "
            "CURRENT_TIMESTAMP)"))
        for vid, sku, stock in ((1, 'OIL-100', 7), (2, 'OIL-1L', 0)):
            conn.execute(text(
                "INSERT INTO variants (id, product_id, sku, size_label, amount, unit, price_pence, stock_on_hand, "
                "low_stock_threshold, is_professional) VALUES (:id, 1, :sku, 'x', 100, 'ml', 500, :stock, 2, false)"),
                {"id": vid, "sku": sku, "stock": stock})
        conn.execute(text("INSERT INTO stock_movements (variant_id, delta, stock_after, reason, note, created_at) "
                          "VALUES (1, 7, 7, 'initial', '', CURRENT_TIMESTAMP)"))


def test_make_run_steps_migrate_then_seed_once_and_keep_data(empty_database, tmp_path):
    assert flask("db", "upgrade", database_url=empty_database, tmp_path=tmp_path).returncode == 0
    first = flask("shop", "seed-demo", database_url=empty_database, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Loaded 32 products" in first.stdout
    again = flask("db", "upgrade", database_url=empty_database, tmp_path=tmp_path)
    assert again.returncode == 0
    second = flask("shop", "seed-demo", database_url=empty_database, tmp_path=tmp_path)
    assert "nothing loaded" in second.stdout
