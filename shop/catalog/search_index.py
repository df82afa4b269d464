"""The database objects search reads, outside the models because each backend has its own.

PostgreSQL: a generated column `search_document` holding the weighted text of a product (name A;
summary and ingredients B; description C; how to use and cautions D) with a GIN index for
full-text search; and `product_search_words`, every word of the names, summaries and ingredients
(kept by a trigger; a word is never taken out, as a word no product has any more matches nothing),
with a trigram index (pg_trgm), for words typed with a slip: "arnika" is looked up there, a few
hundred short rows, and the full-text search then looks for "arnika" or "arnica". Comparing the
typed word with every product's text instead cost 30 µs a product (0.3 s at 10,000). SQLite: an FTS5
table with the trigram tokenizer (any three letters of any column, found by index), kept equal
to `products` by triggers, so no code path can forget it.

The migration (0017_search.py) writes the same SQL by hand; `create_all` (the tests' schema)
builds them through the event below; tests/integration/test_migrations.py checks both agree.

A later migration that rebuilds `products` on SQLite (batch "move and copy") drops its triggers
with the old table: it must create the three triggers again (copy them from 0017).
"""
import re
import sqlite3
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.engine import Engine

from shop.catalog.models import Product

# How alike a typed word and a word of the product must be (pg_trgm's word_similarity: the share
# of the typed word's trigrams found in the product's word). 0.5 takes "arnika" (0.57) for
# arnica; pg_trgm's default of 0.6 did not.
FUZZY_THRESHOLD = 0.5
FUZZY_MIN_LENGTH = 4  # shorter words match too much by trigrams ("oil" would find "soil")

# Written with a column prefix so queries (products.) and the index (none) share one text: the
# planner uses an expression index only for the very same expression.
_DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, coalesce({t}name, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, coalesce({t}summary, '') || ' ' || coalesce({t}ingredients, '')), 'B')"
    " || setweight(to_tsvector('english'::regconfig, coalesce({t}description, '')), 'C')"
    " || setweight(to_tsvector('english'::regconfig, coalesce({t}how_to_use, '') || ' ' || coalesce({t}cautions, '')), 'D')"
)
_FUZZY_TEXT = "lower(coalesce({t}name, '') || ' ' || coalesce({t}summary, '') || ' ' || coalesce({t}ingredients, ''))"
# What ranking reads: the name (A) and the summary and ingredients (B) alone. Ranking reads every
# match, and the whole document (with the description) is about three times as long: a search
# most products match ("massage", 8,751 of 10,000) spent 25 ms ranking it. A product found only by
# its description or its use and cautions ranks 0, so after every one found by name, summary or
# ingredients, in name order: the weights' order still holds, the finer ranking among those does not.
_RANKED = (
    "setweight(to_tsvector('english'::regconfig, coalesce({t}name, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, coalesce({t}summary, '') || ' ' || coalesce({t}ingredients, '')), 'B')"
)
# Stored, so ranking reads each product's weighted text instead of working it out per row
# (ranking 7,500 matches by an expression took a second); PostgreSQL keeps it up to date itself.
DOCUMENT_SQL = "products.search_document"
RANKED_SQL = "products.search_document_ranked"
FUZZY_TEXT_SQL = _FUZZY_TEXT.format(t="products.")

