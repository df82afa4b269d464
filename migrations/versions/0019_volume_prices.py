"""trade volume prices (price breaks) per size, case quantities, and the break an order line was sold at

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-09 10:00:00

Every size existing today is sold singly (case_quantity 1) and has no breaks, so nothing anyone pays
changes with this migration. A break stores exact pence per unit (shop/catalog/models.py PriceBreak).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_quantity', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_check_constraint('case_quantity_positive', 'case_quantity >= 1')

    op.create_table('price_breaks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('min_quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_pence', sa.Integer(), nullable=False),
    sa.CheckConstraint('min_quantity >= 2', name=op.f('ck_price_breaks_min_quantity_above_one')),
    sa.CheckConstraint('unit_price_pence > 0', name=op.f('ck_price_breaks_price_positive')),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_price_breaks_variant_id_variants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_breaks')),
    sa.UniqueConstraint('variant_id', 'min_quantity', name='uq_price_breaks_variant_quantity')
    )

    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('volume_min_quantity', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_column('volume_min_quantity')
    op.drop_table('price_breaks')
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.drop_constraint('ck_variants_case_quantity_positive', type_='check')
        batch_op.drop_column('case_quantity')
