"""Making lots with fixed dates, and an order that holds stock, for the lot tests."""
from datetime import date

from shop.extensions import db
from shop.inventory.services import DeliveryLine, hold_stock, receive_delivery
from shop.orders.models import Order, OrderLine

TODAY = date(2027, 1, 10)


def receive(admin, variant, *lots, on=TODAY, ref="PO-1"):
    """Receive (code, units, expires) lots of one size; expires "" means 24 months after opening."""
    lines = [DeliveryLine(variant.sku, units, code, expires=expires, pao="" if expires else "24") for code, units, expires in lots]
    return receive_delivery(lines, ref, actor=admin, on=on)


def pending_order(*lines, email="buyer@example.com", on=TODAY) -> Order:
    """An order whose lines (variant, quantity) hold their stock, as starting checkout does (committed)."""
    order = Order(status="pending_payment", email=email, currency="gbp", gateway="demo", subtotal_pence=0,
                  shipping_pence=0, total_pence=0,
                  lines=[OrderLine(variant_id=v.id, product_id=v.product_id, sku=v.sku, product_name=v.product.name,
                                   size_label=v.size_label, unit_price_pence=0, quantity=q) for v, q in lines])
    db.session.add(order)
    db.session.flush()
    hold_stock(order.quantities, order_id=order.id, on=on)
    db.session.commit()
    return order


def allocated(order) -> list[tuple[str, int]]:
    from shop.inventory.lots import allocations_of

    db.session.expire_all()
    return [(a.lot.code, a.quantity) for a in allocations_of(order.id)]
