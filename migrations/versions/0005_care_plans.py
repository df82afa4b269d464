"""care plans: plans, their products and guides; orders credited to a plan; clinics' patient discount

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 11:24:03.748336

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('care_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('is_template', sa.Boolean(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('opened_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('opened_count >= 0', name=op.f('ck_care_plans_opened_not_negative')),
    sa.ForeignKeyConstraint(['practitioner_id'], ['users.id'], name=op.f('fk_care_plans_practitioner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_plans')),
    sa.UniqueConstraint('token', name=op.f('uq_care_plans_token'))
    )
    with op.batch_alter_table('care_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_plans_practitioner_id'), ['practitioner_id'], unique=False)

    op.create_table('care_plan_guides',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('guide_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['guide_id'], ['guides.id'], name=op.f('fk_care_plan_guides_guide_id_guides'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['care_plans.id'], name=op.f('fk_care_plan_guides_plan_id_care_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'guide_id', name=op.f('pk_care_plan_guides'))
    )
    op.create_table('care_plan_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_care_plan_items_quantity_positive')),
    sa.ForeignKeyConstraint(['plan_id'], ['care_plans.id'], name=op.f('fk_care_plan_items_plan_id_care_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_care_plan_items_variant_id_variants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_plan_items'))
    )
    with op.batch_alter_table('care_plan_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_plan_items_plan_id'), ['plan_id'], unique=False)

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('care_plan_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('discount_pence', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_check_constraint(op.f('ck_orders_discount_not_negative'), 'discount_pence >= 0')
        batch_op.create_index(batch_op.f('ix_orders_care_plan_id'), ['care_plan_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_orders_care_plan_id_care_plans'), 'care_plans', ['care_plan_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('trade_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('patient_discount_percent', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_check_constraint(op.f('ck_trade_accounts_patient_discount'),
                                         'patient_discount_percent >= 0 AND patient_discount_percent <= 50')



def downgrade():
    with op.batch_alter_table('trade_accounts', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_trade_accounts_patient_discount'), type_='check')
        batch_op.drop_column('patient_discount_percent')

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_orders_care_plan_id_care_plans'), type_='foreignkey')
        batch_op.drop_constraint(op.f('ck_orders_discount_not_negative'), type_='check')
        batch_op.drop_index(batch_op.f('ix_orders_care_plan_id'))
        batch_op.drop_column('discount_pence')
        batch_op.drop_column('care_plan_id')

    with op.batch_alter_table('care_plan_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_plan_items_plan_id'))

    op.drop_table('care_plan_items')
    op.drop_table('care_plan_guides')
    with op.batch_alter_table('care_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_plans_practitioner_id'))

    op.drop_table('care_plans')
