"""pay on account: payment terms, invoices, the demo gateway's invoices, the on_account order status

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 14:00:00

A clinic's terms (7, 14 or 30 days and a credit limit) and its gateway customer; one invoice per order
bought on account; orders may now be `on_account` (confirmed, stock taken, invoice to pay).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

OLD_STATUSES = "'pending_payment', 'payment_processing', 'paid', 'needs_review', 'cancelled', 'expired', 'payment_failed'"


def upgrade():
    op.create_table('payment_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.Column('credit_limit_pence', sa.Integer(), nullable=False),
    sa.Column('gateway_customer_id', sa.String(length=255), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('days IS NULL OR days IN (7, 14, 30)', name=op.f('ck_payment_terms_days')),
    sa.CheckConstraint('credit_limit_pence >= 0', name=op.f('ck_payment_terms_credit_limit_not_negative')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_payment_terms_clinic_id_clinics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_terms')),
    sa.UniqueConstraint('clinic_id', name=op.f('uq_payment_terms_clinic_id'))
    )
    op.create_table('invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('amount_pence', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('terms_days', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('gateway_invoice_id', sa.String(length=255), nullable=True),
    sa.Column('number', sa.String(length=80), nullable=True),
    sa.Column('hosted_url', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('overdue_at', sa.DateTime(), nullable=True),
    sa.Column('payment_failed_at', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('preparing', 'open', 'paid', 'void')", name=op.f('ck_invoices_status')),
    sa.CheckConstraint('amount_pence >= 0', name=op.f('ck_invoices_amount_not_negative')),
    sa.CheckConstraint('terms_days IN (7, 14, 30)', name=op.f('ck_invoices_terms_days')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_invoices_clinic_id_clinics'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_invoices_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('gateway_invoice_id', name=op.f('uq_invoices_gateway_invoice_id')),
    sa.UniqueConstraint('order_id', name=op.f('uq_invoices_order_id'))
    )
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index('ix_invoices_clinic_status', ['clinic_id', 'status'], unique=False)
        batch_op.create_index('ix_invoices_status_due', ['status', 'due_at'], unique=False)
    op.create_table('demo_invoices',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.String(length=64), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('amount_due', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('lines_json', sa.Text(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_demo_invoices_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demo_invoices')),
    sa.UniqueConstraint('order_id', name=op.f('uq_demo_invoices_order_id'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_account', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.drop_constraint(batch_op.f('ck_orders_status'), type_='check')
        batch_op.create_check_constraint('status', f"status IN ({OLD_STATUSES}, 'on_account')")


def downgrade():
    op.execute("UPDATE orders SET status = 'cancelled' WHERE status = 'on_account'")
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_orders_status'), type_='check')
        batch_op.create_check_constraint('status', f"status IN ({OLD_STATUSES})")
        batch_op.drop_column('on_account')
    op.drop_table('demo_invoices')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index('ix_invoices_status_due')
        batch_op.drop_index('ix_invoices_clinic_status')
    op.drop_table('invoices')
    op.drop_table('payment_terms')
