"""Refunds from the back office: through the payment gateway first, then recorded here.

Nothing is written unless the gateway says the refund happened. Each refund form carries an
attempt token; the gateway's idempotency key is made from it, so submitting the same form
twice (a double click, a retry after a timeout) refunds once.
"""
import re

from sqlalchemy import func, select

from shop.audit.services import record_audit
from shop.extensions import db
from shop.inventory.models import StockMovement
from shop.inventory.lots import written_off_units
from shop.inventory.services import return_to_stock
from shop.money import format_money
from shop.orders.models import REFUND_REASONS, Order, OrderEvent, OrderRefund
from shop.orders.services import record_refund
from shop.orders.status import MONEY_TAKEN
from shop.payments.gateway import Gateway

ATTEMPT = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class RefundError(ValueError):
    """The refund was refused before reaching the gateway; nothing changed. `field`: the input it is about."""

    status = 422

    def __init__(self, message: str = "", field: str = ""):
        super().__init__(message)
        self.field = field


def refunds_of(order_id: int) -> list[OrderRefund]:
    return list(db.session.scalars(select(OrderRefund).where(OrderRefund.order_id == order_id).order_by(OrderRefund.id)))


def returned_units(order_id: int) -> dict[int, int]:
    """Units of each variant already back from this order: put on the shelf again or written off."""
    rows = db.session.execute(
        select(StockMovement.variant_id, func.sum(StockMovement.lot_delta))
        .where(StockMovement.order_id == order_id, StockMovement.reason == "returned")
        .group_by(StockMovement.variant_id)
    ).all()
    back = {variant_id: int(total) for variant_id, total in rows}
    for variant_id, units in written_off_units(order_id).items():
        back[variant_id] = back.get(variant_id, 0) + units
    return back


def refund_order(order_id: int, amount_pence: int, reason: str, note: str, restock: dict[int, int], attempt: str,
                 *, gateway: Gateway, actor, write_off: bool = False) -> tuple[OrderRefund, bool]:
    """Refund `amount_pence` of a paid order and optionally take units back.

    `restock` maps variant id to units returned: into the lots they came from, or, with
    `write_off` (opened cosmetics are not resold), counted against those lots and destroyed. Returns (the refund, True if this call made it);
    the same attempt again returns the first refund and False. Raises RefundError for a refusal
    of ours, PaymentError when the gateway refuses or cannot be reached (nothing is recorded).
    """
    try:
        record, made = _refund(order_id, amount_pence, reason, note, restock, attempt, gateway, actor, write_off)
    except Exception:
        db.session.rollback()  # a refusal leaves nothing behind, and lets go of the order's row lock
        raise
    return record, made


def _tell_the_customer(order: Order, record: "OrderRefund") -> None:
    """Only the call that made the refund records the email, in the refund's own transaction: once, never lost."""
    if not order.email:
        return
    from flask import render_template, url_for

    from shop.messages.outbox import record_message

    context = {"order": order, "refund": record, "order_url": url_for("checkout.order_page", token=order.token, _external=True)}
    record_message(order.email, f"We've refunded part of order {order.number}" if order.refunded_pence < order.total_pence
                   else f"We've refunded order {order.number}", render_template("email/order_refunded.txt", **context),
                   kind="order_refunded", about=order)


def _refund(order_id, amount_pence, reason, note, restock, attempt, gateway, actor, write_off=False):
    if not ATTEMPT.match(attempt or ""):
        raise RefundError("This refund form is out of date. Please open the order again.")
    key = f"order-{order_id}-refund-{attempt}"
    # One refund of an order at a time: the row lock makes a second admin wait and see the new total.
    order = db.session.scalar(select(Order).where(Order.id == order_id).with_for_update(of=Order))  # not the joined invoice
    if order is None:
        raise RefundError("There is no such order.")
    done = db.session.scalar(select(OrderRefund).where(OrderRefund.idempotency_key == key))
    if done is not None:
        db.session.rollback()
        return done, False

    note = (note or "").strip()
    remaining = order.total_pence - order.refunded_pence
    if order.status not in MONEY_TAKEN or not order.payment_intent_id:
        raise RefundError(f"Order {order.number} has not been paid, so there is nothing to refund.")
    if reason not in REFUND_REASONS:
        raise RefundError("Choose a reason for the refund from the list.", "refund-reason")
    if len(note) > 500:
        raise RefundError("Keep the note under 500 characters.", "refund-note")
    if not isinstance(amount_pence, int) or amount_pence <= 0:
        raise RefundError("Enter an amount to refund, more than £0.00.", "amount")
    if remaining <= 0:
        raise RefundError(f"Order {order.number} has already been refunded in full.")
    if amount_pence > remaining:
        raise RefundError(
            f"You can refund at most {format_money(remaining)} on order {order.number}: "
            f"it was paid {format_money(order.total_pence)} and {format_money(order.refunded_pence)} is already refunded.",
            "amount",
        )
    bought = order.quantities
    returned = returned_units(order.id)
    restock = {vid: units for vid, units in (restock or {}).items() if units}
    for variant_id, units in restock.items():
        left = bought.get(variant_id, 0) - returned.get(variant_id, 0)
        if variant_id not in bought or units < 0 or units > left:
            raise RefundError(f"You can return at most {max(left, 0)} of that size to stock from this order.", f"return-{variant_id}")

    # The gateway first: if it refuses, nothing here changes (PaymentError goes to the caller).
    refund = gateway.refund(order.payment_intent_id, amount_pence, reason, key)

    record = db.session.scalar(select(OrderRefund).where(OrderRefund.gateway_refund_id == refund.id))
    if record is not None:  # the gateway replayed a refund we already recorded under this key
        db.session.rollback()
        return record, False
    before = {"refunded_pence": order.refunded_pence, "status": order.status}
    record = OrderRefund(order_id=order.id, gateway_refund_id=refund.id, idempotency_key=key, amount_pence=refund.amount,
                         reason=reason, note=note, units_returned=sum(restock.values()), created_by_id=actor.id)
    db.session.add(record)
    db.session.flush()
    total = db.session.scalar(select(func.sum(OrderRefund.amount_pence)).where(OrderRefund.order_id == order.id))
    record_refund(order.payment_intent_id, max(total, order.refunded_pence + refund.amount))
    if restock:
        return_to_stock(restock, order_id=order.id, user_id=actor.id, note=f"refund {refund.id}", write_off=write_off)
    db.session.add(OrderEvent(order_id=order.id, from_status=order.status, to_status=order.status,
                              note=f"refunded {format_money(refund.amount)} ({REFUND_REASONS[reason].lower()})"
                                   + (f", {sum(restock.values())} unit(s) {'written off' if write_off else 'back in stock'}" if restock else "")
                                   + (f": {note}" if note else "")))
    db.session.refresh(order)
    skus = {line.variant_id: line.sku for line in order.lines}
    record_audit(actor, "order.refund", order, before,
                 {"refunded_pence": order.refunded_pence, "status": order.status, "refund": refund.id,
                  ("written_off" if write_off else "returned_to_stock"):
                      [f"{units} × {skus.get(vid, vid)}" for vid, units in sorted(restock.items())]},
                 summary=f"refunded {format_money(refund.amount)} on {order.number}")
    _tell_the_customer(order, record)
    db.session.commit()
    return record, True
