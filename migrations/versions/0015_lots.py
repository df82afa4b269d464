"""lots: batches with expiry, allocation of order lines to lots, recalls and reaction reports

Today's stock becomes one lot per size (OPENING-<date>, expiry not recorded), with one movement
per lot, so an upgraded shop keeps every unit and the ledger adds up per lot as well as per size.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 03:00:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('manufactured_on', sa.Date(), nullable=True),
    sa.Column('pao_months', sa.Integer(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('supplier', sa.String(length=120), nullable=False),
    sa.Column('delivery_ref', sa.String(length=80), nullable=False),
    sa.Column('quantity_received', sa.Integer(), nullable=False),
    sa.Column('on_hand', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('recalled_at', sa.DateTime(), nullable=True),
    sa.Column('recall_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('on_hand >= 0', name=op.f('ck_lots_on_hand_not_negative')),
    sa.CheckConstraint('quantity_received >= 0', name=op.f('ck_lots_received_not_negative')),
    sa.CheckConstraint('pao_months IS NULL OR pao_months BETWEEN 1 AND 120', name=op.f('ck_lots_pao_months')),
    sa.CheckConstraint("status IN ('sellable', 'short_dated', 'expired', 'quarantined', 'recalled')", name=op.f('ck_lots_status')),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_lots_variant_id_variants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lots')),
    sa.UniqueConstraint('variant_id', 'code', name='uq_lots_variant_code')
    )
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lots_code'), ['code'], unique=False)
        batch_op.create_index('ix_lots_variant_status_expires', ['variant_id', 'status', 'expires_on'], unique=False)

    op.create_table('lot_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('returned', sa.Integer(), nullable=False),
    sa.Column('written_off', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_lot_allocations_quantity_positive')),
    sa.CheckConstraint('returned >= 0 AND written_off >= 0 AND returned + written_off <= quantity', name=op.f('ck_lot_allocations_returns_within')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_lot_allocations_lot_id_lots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_lot_allocations_order_line_id_order_lines'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lot_allocations')),
    sa.UniqueConstraint('order_line_id', 'lot_id', name='uq_lot_allocations_line_lot')
    )
    with op.batch_alter_table('lot_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lot_allocations_lot_id'), ['lot_id'], unique=False)

    op.create_table('recall_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_recall_notices_lot_id_lots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_recall_notices_message_id_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_recall_notices_order_id_orders'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recall_notices')),
    sa.UniqueConstraint('lot_id', 'email', name='uq_recall_notices_lot_email')
    )

    op.create_table('reaction_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('what_happened', sa.Text(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('seriousness', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("seriousness IN ('mild', 'moderate', 'serious')", name=op.f('ck_reaction_reports_seriousness')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_reaction_reports_lot_id_lots'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_reaction_reports_order_id_orders'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_reaction_reports_product_id_products'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reaction_reports_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reaction_reports'))
    )
    with op.batch_alter_table('reaction_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reaction_reports_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reaction_reports_product_id'), ['product_id'], unique=False)

    op.create_table('expiry_digests',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('lots', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_expiry_digests'))
    )

    # A movement may now change only a lot (units on a lot that is off sale) or only the size's
    # sellable stock (a lot leaving sale): one of the two must change.
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lot_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('lot_delta', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('lot_after', sa.Integer(), nullable=True))
        batch_op.drop_constraint(op.f('ck_stock_movements_delta_not_zero'), type_='check')
        batch_op.create_check_constraint(op.f('ck_stock_movements_changes_something'), 'delta <> 0 OR lot_delta <> 0')
        batch_op.create_index(batch_op.f('ix_stock_movements_lot_id'), ['lot_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_stock_movements_lot_id_lots'), 'lots', ['lot_id'], ['id'], ondelete='CASCADE')

    # Today's stock: one opening lot per size that has any, and the movement that fills it. The
    # size's sellable stock does not change (delta 0): those units were already counted.
    day = datetime.now(timezone.utc).date()
    op.execute(sa.text(
        "INSERT INTO lots (variant_id, code, received_on, supplier, delivery_ref, quantity_received, on_hand, status, "
        "recall_reason, created_at) "
        "SELECT id, :code, :day, '', '', stock_on_hand, stock_on_hand, 'sellable', '', CURRENT_TIMESTAMP "
        "FROM variants WHERE stock_on_hand > 0"
    ).bindparams(code=f"OPENING-{day.isoformat()}", day=day))
    op.execute(
        "INSERT INTO stock_movements (variant_id, delta, stock_after, lot_id, lot_delta, lot_after, reason, note, created_at) "
        "SELECT variant_id, 0, on_hand, id, on_hand, on_hand, 'opening_lot', 'stock from before lots: batch not recorded', "
        "CURRENT_TIMESTAMP FROM lots"
    )


def downgrade():
    op.execute("DELETE FROM stock_movements WHERE reason = 'opening_lot' OR (delta = 0)")
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stock_movements_lot_id_lots'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_stock_movements_lot_id'))
        batch_op.drop_constraint(op.f('ck_stock_movements_changes_something'), type_='check')
        batch_op.create_check_constraint(op.f('ck_stock_movements_delta_not_zero'), 'delta <> 0')
        batch_op.drop_column('lot_after')
        batch_op.drop_column('lot_delta')
        batch_op.drop_column('lot_id')
    op.drop_table('expiry_digests')
    with op.batch_alter_table('reaction_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reaction_reports_product_id'))
        batch_op.drop_index(batch_op.f('ix_reaction_reports_lot_id'))
    op.drop_table('reaction_reports')
    op.drop_table('recall_notices')
    with op.batch_alter_table('lot_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lot_allocations_lot_id'))
    op.drop_table('lot_allocations')
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_index('ix_lots_variant_status_expires')
        batch_op.drop_index(batch_op.f('ix_lots_code'))
    op.drop_table('lots')
