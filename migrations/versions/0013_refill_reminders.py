"""refill_reminder_choices (who opted in) and refill_reminders (one per product and due date)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 23:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('refill_reminder_choices',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('opted_in_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_refill_reminder_choices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_refill_reminder_choices'))
    )
    op.create_table('refill_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_refill_reminders_product_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_refill_reminders_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refill_reminders')),
    sa.UniqueConstraint('user_id', 'product_id', 'due_on', name='uq_refill_reminder_user_product_due')
    )
    with op.batch_alter_table('refill_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refill_reminders_product_id'), ['product_id'], unique=False)


def downgrade():
    with op.batch_alter_table('refill_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refill_reminders_product_id'))
    op.drop_table('refill_reminders')
    op.drop_table('refill_reminder_choices')
