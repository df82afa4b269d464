"""care plan orders: the plan's title, practitioner, clinic, notes and guides kept with the order

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('order_plan_guides',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('guide_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['guide_id'], ['guides.id'], name=op.f('fk_order_plan_guides_guide_id_guides'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_plan_guides_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('order_id', 'guide_id', name=op.f('pk_order_plan_guides'))
    )
    with op.batch_alter_table('order_plan_guides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_plan_guides_guide_id'), ['guide_id'], unique=False)

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('care_plan_title', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('care_plan_practitioner', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('care_plan_clinic', sa.String(length=160), nullable=True))

    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_note', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_column('plan_note')

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('care_plan_clinic')
        batch_op.drop_column('care_plan_practitioner')
        batch_op.drop_column('care_plan_title')

    with op.batch_alter_table('order_plan_guides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_plan_guides_guide_id'))
    op.drop_table('order_plan_guides')
