"""clinics and their members

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 12:45:00

Every trade account that has been approved (including those suspended since) gets its clinic, with
its applicant as owner, as an approval now opens one.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('clinics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trade_account_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['trade_account_id'], ['trade_accounts.id'], name=op.f('fk_clinics_trade_account_id_trade_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinics')),
    sa.UniqueConstraint('trade_account_id', name=op.f('uq_clinics_trade_account_id'))
    )
    op.create_table('clinic_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('owner', 'buyer')", name=op.f('ck_clinic_members_role')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_clinic_members_clinic_id_clinics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_clinic_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinic_members')),
    sa.UniqueConstraint('user_id', name=op.f('uq_clinic_members_user_id'))
    )
    with op.batch_alter_table('clinic_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clinic_members_clinic_id'), ['clinic_id'], unique=False)

    op.execute(
        "INSERT INTO clinics (trade_account_id, name, created_at) "
        "SELECT id, clinic_name, COALESCE(decided_at, applied_at) FROM trade_accounts "
        "WHERE status IN ('approved', 'suspended') ORDER BY id"
    )
    op.execute(
        "INSERT INTO clinic_members (clinic_id, user_id, role, joined_at) "
        "SELECT clinics.id, trade_accounts.user_id, 'owner', clinics.created_at "
        "FROM clinics JOIN trade_accounts ON trade_accounts.id = clinics.trade_account_id ORDER BY clinics.id"
    )


def downgrade():
    with op.batch_alter_table('clinic_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clinic_members_clinic_id'))
    op.drop_table('clinic_members')
    op.drop_table('clinics')
