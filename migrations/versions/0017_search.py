"""search indexes: full-text with weights and trigrams (PostgreSQL), an FTS5 trigram table (SQLite)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 03:10:00

PostgreSQL: pg_trgm; `products.search_document`, a stored generated column of the product's
weighted text (name A; summary and ingredients B; description C; how to use and cautions D),
with a GIN index, so full-text search and its ranking read it instead of working it out per
row (shop/catalog/search_index.py); and a GIN trigram index on the name, summary and
ingredients, for words typed with a slip (the very expression the queries use). The column is
not in the models: the database fills it, the shop only reads it in search.

SQLite: product_search, an FTS5 table with the trigram tokenizer over the six text columns,
filled from the products already there and kept equal to `products` by three triggers.

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(summary, '') || ' ' || coalesce(ingredients, '')), 'B')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'C')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(how_to_use, '') || ' ' || coalesce(cautions, '')), 'D')"
)
FUZZY_TEXT = "lower(coalesce(name, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(ingredients, ''))"
COLUMNS = "name, summary, ingredients, description, how_to_use, cautions"
NEW = "new.name, new.summary, new.ingredients, new.description, new.how_to_use, new.cautions"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(f"ALTER TABLE products ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED")
        op.execute("CREATE INDEX ix_products_search_document ON products USING gin (search_document)")
        op.execute(f"CREATE INDEX ix_products_search_trigrams ON products USING gin (({FUZZY_TEXT}) gin_trgm_ops)")
        return
    op.execute(f"CREATE VIRTUAL TABLE product_search USING fts5({COLUMNS}, tokenize='trigram')")
    op.execute(f"INSERT INTO product_search(rowid, {COLUMNS}) SELECT id, {COLUMNS} FROM products")
    op.execute(f"CREATE TRIGGER product_search_insert AFTER INSERT ON products BEGIN"
               f" INSERT INTO product_search(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END")
    op.execute(f"CREATE TRIGGER product_search_update AFTER UPDATE OF {COLUMNS} ON products BEGIN"
               f" DELETE FROM product_search WHERE rowid = old.id;"
               f" INSERT INTO product_search(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END")
    op.execute("CREATE TRIGGER product_search_delete AFTER DELETE ON products BEGIN"
               " DELETE FROM product_search WHERE rowid = old.id; END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_products_search_trigrams")
        op.execute("DROP INDEX IF EXISTS ix_products_search_document")
        op.execute("ALTER TABLE products DROP COLUMN IF EXISTS search_document")
        return  # pg_trgm stays: other objects of the database may use it
    for trigger in ("product_search_insert", "product_search_update", "product_search_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS product_search")
