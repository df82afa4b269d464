"""Starting checkout, fulfilment (success page and webhooks share it), cancelling, and the sweeper."""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.cart.services import PricedCart
from shop.clinics.spending import NeedsApproval, enforce_limit
from shop.clock import utcnow
from shop.extensions import db
from shop.inventory.services import OutOfStock, hold_stock
from shop.invoicing.events import INVOICE_EVENTS, apply_invoice_event
from shop.offers.services import CodeRefused, reserve_code_use
from shop.orders.closing import close_checkout_or_honour_payment
from shop.orders.models import Order, OrderLine, WebhookEvent
from shop.orders.services import (
    OrderNotFound,
    apply_checkout_session,
    find_order_by_session_id,
    record_refund,
    release_order,
)
from shop.orders.status import OrderStatus
from shop.payments.gateway import CheckoutLine, CheckoutRequest, CheckoutSession, Gateway, PaymentError, SessionNotFound

log = logging.getLogger(__name__)


class CartNotReady(ValueError):
    pass


@dataclass
class CheckoutStarted:
    order: Order
    redirect_url: str


def _plan_snapshot(cart: PricedCart) -> dict:
    """What the patient keeps of a care plan on the order: its title, who recommended it, its guides."""
    if cart.plan is None:
        return {}
    return {"care_plan_title": cart.plan.title, "care_plan_practitioner": cart.plan.practitioner or None,
            "care_plan_clinic": cart.plan.clinic or None, "plan_guides": list(cart.plan.guides)}


def start_checkout(
    cart: PricedCart,
    gateway: Gateway,
    *,
    email: str | None,
    user_id: int | None,
    hold_minutes: int,
    success_url: str,
    cancel_url_for,
    ordered_before: bool = False,
    clinic_id: int | None = None,
    approval_id: int | None = None,
    ship_to=None,
    now: datetime | None = None,
) -> CheckoutStarted:
    """Hold the stock and create the order in one transaction, then open a checkout session.

    A clinic member's order is the clinic's (`clinic_id`): a buyer's monthly limit is checked in the
    same transaction (NeedsApproval, or `approval_id` is spent on it), and `ship_to`, one of the
    clinic's sites, is the delivery address, so the payment page asks for none.

    If the gateway fails, the order is cancelled and the hold released before the error
    reaches the buyer: nothing stays pending.
    """
    if not cart.lines_ok:
        raise CartNotReady("Please fix the items marked in your cart before checking out.")
    if cart.delivery is None:
        raise CartNotReady("Please enter your postcode and choose a delivery method before checking out.")
    now = now or utcnow()
    hold_until = now + timedelta(minutes=hold_minutes)
    order = _order_from_cart(cart, gateway.name, email=email, user_id=user_id, hold_until=hold_until)
    order.clinic_id, order.created_at = clinic_id, now
    if ship_to is not None and not order.is_collection:
        send_to_site(order, ship_to)
    _hold(order, cart, ordered_before=ordered_before, approval_id=approval_id, now=now)
    request = _gateway_request(order, success_url=success_url,
                               cancel_url=cancel_url_for(order.token), email=email)
    session = _open_session(order, gateway, request)
    return CheckoutStarted(order=order, redirect_url=session.url)


def _order_from_cart(cart: PricedCart, gateway_name: str, *, email, user_id, hold_until: datetime) -> Order:
    """The order as the cart is priced now: each line a snapshot of what the buyer saw."""
    return Order(
        status=OrderStatus.PENDING_PAYMENT,
        email=email,
        user_id=user_id,
        currency=cart.currency,
        subtotal_pence=cart.subtotal_pence,
        shipping_pence=cart.shipping_pence,
        total_pence=cart.total_pence,
        gateway=gateway_name,
        pricing=cart.pricing,
        care_plan_id=cart.care_plan_id,
        **_plan_snapshot(cart),
        discount_pence=cart.discount_pence,
        **_delivery_snapshot(cart),
        discount_code=cart.code.code if cart.code else None,
        code_discount_pence=cart.code_discount_pence,
        code_delivery_off_pence=cart.delivery_discount_pence,
        hold_expires_at=hold_until,
        lines=[
            OrderLine(
                variant_id=line.variant.id,
                product_id=line.variant.product_id,
                sku=line.variant.sku,
                product_name=line.product.name,
                size_label=line.variant.size_label,
                unit_price_pence=line.unit_price_pence,
                quantity=line.quantity,
                plan_note=line.plan_note or None,
                discount_label=line.discount_label if line.discount_percent else None,
                volume_min_quantity=line.price.volume_from,
            )
            for line in cart.lines
        ],
    )


