"""care_plan_alerts: a practitioner was told a size in a live plan is out of stock or withdrawn

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 23:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('care_plan_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('withdrawn', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['care_plans.id'], name=op.f('fk_care_plan_alerts_plan_id_care_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_care_plan_alerts_variant_id_variants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_plan_alerts')),
    sa.UniqueConstraint('plan_id', 'variant_id', name='uq_care_plan_alert_plan_variant')
    )
    with op.batch_alter_table('care_plan_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_plan_alerts_variant_id'), ['variant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('care_plan_alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_plan_alerts_variant_id'))
    op.drop_table('care_plan_alerts')
