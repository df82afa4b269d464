"""Finding a lot, who received it, and recalling it.

A recall takes what is left of the lot out of sale at once (with a movement) and records one
notice per customer who received it, through the outbox, in the same transaction. The unique
(lot, email) key on recall_notices makes "once" hold however often the recall is pressed.
"""
from dataclasses import dataclass, field
from datetime import datetime

from flask import render_template, url_for
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import contains_eager

from shop.audit.services import record_audit
from shop.catalog.models import Product, Variant
from shop.clock import utcnow
from shop.extensions import db
from shop.inventory.ledger import lock_size, move
from shop.inventory.models import Lot, LotAllocation
from shop.messages.outbox import record_message
from shop.orders.models import Order, OrderLine
from shop.orders.status import GOODS_SOLD
from shop.problems import Problem
from shop.recalls.models import RecallNotice


class RecallError(ValueError):
    status = 422

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.problem = Problem(message, field)


def find_lots(q: str = "", limit: int = 200) -> list[Lot]:
    """Lots whose code, SKU or product name contains `q`, newest delivery first."""
    stmt = select(Lot).join(Variant, Variant.id == Lot.variant_id).join(Product, Product.id == Variant.product_id)
    q = (q or "").strip()
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(or_(func.lower(Lot.code).like(like), func.lower(Variant.sku).like(like),
                              func.lower(Product.name).like(like)))
    return list(db.session.scalars(stmt.options(contains_eager(Lot.variant).contains_eager(Variant.product))
                                   .order_by(Lot.received_on.desc(), Lot.id.desc()).limit(limit)))


def lot_by_code(product_id: int, code: str) -> Lot | None:
    """The product's lot with this code as printed (any size), if we have it."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return db.session.scalar(select(Lot).join(Variant, Variant.id == Lot.variant_id)
                             .where(Variant.product_id == product_id, Lot.code == code).order_by(Lot.id))


@dataclass
class Recipient:
    order: Order
    line: OrderLine
    quantity: int


def recipients_of(lot_id: int) -> list[Recipient]:
    """Every order line that received units of the lot (paid orders), oldest first."""
    rows = db.session.execute(
        select(Order, OrderLine, LotAllocation.quantity)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(LotAllocation, LotAllocation.order_line_id == OrderLine.id)
        .where(LotAllocation.lot_id == lot_id, Order.status.in_(GOODS_SOLD))
        .order_by(Order.paid_at, Order.id, OrderLine.id)
    ).all()
    return [Recipient(order, line, quantity) for order, line, quantity in rows]


def notices_of(lot_id: int) -> list[RecallNotice]:
    return list(db.session.scalars(select(RecallNotice).where(RecallNotice.lot_id == lot_id).order_by(RecallNotice.id)))


@dataclass
class RecallResult:
    lot: Lot
    withdrawn: int = 0
    told: list[str] = field(default_factory=list)
    nobody_bought: bool = False


def recall_lot(lot_id: int, instructions: str, *, actor, now: datetime | None = None) -> RecallResult:
    """Recall the lot: out of sale now, and every customer who received it told once, saying what to do."""
    now = now or utcnow()
    instructions = (instructions or "").strip()
    lot = db.session.get(Lot, lot_id)
    if lot is None:
        raise RecallError("There is no such lot.")
    if not instructions:
        raise RecallError("Say what customers should do (stop using it, return it, where to ask).", "instructions")
    if len(instructions) > 2000:
        raise RecallError("Keep the instructions under 2,000 characters.", "instructions")
    lock_size(lot.variant_id)  # the size first, then its lot (see shop/inventory/ledger.py)
    db.session.refresh(lot)
    before = {"status": lot.status}
    result = RecallResult(lot)
    db.session.execute(update(Lot).where(Lot.id == lot.id).values(
        status="recalled", recalled_at=lot.recalled_at or now, recall_reason=instructions)
        .execution_options(synchronize_session=False))
    if before["status"] == "sellable" and lot.on_hand:
        move(lot.variant_id, -lot.on_hand, "recalled", lot_id=lot.id, lot_delta=0, user_id=actor.id,
             note=f"lot {lot.code} recalled")
        result.withdrawn = lot.on_hand
    db.session.refresh(lot)
    recipients = recipients_of(lot.id)
    result.nobody_bought = not recipients
    told = {n.email for n in notices_of(lot.id)}
    for recipient in recipients:
        email = (recipient.order.email or "").lower()
        if not email or email in told:
            continue
        told.add(email)
        message = record_message(email, f"Product recall: {lot.variant.product.name}, lot {lot.code}",
                                 render_template("email/lot_recall.txt", lot=lot, order=recipient.order,
                                                 line=recipient.line, quantity=recipient.quantity, instructions=instructions,
                                                 order_url=url_for("checkout.order_page", token=recipient.order.token,
                                                                   _external=True)),
                                 kind="lot_recall", about=lot, now=now)
        db.session.flush()
        db.session.add(RecallNotice(lot_id=lot.id, email=email, order_id=recipient.order.id, message_id=message.id,
                                    created_at=now))
        result.told.append(email)
    record_audit(actor, "lot.recall", lot, before, {"status": "recalled"},
                 summary=f"recalled lot {lot.code} of {lot.variant.sku}: {result.withdrawn} unit(s) off sale, "
                         f"{len(result.told)} customer(s) told" + (" (nobody bought it)" if result.nobody_bought else ""))
    db.session.commit()
    return result


def recipients_csv(lot: Lot) -> str:
    """Who received the lot, for the authorities: order, date, customer, quantity."""
    import csv
    import io

    from shop.csvsafe import cell

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["lot", "sku", "product", "order", "paid", "customer", "email", "postcode", "quantity", "told of recall"])
    told = {n.email: n.created_at for n in notices_of(lot.id)}
    for r in recipients_of(lot.id):
        o = r.order
        writer.writerow([cell(x) for x in (lot.code, r.line.sku, r.line.product_name, o.number,
                                           f"{o.paid_at:%Y-%m-%d}" if o.paid_at else "", o.ship_name, o.email or "",
                                           o.ship_postcode, r.quantity,
                                           f"{told[o.email]:%Y-%m-%d %H:%M}" if o.email in told else "")])
    return out.getvalue()