# The words a slip is corrected to (migration 0023 writes the same SQL by hand). Letters only (so a word can go into a tsquery as it is), three
# or more of them, from the same text the SQLite side compares a typed word with.
_COLLECT_WORDS = (
    "INSERT INTO product_search_words (word)"
    " SELECT DISTINCT w FROM {source}regexp_split_to_table({text}, '[^[:alpha:]]+') AS w WHERE length(w) >= 3"
    " ON CONFLICT (word) DO NOTHING"
)
# Not in the models: tests empty it with the tables that are; and not dropped with them, hence "if
# not exists" (the table) and "or replace" (the function the trigger, dropped with products, calls).
WORDS_TABLE = "product_search_words"
POSTGRESQL_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"ALTER TABLE products ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({_DOCUMENT.format(t='')}) STORED",
    "CREATE INDEX ix_products_search_document ON products USING gin (search_document)",
    f"ALTER TABLE products ADD COLUMN search_document_ranked tsvector GENERATED ALWAYS AS ({_RANKED.format(t='')}) STORED",
    "CREATE TABLE IF NOT EXISTS product_search_words (word text NOT NULL, CONSTRAINT product_search_words_pkey PRIMARY KEY (word))",
    "CREATE INDEX IF NOT EXISTS product_search_words_trigrams ON product_search_words USING gin (word gin_trgm_ops)",
    "CREATE OR REPLACE FUNCTION product_search_words_collect() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    + _COLLECT_WORDS.format(source="", text=_FUZZY_TEXT.format(t="NEW.")) + "; RETURN NULL; END $$",
    "CREATE TRIGGER product_search_words_kept AFTER INSERT OR UPDATE OF name, summary, ingredients ON products"
    " FOR EACH ROW EXECUTE FUNCTION product_search_words_collect()",
)


FTS_COLUMNS = ("name", "summary", "ingredients", "description", "how_to_use", "cautions")
_cols = ", ".join(FTS_COLUMNS)
_new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE product_search USING fts5({_cols}, tokenize='trigram')",
    f"CREATE TRIGGER product_search_insert AFTER INSERT ON products BEGIN"
    f" INSERT INTO product_search(rowid, {_cols}) VALUES (new.id, {_new}); END",
    f"CREATE TRIGGER product_search_update AFTER UPDATE OF {_cols} ON products BEGIN"
    f" DELETE FROM product_search WHERE rowid = old.id;"
    f" INSERT INTO product_search(rowid, {_cols}) VALUES (new.id, {_new}); END",
    "CREATE TRIGGER product_search_delete AFTER DELETE ON products BEGIN"
    " DELETE FROM product_search WHERE rowid = old.id; END",
)
# What the search objects are called, for tools comparing the schema with the models (the FTS5
# table brings shadow tables product_search_data, _idx, _content, _docsize, _config).
SEARCH_OBJECT_PREFIXES = ("product_search", "ix_products_search_", "search_document")


def is_search_object(name: str | None) -> bool:
    return bool(name) and name.startswith(SEARCH_OBJECT_PREFIXES)


@event.listens_for(Product.__table__, "after_create")
def _create_search_objects(table, connection, **kw):
    statements = {"postgresql": POSTGRESQL_DDL, "sqlite": SQLITE_DDL}.get(connection.dialect.name, ())
    for statement in statements:
        connection.exec_driver_sql(statement)


_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=8192)
def trigrams(word: str) -> frozenset[str]:
    """pg_trgm's trigrams of one word: lower case, two spaces before and one after."""
    padded = f"  {word.lower()} "
    return frozenset(padded[i:i + 3] for i in range(len(padded) - 2))


def word_similarity(typed: str, text: str) -> float:
    """For SQLite, pg_trgm's word_similarity near enough: per typed word, the largest share of its
    trigrams found in one word of `text`; the mean over the typed words. Called once per candidate
    row, so the trigrams of each word are worked out once (most words recur from row to row)."""
    typed_words = _WORD.findall((typed or "").lower())
    text_words = {trigrams(w) for w in _WORD.findall((text or "").lower())}
    if not typed_words or not text_words:
        return 0.0
    total = 0.0
    for word in typed_words:
        wanted = trigrams(word)
        total += max(len(wanted & found) for found in text_words) / len(wanted)
    return total / len(typed_words)


@event.listens_for(Engine, "connect")
def _prepare_connection(dbapi_connection, connection_record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("word_similarity", 2, word_similarity, deterministic=True)
    elif type(dbapi_connection).__module__.startswith("psycopg"):
        # The trigram operator `<%` reads its threshold from this setting (per connection, set
        # once when the pool opens it); set before pg_trgm loads, it is kept as its value.
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SELECT set_config('pg_trgm.word_similarity_threshold', '{FUZZY_THRESHOLD}', false)")
        dbapi_connection.commit()
