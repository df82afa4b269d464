"""Data versions for the page cache, kept by the database itself.

A cached page is found by a key holding the versions of what it shows, so a change can only ever
be seen if the version moves in the same transaction as the data. The shop's own code could bump
them, but then a change made outside it (a migration, an operator's SQL, a later service someone
forgets) would leave a page pinned stale for ever, as there is no TTL. So triggers keep them, on
every table a catalogue page reads, on SQLite and on PostgreSQL alike:

- `products.version`: +1 on any change to the product row;
- `variants.version`: +1 on any change to the size row (price, trade price, stock on hand, low
  stock threshold, ...) and on any change to one of its lots (received, sold from, expired,
  short-dated, quarantined, recalled, re-dated), as the product page says which lot ships next,
  and on any change to its trade volume prices (price_breaks);
- `page_versions['catalogue']`: +1 on any change to categories, flags, guides, the links of
  products to flags and guides, the delivery settings, a size added or removed, and a product
  added, removed, published or unpublished, moved to another category or use, featured or not:
  what every listing's filter counts, the navigation, the home page and the guides show.

- `page_versions['search']`: +1 on any change to what a search reads beyond that: a product's text
  (name, summary, description, how to use, ingredients, cautions) and a size's SKU, amount or unit.
  Searches are never cached as pages, but what they count and rank is remembered under it.

No trigger ever writes the product row for a change elsewhere: a sale touches only its size's row
(already locked by the ledger), so checkouts of different sizes never queue on their product, and
loading thousands of sizes does not rewrite thousands of products (with their search document).

A product's page version is (catalogue version, products.version, sum of its sizes' versions):
while the catalogue version stands, no size is added or removed, so only size updates happen, each
adding 1 to the sum; every part only grows, so the triple never repeats an earlier state.

The migration (0020_page_versions.py) writes the same SQL; `create_all` (the tests' schema) builds
it through the events below, and tests/integration/test_migrations.py checks they agree. A later
SQLite migration that rebuilds one of these tables (batch "move and copy") drops its triggers: it
must create them again from here.
"""
from functools import lru_cache

from flask import current_app
from sqlalchemy import event, func, select

from shop.catalog.models import Product, Variant
from shop.extensions import db
from shop.page_cache.models import PageVersion

CATALOGUE = "catalogue"
# Tables whose every change is catalogue-wide (names, navigation, counts, guides, delivery).
CATALOGUE_TABLES = ("categories", "flags", "guides", "product_flags", "product_guides",
                    "delivery_zones", "delivery_zone_postcodes", "delivery_methods", "delivery_rates")
# A product's columns that decide which listings it is on and what their filters count.
LISTED_BY = ("published", "category_id", "for_home_care", "for_practice", "featured")
# A size added or removed (not updated: every sale updates one) is catalogue-wide too.
SIZES_ADDED_OR_REMOVED = ("variants",)
# Rows that belong to one size and show on its page: its lots, its trade volume prices.
SIZE_PARTS = ("lots", "price_breaks")
SEARCH = "search"
# What a search matches and ranks besides what the catalogue version covers (shop/catalog/search.py).
SEARCHED = {"products": ("name", "summary", "description", "how_to_use", "ingredients", "cautions"),
            "variants": ("sku", "amount", "unit")}

_BUMP_CATALOGUE_SQLITE = (f"INSERT OR IGNORE INTO page_versions (name, version) VALUES ('{CATALOGUE}', 0);"
                          f" UPDATE page_versions SET version = version + 1 WHERE name = '{CATALOGUE}';")
_BUMP_SEARCH_SQLITE = _BUMP_CATALOGUE_SQLITE.replace(f"'{CATALOGUE}'", f"'{SEARCH}'")


