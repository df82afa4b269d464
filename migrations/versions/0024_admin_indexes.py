"""indexes for the back office's lists at 10,000 products: products by name, sizes by stock on hand

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 19:00:00

The product list (published or not) sorts by name then id, and the stock table's default sort is the
product's name: without an index on products.name both sorted the whole table for a page of 50.
The stock table's "on hand, lowest first" and "highest first" sorts each get an index in their exact
order (stock on hand, then SKU), so a page reads only its own rows. A partial index holds only the
sizes low or out of stock: the dashboard counts and lists those, and the table filters on "low", from
it alone, however many sizes are in stock.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

LOW_OR_OUT = "stock_on_hand <= low_stock_threshold"


def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index('ix_products_name_id', ['name', 'id'], unique=False)
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.create_index('ix_variants_on_hand_sku', ['stock_on_hand', 'sku'], unique=False)
        batch_op.create_index('ix_variants_on_hand_desc_sku', [sa.desc(sa.column('stock_on_hand')), 'sku'], unique=False)
        batch_op.create_index('ix_variants_low_on_hand_sku', ['stock_on_hand', 'sku'], unique=False,
                              postgresql_where=sa.text(LOW_OR_OUT), sqlite_where=sa.text(LOW_OR_OUT))


def downgrade():
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.drop_index('ix_variants_low_on_hand_sku')
        batch_op.drop_index('ix_variants_on_hand_desc_sku')
        batch_op.drop_index('ix_variants_on_hand_sku')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index('ix_products_name_id')
