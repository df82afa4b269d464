"""`products.from_price_pence`: a product's cheapest retail price, kept by the database.

A listing sorted by price ordered every product it matched by the minimum of its sizes' prices,
worked out per row in a correlated subquery, so no index could give the order: at 10,000 products
`/products?sort=price` cost 25 ms in PostgreSQL on every request, cache hits included (a listing's
cache key is the ordered ids of its page). Kept in a column, an index reads a page in order.

Triggers on `variants` keep it, on SQLite and PostgreSQL alike, whoever writes (the shop, a CSV
import, a migration, an operator's SQL): a size added or removed, or its price or product changed.
A sale only changes stock, so it never writes the product row (checkouts of different sizes of one
product do not queue on it), and the product row is written only when its cheapest price moves.

Migration 0025 writes the same SQL; `create_all` builds it through the event below, and
tests/integration/test_migrations.py checks they agree.
"""
from sqlalchemy import event

from shop.extensions import db

OBJECT_PREFIX = "product_from_price"
_CHEAPEST = "(SELECT min(price_pence) FROM variants WHERE product_id = {id})"
_KEEP = "UPDATE products SET from_price_pence = {cheapest} WHERE id = {id} AND from_price_pence IS {distinct} {cheapest}"


def _keep(id_: str, dialect: str) -> str:
    distinct = "NOT" if dialect == "sqlite" else "DISTINCT FROM"
    keep = _KEEP.format(id=id_, cheapest=_CHEAPEST.format(id=id_), distinct=distinct)
    if dialect == "postgresql":
        # The product row first: two transactions changing sizes of one product take turns, and the
        # second's UPDATE (a new statement, so a new snapshot) sees the first's sizes once committed.
        keep = f"PERFORM 1 FROM products WHERE id = {id_} FOR UPDATE; {keep}"
    return keep


SQLITE_DDL = (
    f"CREATE TRIGGER {OBJECT_PREFIX}_insert AFTER INSERT ON variants BEGIN {_keep('new.product_id', 'sqlite')}; END",
    f"CREATE TRIGGER {OBJECT_PREFIX}_delete AFTER DELETE ON variants BEGIN {_keep('old.product_id', 'sqlite')}; END",
    f"CREATE TRIGGER {OBJECT_PREFIX}_update AFTER UPDATE OF price_pence, product_id ON variants"
    " WHEN new.price_pence IS NOT old.price_pence OR new.product_id IS NOT old.product_id BEGIN"
    f" {_keep('new.product_id', 'sqlite')}; {_keep('old.product_id', 'sqlite')}; END",
)
POSTGRESQL_DDL = (
    f"CREATE OR REPLACE FUNCTION {OBJECT_PREFIX}_keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    f" IF TG_OP <> 'DELETE' THEN {_keep('NEW.product_id', 'postgresql')}; END IF;"
    f" IF TG_OP <> 'INSERT' THEN {_keep('OLD.product_id', 'postgresql')}; END IF;"
    " RETURN NULL; END $$",
    f"CREATE TRIGGER {OBJECT_PREFIX}_kept AFTER INSERT OR DELETE ON variants"
    f" FOR EACH ROW EXECUTE FUNCTION {OBJECT_PREFIX}_keep()",
    f"CREATE TRIGGER {OBJECT_PREFIX}_moved AFTER UPDATE OF price_pence, product_id ON variants FOR EACH ROW"
    " WHEN (OLD.price_pence IS DISTINCT FROM NEW.price_pence OR OLD.product_id IS DISTINCT FROM NEW.product_id)"
    f" EXECUTE FUNCTION {OBJECT_PREFIX}_keep()",
)


# On variants, which are created after products: built once every table exists.
@event.listens_for(db.metadata, "after_create")
def _create_from_price_triggers(metadata, connection, **kw):
    for statement in {"postgresql": POSTGRESQL_DDL, "sqlite": SQLITE_DDL}.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)