def _sqlite_ddl() -> list[str]:
    ddl = [
        # A row's own version: +1 unless the statement set it (a trigger below, or this one's own update).
        "CREATE TRIGGER page_version_products AFTER UPDATE ON products WHEN new.version = old.version BEGIN"
        " UPDATE products SET version = old.version + 1 WHERE id = new.id; END",
        "CREATE TRIGGER page_version_variants AFTER UPDATE ON variants WHEN new.version = old.version BEGIN"
        " UPDATE variants SET version = old.version + 1 WHERE id = new.id; END",
    ]
    for table in SIZES_ADDED_OR_REMOVED:
        for when in ("INSERT", "DELETE"):
            ddl.append(f"CREATE TRIGGER page_version_catalogue_{table}_{when.lower()} AFTER {when} ON {table} BEGIN"
                       f" {_BUMP_CATALOGUE_SQLITE} END")
    for table in SIZE_PARTS:
        for when, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")):
            ddl.append(f"CREATE TRIGGER page_version_{table}_{when.lower()} AFTER {when} ON {table} BEGIN"
                       f" UPDATE variants SET version = version + 1 WHERE id = {row}.variant_id; END")
    for table in CATALOGUE_TABLES:
        for when in ("INSERT", "UPDATE", "DELETE"):
            ddl.append(f"CREATE TRIGGER page_version_catalogue_{table}_{when.lower()} AFTER {when} ON {table} BEGIN"
                       f" {_BUMP_CATALOGUE_SQLITE} END")
    for when in ("INSERT", f"UPDATE OF {', '.join(LISTED_BY)}", "DELETE"):
        name = when.split()[0].lower()
        ddl.append(f"CREATE TRIGGER page_version_catalogue_products_{name} AFTER {when} ON products BEGIN"
                   f" {_BUMP_CATALOGUE_SQLITE} END")
    for table, columns in SEARCHED.items():
        ddl.append(f"CREATE TRIGGER page_version_search_{table} AFTER UPDATE OF {', '.join(columns)} ON {table} BEGIN"
                   f" {_BUMP_SEARCH_SQLITE} END")
    return ddl


def _bump_once_per_transaction(name: str) -> str:
    """The function moving page_versions[name]: once per transaction is enough (nobody sees the row
    before it commits), and every further update of that one row would add a row version the next
    must step over: loading 30,000 sizes statement by statement took seconds. The mark is rolled
    back with a savepoint."""
    return (f"CREATE OR REPLACE FUNCTION page_version_bump_{name}() RETURNS trigger LANGUAGE plpgsql AS"
            f" $$ BEGIN IF current_setting('shop.{name}_version_moved', true) IS DISTINCT FROM 'yes' THEN"
            f" INSERT INTO page_versions (name, version) VALUES ('{name}', 1)"
            " ON CONFLICT (name) DO UPDATE SET version = page_versions.version + 1;"
            f" PERFORM set_config('shop.{name}_version_moved', 'yes', true); END IF; RETURN NULL; END $$")


def _postgresql_ddl() -> list[str]:
    ddl = [
        "CREATE OR REPLACE FUNCTION page_version_bump_row() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN NEW.version := OLD.version + 1; RETURN NEW; END $$",
        "CREATE OR REPLACE FUNCTION page_version_bump_variant() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN UPDATE variants SET version = version + 1"
        " WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.variant_id ELSE NEW.variant_id END; RETURN NULL; END $$",
        _bump_once_per_transaction(CATALOGUE),
        _bump_once_per_transaction(SEARCH),
        "CREATE TRIGGER page_version_products BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION page_version_bump_row()",
        "CREATE TRIGGER page_version_variants BEFORE UPDATE ON variants FOR EACH ROW EXECUTE FUNCTION page_version_bump_row()",
    ]
    for table in SIZE_PARTS:
        ddl.append(f"CREATE TRIGGER page_version_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}"
                   " FOR EACH ROW EXECUTE FUNCTION page_version_bump_variant()")
    for table in SIZES_ADDED_OR_REMOVED:
        ddl.append(f"CREATE TRIGGER page_version_catalogue AFTER INSERT OR DELETE ON {table}"
                   " FOR EACH STATEMENT EXECUTE FUNCTION page_version_bump_catalogue()")
    for table in CATALOGUE_TABLES:
        ddl.append(f"CREATE TRIGGER page_version_catalogue AFTER INSERT OR UPDATE OR DELETE ON {table}"
                   " FOR EACH STATEMENT EXECUTE FUNCTION page_version_bump_catalogue()")
    ddl.append("CREATE TRIGGER page_version_catalogue AFTER INSERT OR DELETE ON products"
               " FOR EACH STATEMENT EXECUTE FUNCTION page_version_bump_catalogue()")
    listed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in LISTED_BY)
    ddl.append(f"CREATE TRIGGER page_version_catalogue_listed AFTER UPDATE ON products FOR EACH ROW WHEN ({listed})"
               " EXECUTE FUNCTION page_version_bump_catalogue()")
    for table, columns in SEARCHED.items():
        ddl.append(f"CREATE TRIGGER page_version_search AFTER UPDATE OF {', '.join(columns)} ON {table}"
                   " FOR EACH STATEMENT EXECUTE FUNCTION page_version_bump_search()")
    return ddl


