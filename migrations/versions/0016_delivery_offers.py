"""delivery methods, zones and rates; a shipping weight on every size; the delivery an order was charged for;
discount codes, their uses, and the code an order was sold with

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 03:00:00

Existing sizes get a weight estimated from their size (contents, a bottle, packing), the same estimate a
new size gets; the back office corrects it. The zones, methods and rates themselves are data: the demo
loader (and `flask --app wsgi shop seed-delivery`) fills empty tables.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('delivery_zones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_zones')),
    sa.UniqueConstraint('code', name=op.f('uq_delivery_zones_code'))
    )
    op.create_table('delivery_zone_postcodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('prefix', sa.String(length=4), nullable=False),
    sa.CheckConstraint('length(prefix) BETWEEN 1 AND 4', name=op.f('ck_delivery_zone_postcodes_prefix_length')),
    sa.ForeignKeyConstraint(['zone_id'], ['delivery_zones.id'], name=op.f('fk_delivery_zone_postcodes_zone_id_delivery_zones'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_zone_postcodes')),
    sa.UniqueConstraint('prefix', name=op.f('uq_delivery_zone_postcodes_prefix'))
    )
    with op.batch_alter_table('delivery_zone_postcodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_zone_postcodes_zone_id'), ['zone_id'], unique=False)
    op.create_table('delivery_methods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('min_days', sa.Integer(), nullable=False),
    sa.Column('max_days', sa.Integer(), nullable=False),
    sa.Column('free_over_pence', sa.Integer(), nullable=True),
    sa.Column('min_weight_grams', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('standard', 'express', 'courier', 'collection')", name=op.f('ck_delivery_methods_kind')),
    sa.CheckConstraint('min_days >= 1 AND max_days >= min_days', name=op.f('ck_delivery_methods_estimate')),
    sa.CheckConstraint('free_over_pence IS NULL OR free_over_pence > 0', name=op.f('ck_delivery_methods_free_over_positive')),
    sa.CheckConstraint('min_weight_grams >= 0', name=op.f('ck_delivery_methods_min_weight_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_methods')),
    sa.UniqueConstraint('code', name=op.f('uq_delivery_methods_code'))
    )
    op.create_table('delivery_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('method_id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('max_weight_grams', sa.Integer(), nullable=False),
    sa.Column('price_pence', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_weight_grams > 0', name=op.f('ck_delivery_rates_weight_positive')),
    sa.CheckConstraint('price_pence >= 0', name=op.f('ck_delivery_rates_price_not_negative')),
    sa.ForeignKeyConstraint(['method_id'], ['delivery_methods.id'], name=op.f('fk_delivery_rates_method_id_delivery_methods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['zone_id'], ['delivery_zones.id'], name=op.f('fk_delivery_rates_zone_id_delivery_zones'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_rates')),
    sa.UniqueConstraint('method_id', 'zone_id', 'max_weight_grams', name='uq_delivery_rates_band')
    )
    with op.batch_alter_table('delivery_rates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_rates_zone_id'), ['zone_id'], unique=False)

    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shipping_weight_grams', sa.Integer(), nullable=True))
    # The estimate shop.delivery.weights makes for a bottle: 95% of the size in grams, container, 60 g packing.
    op.execute("UPDATE variants SET shipping_weight_grams = "
               "((amount * 95 / 100 + CASE WHEN amount * 14 / 100 > 40 THEN amount * 14 / 100 ELSE 40 END + 60 + 9) / 10) * 10")
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.alter_column('shipping_weight_grams', existing_type=sa.Integer(), nullable=False)
        batch_op.create_check_constraint('shipping_weight_positive', 'shipping_weight_grams > 0')

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivery_method_code', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('delivery_method_name', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('delivery_kind', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('delivery_zone_code', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('delivery_zone_name', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('delivery_postcode', sa.String(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('delivery_min_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('delivery_max_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('delivery_estimate', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('parcel_weight_grams', sa.Integer(), nullable=True))
    # Orders from before methods existed were sent at the flat rate, by the standard service.
    op.execute("UPDATE orders SET delivery_method_name = 'UK delivery', delivery_kind = 'standard'")
    with op.batch_alter_table('orders', schema=None) as batch_op:
        for column in ('delivery_method_code', 'delivery_method_name', 'delivery_kind', 'delivery_zone_code',
                       'delivery_zone_name', 'delivery_postcode', 'delivery_estimate'):
            batch_op.alter_column(column, server_default=None)

    with op.batch_alter_table('demo_checkout_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ship_postcode', sa.String(length=10), nullable=False, server_default=''))
    with op.batch_alter_table('demo_checkout_sessions', schema=None) as batch_op:
        batch_op.alter_column('ship_postcode', server_default=None)

    op.create_table('discount_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('percent_off', sa.Integer(), nullable=True),
    sa.Column('amount_off_pence', sa.Integer(), nullable=True),
    sa.Column('min_spend_pence', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.DateTime(), nullable=True),
    sa.Column('valid_until', sa.DateTime(), nullable=True),
    sa.Column('max_uses', sa.Integer(), nullable=True),
    sa.Column('max_uses_per_customer', sa.Integer(), nullable=True),
    sa.Column('uses_taken', sa.Integer(), nullable=False),
    sa.Column('first_order_only', sa.Boolean(), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('applies_to_trade', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('percent', 'fixed', 'free_delivery')", name=op.f('ck_discount_codes_kind')),
    sa.CheckConstraint("scope IN ('all', 'category', 'products')", name=op.f('ck_discount_codes_scope')),
    sa.CheckConstraint("kind != 'percent' OR (percent_off BETWEEN 1 AND 100)", name=op.f('ck_discount_codes_percent_in_range')),
    sa.CheckConstraint("kind != 'fixed' OR amount_off_pence > 0", name=op.f('ck_discount_codes_amount_positive')),
    sa.CheckConstraint('min_spend_pence >= 0', name=op.f('ck_discount_codes_min_spend_not_negative')),
    sa.CheckConstraint('max_uses IS NULL OR max_uses > 0', name=op.f('ck_discount_codes_max_uses_positive')),
    sa.CheckConstraint('max_uses_per_customer IS NULL OR max_uses_per_customer > 0', name=op.f('ck_discount_codes_per_customer_positive')),
    sa.CheckConstraint('uses_taken >= 0', name=op.f('ck_discount_codes_uses_not_negative')),
    sa.CheckConstraint("scope != 'category' OR category_id IS NOT NULL", name=op.f('ck_discount_codes_category_named')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_discount_codes_category_id_categories'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discount_codes')),
    sa.UniqueConstraint('code', name=op.f('uq_discount_codes_code'))
    )
    op.create_table('discount_code_products',
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['code_id'], ['discount_codes.id'], name=op.f('fk_discount_code_products_code_id_discount_codes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_discount_code_products_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code_id', 'product_id', name=op.f('pk_discount_code_products'))
    )
    with op.batch_alter_table('discount_code_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discount_code_products_product_id'), ['product_id'], unique=False)
    op.create_table('discount_uses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('discount_pence', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('reserved', 'used', 'released')", name=op.f('ck_discount_uses_status')),
    sa.CheckConstraint('discount_pence >= 0', name=op.f('ck_discount_uses_discount_not_negative')),
    sa.ForeignKeyConstraint(['code_id'], ['discount_codes.id'], name=op.f('fk_discount_uses_code_id_discount_codes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_discount_uses_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_discount_uses_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discount_uses')),
    sa.UniqueConstraint('order_id', name=op.f('uq_discount_uses_order_id'))
    )
    with op.batch_alter_table('discount_uses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discount_uses_code_id'), ['code_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_discount_uses_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_discount_uses_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discount_code', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('code_discount_pence', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('code_delivery_off_pence', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.alter_column('code_discount_pence', server_default=None)
        batch_op.alter_column('code_delivery_off_pence', server_default=None)
        batch_op.create_check_constraint(
            'code_discount_within_items',
            'code_discount_pence >= 0 AND code_discount_pence <= subtotal_pence AND code_delivery_off_pence >= 0')


def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint('code_discount_within_items', type_='check')
        batch_op.drop_column('code_delivery_off_pence')
        batch_op.drop_column('code_discount_pence')
        batch_op.drop_column('discount_code')
    with op.batch_alter_table('discount_uses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discount_uses_user_id'))
        batch_op.drop_index(batch_op.f('ix_discount_uses_email'))
        batch_op.drop_index(batch_op.f('ix_discount_uses_code_id'))
    op.drop_table('discount_uses')
    with op.batch_alter_table('discount_code_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discount_code_products_product_id'))
    op.drop_table('discount_code_products')
    op.drop_table('discount_codes')
    with op.batch_alter_table('demo_checkout_sessions', schema=None) as batch_op:
        batch_op.drop_column('ship_postcode')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        for column in ('parcel_weight_grams', 'delivery_estimate', 'delivery_max_days', 'delivery_min_days',
                       'delivery_postcode', 'delivery_zone_name', 'delivery_zone_code', 'delivery_kind',
                       'delivery_method_name', 'delivery_method_code'):
            batch_op.drop_column(column)
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.drop_constraint('shipping_weight_positive', type_='check')
        batch_op.drop_column('shipping_weight_grams')
    with op.batch_alter_table('delivery_rates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_rates_zone_id'))
    op.drop_table('delivery_rates')
    op.drop_table('delivery_methods')
    with op.batch_alter_table('delivery_zone_postcodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_zone_postcodes_zone_id'))
    op.drop_table('delivery_zone_postcodes')
    op.drop_table('delivery_zones')