def _delivery_snapshot(cart: PricedCart) -> dict:
    """The delivery as charged: the payment page shows it and the collected address is checked against its zone."""
    chosen = cart.delivery
    return {"delivery_method_code": chosen.method_code, "delivery_method_name": chosen.name,
            "delivery_kind": chosen.kind, "delivery_zone_code": chosen.zone_code, "delivery_zone_name": chosen.zone_name,
            "delivery_postcode": "" if chosen.is_collection else cart.quote.postcode,
            "delivery_min_days": chosen.min_days, "delivery_max_days": chosen.max_days,
            "delivery_estimate": chosen.estimate, "parcel_weight_grams": cart.weight_grams}


def send_to_site(order: Order, site) -> None:
    """The order goes to one of its clinic's sites (shop/clinics ClinicAddress)."""
    order.ship_name, order.ship_line1, order.ship_line2 = site.recipient, site.line1, site.line2
    order.ship_city, order.ship_postcode, order.ship_country = site.city, site.postcode, "GB"


def _hold(order: Order, cart: PricedCart, *, ordered_before: bool, approval_id: int | None = None,
          now: datetime | None = None) -> None:
    """Create the order, hold its stock and reserve its code's use in one transaction; OutOfStock,
    CodeRefused (the last use went to someone else) or NeedsApproval leaves nothing behind."""
    try:
        db.session.add(order)
        db.session.flush()
        enforce_limit(order, approval_id=approval_id, now=now or utcnow())
        hold_stock(order.quantities, order_id=order.id)
        if cart.code is not None:
            reserve_code_use(cart.code.code_id, order_id=order.id, user_id=order.user_id, email=order.email,
                             discount_pence=cart.code_discount_pence + cart.delivery_discount_pence,
                             ordered_before=ordered_before)
        db.session.commit()
    except (OutOfStock, CodeRefused, NeedsApproval):
        db.session.rollback()
        raise


def _gateway_request(order: Order, *, success_url: str, cancel_url: str, email) -> CheckoutRequest:
    """What the payment page is asked to charge, from the order alone."""
    return CheckoutRequest(
        order_id=order.id,
        order_number=order.number,
        currency=order.currency,
        lines=[
            # The patient discount is taken off each unit price, and said in the line's description; so is a
            # volume price. The unit amount is the order line's, as the cart priced it (shop/catalog/volume.py).
            CheckoutLine(name=line.product_name,
                         description=f"{line.size_label} · SKU {line.sku}" + (f" · {line.discount_label}" if line.discount_label else "")
                         + (f" · {line.volume_label}" if line.volume_min_quantity else ""),
                         unit_amount=line.unit_price_pence, quantity=line.quantity)
            for line in order.lines
        ],
        shipping_pence=order.shipping_pence,
        shipping_label=order.delivery_method_name + (f" (free with {order.discount_code})" if order.code_delivery_off_pence else ""),
        discount_pence=order.code_discount_pence,
        discount_name=order.discount_code or "",
        shipping_min_days=order.delivery_min_days,
        shipping_max_days=order.delivery_max_days,
        # Click & collect has nothing to post, and a clinic's site is already the address: none asked.
        collect_address=not order.is_collection and not order.ship_line1,
        postcode=order.delivery_postcode,
        success_url=success_url,
        cancel_url=cancel_url,
        # A few seconds over the hold so Stripe's 30-minute minimum is always met.
        expires_at=int(order.hold_expires_at.replace(tzinfo=timezone.utc).timestamp()) + 5,
        idempotency_key=f"checkout-{order.token}",
        email=email,
    )


def _open_session(order: Order, gateway: Gateway, request: CheckoutRequest) -> CheckoutSession:
    """Open the checkout session and keep its id; if the gateway fails, cancel the order and release the hold."""
    try:
        session = gateway.create_checkout(request)
    except PaymentError:
        db.session.rollback()
        order = db.session.get(Order, order.id)
        release_order(order, OrderStatus.CANCELLED, "the payment provider could not open a checkout")
        db.session.commit()
        raise
    order.checkout_session_id = session.id
    order.checkout_url = session.url
    db.session.commit()
    return session


