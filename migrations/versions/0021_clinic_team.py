"""a clinic's team: invitations, monthly limits, spending approvals, sites, and shared orders and supplies

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 13:08:00.458466

An owner's trade orders become their clinic's (so the team sees them), and an owner's supplies list
becomes the clinic's list.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('clinic_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('site_name', sa.String(length=80), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('line1', sa.String(length=200), nullable=False),
    sa.Column('line2', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('postcode', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_clinic_addresses_clinic_id_clinics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinic_addresses'))
    )
    with op.batch_alter_table('clinic_addresses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clinic_addresses_clinic_id'), ['clinic_id'], unique=False)

    op.create_table('clinic_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("role IN ('owner', 'buyer')", name=op.f('ck_clinic_invitations_role')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_clinic_invitations_clinic_id_clinics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_clinic_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinic_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_clinic_invitations_token_hash'))
    )
    with op.batch_alter_table('clinic_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clinic_invitations_clinic_id'), ['clinic_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clinic_invitations_email'), ['email'], unique=False)

    op.create_table('spending_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('cart_json', sa.Text(), nullable=False),
    sa.Column('total_pence', sa.Integer(), nullable=False),
    sa.Column('spent_pence', sa.Integer(), nullable=False),
    sa.Column('limit_pence', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('waiting', 'approved', 'declined', 'withdrawn')", name=op.f('ck_spending_approvals_status')),
    sa.CheckConstraint('total_pence >= 0', name=op.f('ck_spending_approvals_total_not_negative')),
    sa.ForeignKeyConstraint(['buyer_id'], ['users.id'], name=op.f('fk_spending_approvals_buyer_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_spending_approvals_clinic_id_clinics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_spending_approvals_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_spending_approvals_order_id_orders'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spending_approvals'))
    )
    with op.batch_alter_table('spending_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spending_approvals_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_spending_approvals_clinic_id'), ['clinic_id'], unique=False)

    with op.batch_alter_table('clinic_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('monthly_limit_pence', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_clinic_members_limit_not_negative'),
                                         'monthly_limit_pence IS NULL OR monthly_limit_pence >= 0')

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clinic_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_orders_clinic_id'), ['clinic_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_orders_clinic_id_clinics'), 'clinics', ['clinic_id'], ['id'], ondelete='SET NULL')
    op.execute(
        "UPDATE orders SET clinic_id = (SELECT clinic_members.clinic_id FROM clinic_members "
        "WHERE clinic_members.user_id = orders.user_id AND clinic_members.role = 'owner') "
        "WHERE pricing = 'trade' AND user_id IS NOT NULL"
    )

    with op.batch_alter_table('supply_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clinic_id', sa.Integer(), nullable=True))
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_supply_items_clinic_id'), ['clinic_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_supply_items_clinic_id'), ['clinic_id', 'variant_id'])
        batch_op.create_foreign_key(batch_op.f('fk_supply_items_clinic_id_clinics'), 'clinics', ['clinic_id'], ['id'], ondelete='CASCADE')
    op.execute(
        "UPDATE supply_items SET clinic_id = (SELECT clinic_members.clinic_id FROM clinic_members "
        "WHERE clinic_members.user_id = supply_items.user_id AND clinic_members.role = 'owner'), user_id = NULL "
        "WHERE user_id IN (SELECT user_id FROM clinic_members WHERE role = 'owner')"
    )
    with op.batch_alter_table('supply_items', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_supply_items_one_list'), '(user_id IS NULL) <> (clinic_id IS NULL)')



def downgrade():
    # A clinic's list goes back to its (first) owner.
    op.execute(
        "UPDATE supply_items SET user_id = (SELECT MIN(clinic_members.user_id) FROM clinic_members "
        "WHERE clinic_members.clinic_id = supply_items.clinic_id AND clinic_members.role = 'owner') "
        "WHERE clinic_id IS NOT NULL"
    )
    op.execute("DELETE FROM supply_items WHERE user_id IS NULL")
    with op.batch_alter_table('supply_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_supply_items_one_list'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_supply_items_clinic_id_clinics'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_supply_items_clinic_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_supply_items_clinic_id'))
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('clinic_id')

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_orders_clinic_id_clinics'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_orders_clinic_id'))
        batch_op.drop_column('clinic_id')

    with op.batch_alter_table('clinic_members', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_clinic_members_limit_not_negative'), type_='check')
        batch_op.drop_column('monthly_limit_pence')

    with op.batch_alter_table('spending_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spending_approvals_clinic_id'))
        batch_op.drop_index(batch_op.f('ix_spending_approvals_buyer_id'))

    op.drop_table('spending_approvals')
    with op.batch_alter_table('clinic_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clinic_invitations_email'))
        batch_op.drop_index(batch_op.f('ix_clinic_invitations_clinic_id'))

    op.drop_table('clinic_invitations')
    with op.batch_alter_table('clinic_addresses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clinic_addresses_clinic_id'))

    op.drop_table('clinic_addresses')