SQLITE_DDL = tuple(_sqlite_ddl())
POSTGRESQL_DDL = tuple(_postgresql_ddl())
VERSION_OBJECT_PREFIX = "page_version"


def is_version_object(name: str | None) -> bool:
    return bool(name) and name.startswith(VERSION_OBJECT_PREFIX)


# The triggers go on several tables: built once every table exists.
@event.listens_for(db.metadata, "after_create")
def _create_version_triggers(metadata, connection, **kw):
    for statement in {"postgresql": POSTGRESQL_DDL, "sqlite": SQLITE_DDL}.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


def catalogue_version():
    """The catalogue-wide version as a scalar subquery (0 before anything was ever changed)."""
    return _named_version(CATALOGUE)


def search_version():
    """The search version as a scalar subquery (0 before any text was ever changed)."""
    return _named_version(SEARCH)


def _named_version(name: str):
    return func.coalesce(
        select(PageVersion.version).where(PageVersion.name == name).scalar_subquery(), 0
    ).label(f"{name}_version")


def sizes_version():
    """Per product row: the sum of its sizes' versions (see the module's note on why the pair is exact)."""
    return (
        select(func.coalesce(func.sum(Variant.version), 0))
        .where(Variant.product_id == Product.id)
        .correlate(Product)
        .scalar_subquery()
        .label("sizes_version")
    )


def versions_statement(*where, chosen=None, order_by=()):
    """The versions of the products a page shows, in its order, to be read with read_versions: the
    products are picked by `where` or by joining `chosen` (a subquery with an `id` column). Built once
    per page kind, what varies a bound parameter: the reader compiles each statement object once.

    One narrow query, run before the page's own queries: data read after it can only be newer than
    the versions it read, never older, so no page is ever stored under a key newer than its data.
    """
    stmt = select(Product.id, Product.version, sizes_version(), catalogue_version())
    if chosen is not None:
        stmt = stmt.join(chosen, chosen.c.id == Product.id)
    return stmt.where(*where).order_by(*order_by)


def read_versions(statement, params=None) -> tuple:
    """(catalogue version, products) where products is ((id, version, sizes' version), ...)."""
    rows = read(statement, params)
    return (rows[0][-1] if rows else catalogue_only(), tuple(tuple(r[:-1]) for r in rows))


def catalogue_only() -> int:
    """The catalogue-wide version alone, for pages that show no product (the guides' index)."""
    return read(_catalogue_statement())[0][0]


@lru_cache(maxsize=None)
def _catalogue_statement():
    return select(catalogue_version())  # built once: the reader compiles each statement object once


def read(statement, params=None) -> list:
    """The rows of a versions query, by the page cache's reader (reader.py: one round trip on PostgreSQL)."""
    return current_app.extensions["page_cache"].reader.rows(statement, params)
