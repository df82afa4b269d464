"""page versions: products.version, variants.version, page_versions, and the triggers that move them

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 10:00:00

The page cache keys each catalogue page by the versions of what it shows; the database moves them
in the same transaction as the data, so a change made by any code, a migration or an operator's
SQL shows on the next request (shop/page_cache/versions.py explains which triggers move what;
this is a copy of its SQL, as a migration must not change when the code does).

SQLite: the columns are added with ALTER TABLE (no batch rebuild, which would drop the search
triggers of `products`).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

CATALOGUE_TABLES = ("categories", "flags", "guides", "product_flags", "product_guides",
                    "delivery_zones", "delivery_zone_postcodes", "delivery_methods", "delivery_rates")
LISTED_BY = ("published", "category_id", "for_home_care", "for_practice", "featured")
SIZES_ADDED_OR_REMOVED = ("variants",)
# Rows that belong to one size and show on its page: its lots, its trade volume prices.
SIZE_PARTS = ("lots", "price_breaks")
BUMP_CATALOGUE_SQLITE = ("INSERT OR IGNORE INTO page_versions (name, version) VALUES ('catalogue', 0);"
                         " UPDATE page_versions SET version = version + 1 WHERE name = 'catalogue';")


def sqlite_ddl() -> list[str]:
    ddl = [
        "CREATE TRIGGER page_version_products AFTER UPDATE ON products WHEN new.version = old.version BEGIN"
        " UPDATE products SET version = old.version + 1 WHERE id = new.id; END",
        "CREATE TRIGGER page_version_variants AFTER UPDATE ON variants WHEN new.version = old.version BEGIN"
        " UPDATE variants SET version = old.version + 1 WHERE id = new.id; END",
    ]
    for table in SIZES_ADDED_OR_REMOVED:
        for when in ("INSERT", "DELETE"):
            ddl.append(f"CREATE TRIGGER page_version_catalogue_{table}_{when.lower()} AFTER {when} ON {table} BEGIN"
                       f" {BUMP_CATALOGUE_SQLITE} END")
    for table in SIZE_PARTS:
        for when, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")):
            ddl.append(f"CREATE TRIGGER page_version_{table}_{when.lower()} AFTER {when} ON {table} BEGIN"
                       f" UPDATE variants SET version = version + 1 WHERE id = {row}.variant_id; END")
    for table in CATALOGUE_TABLES:
        for when in ("INSERT", "UPDATE", "DELETE"):
            ddl.append(f"CREATE TRIGGER page_version_catalogue_{table}_{when.lower()} AFTER {when} ON {table} BEGIN"
                       f" {BUMP_CATALOGUE_SQLITE} END")
    for when in ("INSERT", f"UPDATE OF {', '.join(LISTED_BY)}", "DELETE"):
        ddl.append(f"CREATE TRIGGER page_version_catalogue_products_{when.split()[0].lower()} AFTER {when} ON products"
                   f" BEGIN {BUMP_CATALOGUE_SQLITE} END")
    return ddl


def postgresql_ddl() -> list[str]:
    ddl = [
        "CREATE OR REPLACE FUNCTION page_version_bump_row() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN NEW.version := OLD.version + 1; RETURN NEW; END $$",
        "CREATE OR REPLACE FUNCTION page_version_bump_variant() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN UPDATE variants SET version = version + 1"
        " WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.variant_id ELSE NEW.variant_id END; RETURN NULL; END $$",
        # Once per transaction is enough (nobody sees the row before it commits), and every further
        # update of that one row would add a row version the next must step over: loading 30,000
        # sizes statement by statement took seconds. The mark is rolled back with a savepoint.
        "CREATE OR REPLACE FUNCTION page_version_bump_catalogue() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN IF current_setting('shop.catalogue_version_moved', true) IS DISTINCT FROM 'yes' THEN"
        " INSERT INTO page_versions (name, version) VALUES ('catalogue', 1)"
        " ON CONFLICT (name) DO UPDATE SET version = page_versions.version + 1;"
        " PERFORM set_config('shop.catalogue_version_moved', 'yes', true); END IF; RETURN NULL; END $$",
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
    return ddl


def upgrade():
    op.add_column("products", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.add_column("variants", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "page_versions",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_page_versions")),
    )
    for statement in postgresql_ddl() if op.get_bind().dialect.name == "postgresql" else sqlite_ddl():
        op.execute(statement)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in ("products", "variants", *SIZE_PARTS, *CATALOGUE_TABLES):
            for name in ("page_version_products", "page_version_variants", "page_version_lots", "page_version_price_breaks",
                         "page_version_catalogue", "page_version_catalogue_listed"):
                op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for function in ("page_version_bump_row", "page_version_bump_variant",
                         "page_version_bump_catalogue"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for (name,) in bind.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'page_version%'").all():
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("page_versions")
    with op.batch_alter_table("variants") as batch:
        batch.drop_column("version")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("version")
