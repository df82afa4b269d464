"""Order state changes. Each change is a conditional update, so when two callers race
(the success page and a webhook, or the same webhook twice) exactly one of them wins,
and only the winner releases stock or records the confirmation email, in the same
transaction as the change. Nothing here commits: the checkout and webhook services own the
transaction.
"""
import logging

from flask import render_template
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from shop.catalog.models import Product
from shop.clock import utcnow
from shop.extensions import db
from shop.guides.models import Guide
from shop.inventory.lots import confirm_allocation
from shop.inventory.services import OutOfStock, hold_stock, release_stock
from shop.delivery.services import zone_code_of
from shop.offers.services import confirm_code_use, payment_problem, release_code_use
from shop.messages.outbox import links_to_the_shop, record_message
from shop.orders.emails import confirmation_context
from shop.money import format_money
from shop.orders.models import Order, OrderEvent, OrderLine
from shop.orders.status import HOLD_RELEASED, STOCK_HELD, OrderStatus
from shop.payments.gateway import CheckoutSession

log = logging.getLogger(__name__)


class OrderNotFound(LookupError):
    pass


def transition(order: Order, to_status: OrderStatus, allowed_from: tuple[OrderStatus, ...], note: str = "", **values) -> bool:
    """Move the order to `to_status` if it is in `allowed_from`. True if this call moved it.

    The update is conditional on the status we saw. If another caller changed it first, look
    again: a move that is still allowed from the new status is made from there (a delayed
    payment that failed while its "processing" event was being applied must still fail).
    """
    while True:
        seen = order.status
        if seen not in allowed_from:
            return False
        result = db.session.execute(
            update(Order)
            .where(Order.id == order.id, Order.status == seen)
            .values(status=to_status, **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            break
        db.session.refresh(order)
    db.session.add(OrderEvent(order_id=order.id, from_status=seen, to_status=to_status, note=note))
    db.session.flush()
    db.session.refresh(order)
    return True


def release_order(order: Order, to_status: OrderStatus, note: str) -> bool:
    """Cancel, expire or fail an unpaid order and give its stock back, exactly once."""
    if transition(order, to_status, STOCK_HELD, note):
        release_stock(order.quantities, order_id=order.id, note=note)
        release_code_use(order.id)  # the discount code's use goes back with the stock
        return True
    return False


def flag_for_review(order: Order, reason: str) -> bool:
    return transition(
        order, OrderStatus.NEEDS_REVIEW, STOCK_HELD + HOLD_RELEASED, reason, review_reason=reason
    )


def has_paid_order(user_id: int | None, email: str | None, excluding: int | None = None) -> bool:
    """Whether this customer (their account, or their email) has an order that was paid, for first-order codes."""
    who = [c for c in (Order.user_id == user_id if user_id else None,
                       func.lower(Order.email) == email.lower() if email else None) if c is not None]
    if not who:
        return False
    query = select(Order.id).where(Order.paid_at.is_not(None), or_(*who))
    if excluding is not None:
        query = query.where(Order.id != excluding)
    return db.session.scalar(query.limit(1)) is not None


def last_delivery_postcode(user_id: int) -> str:
    """The postcode of the customer's latest order that was delivered somewhere ("" if none)."""
    return db.session.scalar(
        select(Order.ship_postcode).where(Order.user_id == user_id, Order.ship_postcode != "")
        .order_by(Order.id.desc()).limit(1)
    ) or ""


def find_order_by_session_id(session_id: str) -> Order:
    order = db.session.scalar(select(Order).where(Order.checkout_session_id == session_id)) if session_id else None
    if order is None:
        raise OrderNotFound(session_id)
    return order


def mismatches(order: Order, session: CheckoutSession, livemode: bool) -> list[str]:
    problems = []
    if session.order_ref != str(order.id):
        problems.append(f"session names order {session.order_ref!r}, not {order.id}")
    if session.amount_total != order.total_pence:
        problems.append(f"amount {session.amount_total} does not match the order total {order.total_pence}")
    if (session.currency or "").lower() != order.currency:
        problems.append(f"currency {session.currency!r} does not match {order.currency!r}")
    if session.livemode != livemode:
        problems.append("live/test mode does not match the key in use")
    return problems


def delivery_mismatches(order: Order, session: CheckoutSession) -> list[str]:
    """The address the payment page collected must be in the zone the delivery was charged for: a mainland
    rate paid for a Shetland address is never shipped at a loss without someone deciding."""
    if order.is_collection or not order.delivery_zone_code:
        return []
    # A clinic's site was the address given (nothing collected at the payment page).
    collected = session.shipping.postal_code or order.ship_postcode
    zone = zone_code_of(collected) if collected else None
    if zone == order.delivery_zone_code:
        return []
    where = f"postcode {collected}" if collected else "no postcode"
    return [f"delivery was charged for {order.delivery_zone_name or order.delivery_zone_code} "
            f"({order.delivery_postcode}), but the address collected has {where}, "
            + (f"in zone {zone}" if zone else "outside every zone we deliver to")]


def _code_mismatches(order: Order) -> list[str]:
    """A guest's email is known only now: a code for first orders, or capped per customer, is checked against it."""
    if not order.discount_code:
        return []
    problem = payment_problem(order.id, email=order.email, user_id=order.user_id,
                              ordered_before=has_paid_order(order.user_id, order.email, excluding=order.id))
    return [problem] if problem else []


def tell_admins_of_review(order: Order) -> None:
    """Every admin is emailed, with the flag, so a flagged order is looked at before anything ships."""
    from shop.accounts.models import User

    with links_to_the_shop():
        text = render_template("email/order_flagged.txt", order=order)
    for email in db.session.scalars(select(User.email).where(User.role == "admin").order_by(User.id)):
        record_message(email, f"Order {order.number} needs review", text, kind="order_flagged", about=order)


def apply_checkout_session(order: Order, session: CheckoutSession, *, livemode: bool) -> bool:
    """Bring the order in line with what the gateway says. True if this call made it paid; then its
    confirmation is recorded too, so the paid order and its email commit together or not at all."""
    paid = _apply(order, session, livemode)
    if paid:
        confirm_code_use(order.id, order.email)
        record_order_confirmation(order)
    return paid


def _apply(order: Order, session: CheckoutSession, livemode: bool) -> bool:
    if session.status == "expired":
        release_order(order, OrderStatus.EXPIRED, "checkout session expired")
        return False
    if session.status != "complete":
        return False

    _record_buyer(order, session)
    problems = mismatches(order, session, livemode) + delivery_mismatches(order, session) + _code_mismatches(order)
    if session.payment_status not in ("paid", "unpaid"):
        problems.append(f"unexpected payment status {session.payment_status!r}")
    if problems:
        log.warning("order %s flagged: %s", order.number, "; ".join(problems))
        if flag_for_review(order, "; ".join(problems)):
            tell_admins_of_review(order)
        return False

    if session.payment_status == "unpaid":
        transition(order, OrderStatus.PAYMENT_PROCESSING, (OrderStatus.PENDING_PAYMENT,), "paid with a delayed method")
        return False

    paid = {"paid_at": utcnow(), "payment_intent_id": session.payment_intent}
    if order.status in STOCK_HELD:
        if not transition(order, OrderStatus.PAID, STOCK_HELD, "payment received", **paid):
            return False
        _confirm_lots(order)
        return True
    if order.status in HOLD_RELEASED:
        return _pay_after_release(order, paid)
    return False


def _confirm_lots(order: Order) -> None:
    """Lots that left sale while the checkout was open are swapped (shop/inventory/lots.py); what cannot be is noted."""
    for problem in confirm_allocation(order.id, utcnow().date()):
        db.session.add(OrderEvent(order_id=order.id, from_status=order.status, to_status=order.status,
                                  note=f"check before packing: {problem}"))
    db.session.flush()


def _pay_after_release(order: Order, paid: dict) -> bool:
    """Paid after the hold was released (e.g. completed after expired): take the stock again if it is there."""
    savepoint = db.session.begin_nested()
    try:
        if not transition(order, OrderStatus.PAID, HOLD_RELEASED, "paid after the hold was released; stock held again", **paid):
            savepoint.rollback()
            return False
        hold_stock(order.quantities, order_id=order.id)
        savepoint.commit()
        return True
    except OutOfStock as shortage:
        savepoint.rollback()
        db.session.refresh(order)
        flag_for_review(order, f"paid after the hold was released, and stock has gone: {shortage}")
        return False


def _record_buyer(order: Order, session: CheckoutSession) -> None:
    changes = {}
    if session.email and not order.email:
        changes["email"] = session.email.strip().lower()[:254]
    if session.payment_intent and not order.payment_intent_id:
        changes["payment_intent_id"] = session.payment_intent
    if session.shipping.line1 and not order.ship_line1:
        a = session.shipping
        changes.update(
            ship_name=a.name[:200], ship_line1=a.line1[:200], ship_line2=a.line2[:200],
            ship_city=a.city[:120], ship_postcode=a.postal_code[:20], ship_country=a.country[:2],
        )
    for key, value in changes.items():
        setattr(order, key, value)
    db.session.flush()


def record_refund(payment_intent: str, amount_refunded: int) -> Order | None:
    order = db.session.scalar(select(Order).where(Order.payment_intent_id == payment_intent))
    if order is None:
        return None
    amount = min(max(amount_refunded, 0), order.total_pence)
    # Only ever upwards, decided by the database: two refund events applied at once must not
    # let the older, smaller total overwrite the newer one.
    raised = db.session.execute(
        update(Order)
        .where(Order.id == order.id, Order.refunded_pence < amount)
        .values(refunded_pence=amount)
        .execution_options(synchronize_session=False)
    ).rowcount
    if raised:
        db.session.add(OrderEvent(order_id=order.id, from_status=order.status, to_status=order.status,
                                  note=f"refunds at the gateway now total {format_money(amount)}"))
        db.session.flush()
    db.session.refresh(order)
    return order


def order_by_token(token: str) -> Order:
    order = db.session.scalar(
        select(Order).where(Order.token == token).options(selectinload(Order.lines).selectinload(OrderLine.lot_allocations))
    ) if token and len(token) <= 64 else None
    if order is None:
        raise OrderNotFound(token)
    return order


def guides_for(order: Order) -> list[Guide]:
    """Guides for the products bought, less those a care plan's practitioner already chose (listed with the plan)."""
    product_ids = {line.product_id for line in order.lines}
    if not product_ids:
        return []
    chosen = {g.id for g in order.plan_guides}
    return [
        g for g in db.session.scalars(
            select(Guide)
            .join(Guide.products)
            .where(Product.id.in_(product_ids), Guide.published.is_(True))
            .distinct()
            .order_by(Guide.title)
        )
        if g.id not in chosen
    ]


def record_order_confirmation(order: Order) -> None:
    """Record the confirmation once per order, in the caller's transaction (the one making it paid).

    `confirmation_sent_at` is when it was recorded; the worker delivers it.
    """
    if not order.email:
        log.warning("order %s has no email address; no confirmation sent", order.number)
        return
    won = db.session.execute(
        update(Order)
        .where(Order.id == order.id, Order.confirmation_sent_at.is_(None))
        .values(confirmation_sent_at=utcnow())
    ).rowcount
    if not won:
        return
    context = confirmation_context(order, guides_for(order))
    record_message(
        order.email,
        f"Your order {order.number} is confirmed",
        render_template("email/order_confirmation.txt", **context),
        render_template("email/order_confirmation.html", **context),
        kind="order_confirmation",
        about=order,
    )

