"""page_versions['search']: moved by any change to what a search reads beyond the catalogue version

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-04 18:50:00

A search's filter counts and its best-match page ids are remembered per app process under the
catalogue and search versions (shop/catalog/services.py _filter_counts and _best_matches). The catalogue version covers products
added, removed, (un)published, moved, and their flags; this one covers a product's text and a size's
SKU, amount and unit, which searches match. The same SQL as shop/page_cache/versions.py writes for
create_all (tests/integration/test_migrations.py compares them).
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

SEARCHED = {"products": ("name", "summary", "description", "how_to_use", "ingredients", "cautions"),
            "variants": ("sku", "amount", "unit")}
BUMP_SQLITE = ("INSERT OR IGNORE INTO page_versions (name, version) VALUES ('search', 0);"
               " UPDATE page_versions SET version = version + 1 WHERE name = 'search';")
BUMP_POSTGRESQL = (
    "CREATE OR REPLACE FUNCTION page_version_bump_search() RETURNS trigger LANGUAGE plpgsql AS"
    " $$ BEGIN IF current_setting('shop.search_version_moved', true) IS DISTINCT FROM 'yes' THEN"
    " INSERT INTO page_versions (name, version) VALUES ('search', 1)"
    " ON CONFLICT (name) DO UPDATE SET version = page_versions.version + 1;"
    " PERFORM set_config('shop.search_version_moved', 'yes', true); END IF; RETURN NULL; END $$"
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(BUMP_POSTGRESQL)
        for table, columns in SEARCHED.items():
            op.execute(f"CREATE TRIGGER page_version_search AFTER UPDATE OF {', '.join(columns)} ON {table}"
                       " FOR EACH STATEMENT EXECUTE FUNCTION page_version_bump_search()")
    else:
        for table, columns in SEARCHED.items():
            op.execute(f"CREATE TRIGGER page_version_search_{table} AFTER UPDATE OF {', '.join(columns)} ON {table} BEGIN"
                       f" {BUMP_SQLITE} END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in SEARCHED:
            op.execute(f"DROP TRIGGER IF EXISTS page_version_search ON {table}")
        op.execute("DROP FUNCTION IF EXISTS page_version_bump_search()")
    else:
        for table in SEARCHED:
            op.execute(f"DROP TRIGGER IF EXISTS page_version_search_{table}")
    op.execute("DELETE FROM page_versions WHERE name = 'search'")
