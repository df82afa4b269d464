"""Pay by invoice: a clinic on payment terms orders now and pays its invoice within its terms.

The order is confirmed at once: in one transaction the clinic's terms are locked, the credit check made,
the stock taken (the same conditional update as any checkout, with no hold to expire), the discount
code's use reserved, the invoice recorded as being prepared, and the confirmation email recorded. The
gateway is not called here: the worker creates and sends the invoice (shop/invoicing/preparing.py), so
a payment provider that is down never loses an order or its invoice, and never slows this request.
"""
from datetime import datetime

from shop.cart.services import PricedCart
from shop.checkout.services import CartNotReady, _order_from_cart, send_to_site
from shop.clinics.spending import NeedsApproval, enforce_limit
from shop.delivery.services import zone_code_of
from shop.extensions import db
from shop.inventory.services import OutOfStock, hold_stock
from shop.invoicing.services import OnAccountRefused, check_on_account, lock_terms, open_invoice
from shop.offers.services import CodeRefused, reserve_code_use
from shop.orders.models import Order, OrderEvent
from shop.orders.services import record_order_confirmation
from shop.orders.status import OrderStatus


def start_on_account(cart: PricedCart, user, *, gateway_name: str, now: datetime, ordered_before: bool = False,
                     approval_id: int | None = None, ship_to=None) -> Order:
    """Confirm the cart as an order on the buyer's clinic's terms. Raises CartNotReady, OnAccountRefused,
    OutOfStock, CodeRefused or NeedsApproval with nothing written.

    As at card checkout, the order is the clinic's, a buyer's monthly limit is checked in the same
    transaction (or `approval_id` spent on it), and `ship_to` (one of the clinic's sites, priced in the
    cart) is where it goes; without one, the clinic's own address."""
    if not cart.lines_ok:
        raise CartNotReady("Please fix the items marked in your cart before checking out.")
    if cart.delivery is None:
        raise CartNotReady("Please enter your postcode and choose a delivery method before checking out.")
    clinic = user.clinic
    check_on_account(clinic, cart.total_pence, now)  # says why not before anything is written
    account = clinic.trade_account
    if (ship_to is None and not cart.delivery.is_collection
            and zone_code_of(account.postcode) != cart.delivery.zone_code):
        raise OnAccountRefused(f"Orders on account go to your clinic's address ({account.postcode}) or one of its "
                               f"sites. Please price delivery for {account.postcode} or choose a site in the cart, "
                               f"or choose click & collect.")
    order = _order_from_cart(cart, gateway_name, email=user.email, user_id=user.id, hold_until=None)
    order.status, order.on_account = OrderStatus.ON_ACCOUNT, True
    order.clinic_id = clinic.id
    if not cart.delivery.is_collection:
        if ship_to is not None:
            send_to_site(order, ship_to)
        else:
            order.ship_name, order.ship_line1, order.ship_line2 = clinic.name[:200], account.address_line1, account.address_line2
            order.ship_city, order.ship_postcode, order.ship_country = account.city, account.postcode, "GB"
    try:
        db.session.add(order)
        db.session.flush()  # on SQLite this write takes the database's one write lock, before the check below
        terms = lock_terms(clinic.id)
        check_on_account(clinic, order.total_pence, now)  # final: under the lock, seeing every committed order
        enforce_limit(order, approval_id=approval_id, now=now)  # a buyer's monthly limit holds on account too
        hold_stock(order.quantities, order_id=order.id, on=now.date())
        if cart.code is not None:
            reserve_code_use(cart.code.code_id, order_id=order.id, user_id=user.id, email=order.email,
                             discount_pence=cart.code_discount_pence + cart.delivery_discount_pence,
                             ordered_before=ordered_before)  # reserved until the invoice is paid, as at checkout
        db.session.add(OrderEvent(order_id=order.id, from_status=None, to_status=OrderStatus.ON_ACCOUNT,
                                  note=f"bought on account by {user.email}: invoice due in {terms.days} days"))
        open_invoice(order, terms, now)
        record_order_confirmation(order)
        db.session.commit()
    except (OutOfStock, CodeRefused, OnAccountRefused, NeedsApproval):
        db.session.rollback()
        raise
    return order
