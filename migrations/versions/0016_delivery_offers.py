"""delivery methods, zones and rates; a shipping weight on every size; the delivery an order was charged for

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02 03:00:00

Existing sizes get a weight estimated from their size (contents, a bottle, packing), the same estimate a
new size gets; the back office corrects it. The zones, methods and rates themselves are data: the demo
loader (and `flask --app wsgi shop seed-delivery`) fills empty tables.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0014'
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


def downgrade():
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
