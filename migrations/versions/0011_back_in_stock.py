"""back_in_stock_requests: confirmed addresses waiting for a sold-out size

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('back_in_stock_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_back_in_stock_requests_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_back_in_stock_requests_variant_id_variants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_back_in_stock_requests')),
    sa.UniqueConstraint('variant_id', 'email', name='uq_back_in_stock_variant_email')
    )
    with op.batch_alter_table('back_in_stock_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_back_in_stock_requests_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_back_in_stock_requests_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('back_in_stock_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_back_in_stock_requests_user_id'))
        batch_op.drop_index(batch_op.f('ix_back_in_stock_requests_email'))
    op.drop_table('back_in_stock_requests')
