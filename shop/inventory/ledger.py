"""The one place a size's stock or a lot's on-hand changes, always with a movement.

Two numbers move together: the size's sellable stock (`Variant.stock_on_hand`, what holds take
from with one conditional update) and a lot's on-hand. A lot's units count in the size's stock
only while the lot is sellable, so a change to a sellable lot moves both and a change to a lot
off sale (quarantined, recalled, expired, short-dated) moves only the lot.

Lock order, everywhere: the size's row first, then its lots. Every change of a lot goes through
here after its size's row is locked (the conditional update on `variants` locks it), so two
changes to one size queue behind each other and never deadlock; a lot read after that lock is
current, because every writer of that size's lots holds it.
"""
from sqlalchemy import select, update

from shop.catalog.models import Variant
from shop.clock import utcnow
from shop.extensions import db
from shop.inventory.models import Lot, LowStockAlert, StockMovement


def lock_size(variant_id: int) -> int | None:
    """Lock the size's row (PostgreSQL; SQLite has one writer anyway); returns its stock on hand."""
    return db.session.scalar(
        select(Variant.stock_on_hand).where(Variant.id == variant_id).with_for_update()
        .execution_options(populate_existing=True)
    )


def move(variant_id: int, delta: int, reason: str, *, lot_id: int | None = None, lot_delta: int = 0,
         order_id=None, user_id=None, note="") -> int | None:
    """Apply `delta` to the size's stock and `lot_delta` to the lot, if neither goes below zero; record
    the movement. Returns the size's new stock, or None if refused (the caller rolls back: the size's
    part may already be applied)."""
    if delta:
        stmt = (
            update(Variant).where(Variant.id == variant_id)
            .values(stock_on_hand=Variant.stock_on_hand + delta)
            .returning(Variant.stock_on_hand, Variant.low_stock_threshold)
            .execution_options(synchronize_session=False)
        )
        if delta < 0:
            stmt = stmt.where(Variant.stock_on_hand >= -delta)
        row = db.session.execute(stmt).one_or_none()
        if row is None:
            return None
        after, threshold = row
    else:
        after, threshold = lock_size(variant_id), None
        if after is None:
            return None
    lot_after = None
    if lot_id is not None:
        lot_after = change_lot(lot_id, lot_delta)
        if lot_after is None:
            return None
    if delta:
        stock_changed(variant_id, after - delta, after, threshold)
    db.session.add(StockMovement(
        variant_id=variant_id, delta=delta, stock_after=after, lot_id=lot_id, lot_delta=lot_delta,
        lot_after=lot_after, reason=reason, order_id=order_id, user_id=user_id, note=note,
    ))
    return after


def change_lot(lot_id: int, lot_delta: int) -> int | None:
    """The lot's new on-hand, or None if it would go below zero."""
    stmt = (
        update(Lot).where(Lot.id == lot_id).values(on_hand=Lot.on_hand + lot_delta)
        .returning(Lot.on_hand).execution_options(synchronize_session=False)
    )
    if lot_delta < 0:
        stmt = stmt.where(Lot.on_hand >= -lot_delta)
    return db.session.execute(stmt).scalar_one_or_none()


def stock_changed(variant_id: int, before: int, after: int, threshold: int | None) -> None:
    """What a change of sellable stock sets off, in its own transaction: the low-stock alert, back-in-stock notices."""
    if threshold is None:
        threshold = db.session.scalar(select(Variant.low_stock_threshold).where(Variant.id == variant_id))
    if before > threshold >= after:  # down through the threshold: once per crossing
        _alert_low_stock(variant_id, after, threshold)
    if before <= 0 < after:  # sellable again: whoever asked hears, with this change
        from shop.notices.services import notify_back_in_stock

        notify_back_in_stock(variant_id)


def _alert_low_stock(variant_id: int, after: int, threshold: int) -> None:
    """Tell every admin, with the change that crossed the threshold (committed with it, or not at all)."""
    from flask import render_template

    from shop.messages.outbox import links_to_the_shop, record_message

    alert = LowStockAlert(variant=db.session.get(Variant, variant_id), stock_after=after, threshold=threshold,
                          sent_at=utcnow())
    db.session.add(alert)
    with links_to_the_shop():
        text = render_template("email/low_stock.txt", alerts=[alert])
    for email in admin_emails():
        record_message(email, f"Low stock: {alert.variant.sku}", text, kind="low_stock", about=alert.variant)


def admin_emails() -> list[str]:
    from shop.accounts.models import User

    return list(db.session.scalars(select(User.email).where(User.role == "admin").order_by(User.id)))
