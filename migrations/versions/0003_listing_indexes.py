"""indexes for every filter and sort of the product listing and the home page

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:05:00.000000

The listing always filters on `published`; a category, a use (home care or practice) or
the home page's `featured` narrow it further, then it sorts by name or newest first. Each
of those gets a composite index that answers the filter and hands rows back already in
order, so a page of 12 out of 10,000 products reads a few index entries instead of
sorting the table. The category index starts with `category_id`, so it also serves the
foreign key and replaces the single-column `ix_products_category_id`.

Already indexed in 0001: published + name, published + created_at (the unfiltered sorts),
product_flags by product and by flag (the suitable/avoid filters), and variants by product
and price (the price sorts, which take each product's cheapest size, and the card sizes).
The search (`q`) is a substring match over four text columns: no B-tree index can serve it.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index('ix_products_category_published_name', ['category_id', 'published', 'name'], unique=False)
        batch_op.create_index('ix_products_category_published_created', ['category_id', 'published', 'created_at'], unique=False)
        batch_op.create_index('ix_products_home_care_name', ['published', 'for_home_care', 'name'], unique=False)
        batch_op.create_index('ix_products_practice_name', ['published', 'for_practice', 'name'], unique=False)
        batch_op.create_index('ix_products_featured_name', ['published', 'featured', 'name'], unique=False)
        batch_op.drop_index('ix_products_category_id')


def downgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index('ix_products_category_id', ['category_id'], unique=False)
        batch_op.drop_index('ix_products_featured_name')
        batch_op.drop_index('ix_products_practice_name')
        batch_op.drop_index('ix_products_home_care_name')
        batch_op.drop_index('ix_products_category_published_created')
        batch_op.drop_index('ix_products_category_published_name')