def fulfil_checkout(session_id: str, gateway: Gateway) -> Order:
    """The success page's half of fulfilment: ask the gateway, never trust the query string."""
    session = gateway.retrieve_checkout(session_id)
    order = find_order_by_session_id(session.id)
    apply_checkout_session(order, session, livemode=gateway.livemode)  # the winner records the confirmation
    db.session.commit()
    return order


def cancel_checkout(token: str, gateway: Gateway) -> Order:
    """The buyer came back from the payment page: close the session there, release the hold here."""
    order = db.session.scalar(select(Order).where(Order.token == token))
    if order is None:
        raise OrderNotFound(token)
    if order.status != OrderStatus.PENDING_PAYMENT:
        return order
    if close_checkout_or_honour_payment(order, gateway).paid:
        return order  # paid in another tab just before cancelling
    release_order(order, OrderStatus.CANCELLED, "the buyer cancelled at the payment page")
    db.session.commit()
    return order


HANDLED_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
    "charge.refunded",
} | INVOICE_EVENTS


def handle_webhook_event(event_id: str, event_type: str, obj: dict, gateway: Gateway) -> str:
    """Apply one verified event, once. Returns 'ignored', 'duplicate' or 'handled'.

    The event id is recorded in the same transaction as its effects: if handling fails,
    neither is kept and Stripe's retry starts afresh.
    """
    if event_type not in HANDLED_EVENTS:
        return "ignored"
    try:
        db.session.add(WebhookEvent(id=event_id, type=event_type))
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return "duplicate"

    if event_type in INVOICE_EVENTS:
        apply_invoice_event(event_type, obj, gateway, utcnow())
    elif event_type == "charge.refunded":
        if obj.get("payment_intent"):
            _reconcile_refund(str(obj["payment_intent"]), int(obj.get("amount_refunded") or 0), gateway)
    else:
        try:
            order = find_order_by_session_id(str(obj.get("id") or ""))
        except OrderNotFound:
            log.info("webhook %s for a session we do not know", event_id)
            db.session.commit()
            return "handled"
        if event_type == "checkout.session.async_payment_failed":
            release_order(order, OrderStatus.PAYMENT_FAILED, "the delayed payment failed")
        else:
            # Completed, succeeded and expired: ask Stripe for the session as it is now.
            session = gateway.retrieve_checkout(obj["id"])
            apply_checkout_session(order, session, livemode=gateway.livemode)  # the winner records the confirmation
    db.session.commit()
    return "handled"


def _reconcile_refund(payment_intent: str, amount_refunded: int, gateway: Gateway) -> None:
    if record_refund(payment_intent, amount_refunded) is not None:
        return
    # Stripe does not promise order: the refund can arrive before the event that tells us the
    # order was paid (and so its payment intent). The payment intent names its order in its metadata.
    order_ref = gateway.order_ref_of_payment(payment_intent)
    order = db.session.get(Order, int(order_ref)) if order_ref and order_ref.isdigit() else None
    if order is None or order.payment_intent_id not in (None, payment_intent):
        log.info("refund for payment %s, which is not one of our orders", payment_intent)
        return
    order.payment_intent_id = payment_intent
    db.session.flush()
    record_refund(payment_intent, amount_refunded)


@dataclass
class SweepResult:
    released: int = 0
    paid: int = 0
    failed: int = 0


def release_expired(gateway: Gateway, now: datetime | None = None) -> SweepResult:
    """Expire, at the gateway first, every checkout past its hold; then release the stock. Idempotent."""
    now = now or utcnow()
    result = SweepResult()
    stale = db.session.scalars(
        select(Order.id).where(Order.status == OrderStatus.PENDING_PAYMENT, Order.hold_expires_at < now).order_by(Order.id)
    ).all()
    for order_id in stale:
        order = db.session.get(Order, order_id)
        try:
            closed = close_checkout_or_honour_payment(order, gateway)
            if closed.status == "open":
                log.warning("order %s: session still open after expiring it", order.number)
                db.session.rollback()
                result.failed += 1
                continue
            if closed.status == "expired":
                release_order(order, OrderStatus.EXPIRED, "checkout session expired")
            elif not closed.status:
                release_order(order, OrderStatus.EXPIRED, "no checkout session was opened")
            db.session.commit()
        except (PaymentError, SessionNotFound):
            db.session.rollback()
            result.failed += 1
            continue
        if closed.won:
            result.paid += 1  # its confirmation was recorded with the payment
        elif order.status == OrderStatus.EXPIRED:
            result.released += 1
    return result
