"""accounts: email confirmation, trade accounts, supplies lists; orders: pricing list and shipping details

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:58:31.114221

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('trade_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('clinic_name', sa.String(length=160), nullable=False),
    sa.Column('profession', sa.String(length=30), nullable=False),
    sa.Column('professional_body', sa.String(length=160), nullable=False),
    sa.Column('registration_number', sa.String(length=60), nullable=False),
    sa.Column('address_line1', sa.String(length=200), nullable=False),
    sa.Column('address_line2', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('postcode', sa.String(length=20), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("profession IN ('massage_therapist', 'physiotherapist', 'osteopath', 'chiropractor', 'sports_therapist', 'other')", name=op.f('ck_trade_accounts_profession')),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected', 'suspended')", name=op.f('ck_trade_accounts_status')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_trade_accounts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trade_accounts')),
    sa.UniqueConstraint('user_id', name=op.f('uq_trade_accounts_user_id'))
    )
    op.create_table('supply_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_supply_items_quantity_positive')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_supply_items_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_supply_items_variant_id_variants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supply_items')),
    sa.UniqueConstraint('user_id', 'variant_id', name=op.f('uq_supply_items_user_id'))
    )
    with op.batch_alter_table('supply_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supply_items_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pricing', sa.String(length=10), nullable=False, server_default='retail'))
        batch_op.add_column(sa.Column('shipped_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('carrier', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('tracking_number', sa.String(length=80), nullable=False, server_default=''))
        batch_op.create_check_constraint(op.f('ck_orders_pricing'), "pricing IN ('retail', 'trade')")
        batch_op.create_index(batch_op.f('ix_orders_email'), ['email'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_sign_in_at', sa.DateTime(), nullable=True))

    # Accounts made before confirmation existed were admins created from the command line.
    op.execute("UPDATE users SET email_verified_at = created_at WHERE email_verified_at IS NULL")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('last_sign_in_at')
        batch_op.drop_column('email_verified_at')
        batch_op.drop_column('name')

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_orders_pricing'), type_='check')
        batch_op.drop_index(batch_op.f('ix_orders_email'))
        batch_op.drop_column('tracking_number')
        batch_op.drop_column('carrier')
        batch_op.drop_column('shipped_at')
        batch_op.drop_column('pricing')

    with op.batch_alter_table('supply_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supply_items_user_id'))

    op.drop_table('supply_items')
    op.drop_table('trade_accounts')
