"""search: typing slips corrected through a table of the catalogue's words (PostgreSQL)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 18:50:00

A word typed with a slip ("arnika") was compared with the name, summary and ingredients of every
product (pg_trgm's `<%`): the trigram index could not narrow a common word down, so each search
cost 0.3 s at 10,000 products. Now `product_search_words` holds each word of that text once (a
few hundred rows), kept by a trigger on products; the slip is looked up there and full-text search
does the rest with its own index (shop/catalog/search_index.py). The trigram index on products is
no longer read, and goes. SQLite is unchanged (FTS5 with trigrams).
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

FUZZY_TEXT = "lower(coalesce({t}name, '') || ' ' || coalesce({t}summary, '') || ' ' || coalesce({t}ingredients, ''))"
COLLECT = ("INSERT INTO product_search_words (word)"
           " SELECT DISTINCT w FROM {source}regexp_split_to_table({text}, '[^[:alpha:]]+') AS w WHERE length(w) >= 3"
           " ON CONFLICT (word) DO NOTHING")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_products_search_trigrams")
    op.execute("CREATE TABLE product_search_words (word text NOT NULL, CONSTRAINT product_search_words_pkey PRIMARY KEY (word))")
    op.execute("CREATE INDEX product_search_words_trigrams ON product_search_words USING gin (word gin_trgm_ops)")
    op.execute("CREATE FUNCTION product_search_words_collect() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               + COLLECT.format(source="", text=FUZZY_TEXT.format(t="NEW.")) + "; RETURN NULL; END $$")
    op.execute("CREATE TRIGGER product_search_words_kept AFTER INSERT OR UPDATE OF name, summary, ingredients ON products"
               " FOR EACH ROW EXECUTE FUNCTION product_search_words_collect()")
    op.execute(COLLECT.format(source="products, ", text=FUZZY_TEXT.format(t="products.")))


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS product_search_words_kept ON products")
    op.execute("DROP FUNCTION IF EXISTS product_search_words_collect()")
    op.execute("DROP TABLE IF EXISTS product_search_words")
    op.execute(f"CREATE INDEX ix_products_search_trigrams ON products USING gin (({FUZZY_TEXT.format(t='')}) gin_trgm_ops)")
