"""A lot's status: which lots may be sold today, and the changes that take a lot off sale or put it back.

Expired and short-dated lots (fewer days left than the minimum shelf life) are withdrawn by the
worker's daily job and by any hold that finds them first; a quarantine takes a lot off sale while
it is looked into. Each change locks the size's row first (see ledger.py), is conditional on the
status it saw, and writes a movement for the sellable stock it changes (the lot's units stay).
"""
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select, update

from shop.clock import utcnow
from shop.extensions import db
from shop.inventory.ledger import lock_size, move
from shop.inventory.models import LOT_STATUSES, Lot


def today() -> date:
    return utcnow().date()


def min_shelf_life_days() -> int:
    return int(current_app.config.get("MIN_SHELF_LIFE_DAYS", 30))


def sellable_from(on: date) -> date:
    """The earliest expiry date still sold on `on`: fewer days left than the minimum shelf life is short-dated."""
    return on + timedelta(days=min_shelf_life_days())


# --- withdrawing what must not be sold ------------------------------------------------------

@dataclass
class Withdrawal:
    lot: Lot
    status: str  # expired | short_dated
    units: int


def withdraw_stale_lots(on: date, variant_ids=None) -> list[Withdrawal]:
    """Take expired and short-dated lots out of sale, each with a movement; tell admins once.

    A lot whose expiry date has passed becomes expired; one with fewer days left than the minimum
    shelf life becomes short-dated. Conditional on the lot still being sellable, so two callers
    (the daily job, a checkout) withdraw it once.
    """
    stmt = select(Lot.id, Lot.variant_id, Lot.expires_on).where(
        Lot.status == "sellable", Lot.expires_on.is_not(None), Lot.expires_on < sellable_from(on))
    if variant_ids is not None:
        stmt = stmt.where(Lot.variant_id.in_(list(variant_ids)))
    done = []
    for lot_id, variant_id, expires_on in db.session.execute(stmt.order_by(Lot.variant_id, Lot.id)).all():
        status = "expired" if expires_on < on else "short_dated"
        lock_size(variant_id)
        units = db.session.execute(
            update(Lot).where(Lot.id == lot_id, Lot.status == "sellable").values(status=status)
            .returning(Lot.on_hand).execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        if units is None:
            continue
        if units:
            note = f"expired on {expires_on:%d %b %Y}" if status == "expired" else \
                f"expires {expires_on:%d %b %Y}, inside the {min_shelf_life_days()}-day minimum shelf life"
            if move(variant_id, -units, status, lot_id=lot_id, lot_delta=0, note=note) is None:
                raise RuntimeError(f"size {variant_id}: lot {lot_id} holds more than the size's stock on hand")
        done.append(Withdrawal(db.session.get(Lot, lot_id), status, units))
    if done:
        _tell_admins_withdrawn(done, on)
    return done


def _tell_admins_withdrawn(done: list[Withdrawal], on: date) -> None:
    from flask import render_template

    from shop.inventory.ledger import admin_emails
    from shop.messages.outbox import links_to_the_shop, record_message

    with links_to_the_shop():
        text = render_template("email/lots_withdrawn.txt", withdrawals=done, on=on, days=min_shelf_life_days())
    for email in admin_emails():
        record_message(email, f"Withdrawn from sale: {len(done)} lot(s) expired or short-dated", text,
                       kind="lots_withdrawn", about=done[0].lot)


def expiring_within(on: date, days: int = 90) -> list[Lot]:
    """Lots with units on the shelf whose expiry date falls in the next `days` days (for the digest)."""
    return list(db.session.scalars(
        select(Lot).where(Lot.on_hand > 0, Lot.expires_on.is_not(None), Lot.expires_on >= on,
                          Lot.expires_on <= on + timedelta(days=days), Lot.status.in_(("sellable", "short_dated")))
        .order_by(Lot.expires_on, Lot.id)
    ))

# --- quarantine: off sale while someone looks into it -----------------------------------------

class LotStatusError(ValueError):
    status = 409


def quarantine_lot(lot_id: int, note: str, *, actor, on: date) -> Lot:
    """Take a lot off sale while it is looked into (a damaged delivery, a query from the supplier), or put a
    quarantined lot back on sale. One movement either way; audited; commits."""
    return _change_status(lot_id, "quarantined", note, actor=actor, on=on)


def release_lot(lot_id: int, note: str, *, actor, on: date) -> Lot:
    return _change_status(lot_id, "sellable", note, actor=actor, on=on)


def _change_status(lot_id: int, to: str, note: str, *, actor, on: date) -> Lot:
    from shop.audit.services import record_audit

    lot = db.session.get(Lot, lot_id)
    if lot is None:
        raise LotStatusError("There is no such lot.")
    lock_size(lot.variant_id)  # the size first, then its lot
    db.session.refresh(lot)
    allowed = {"quarantined": ("sellable", "short_dated"), "sellable": ("quarantined",)}[to]
    if lot.status not in allowed:
        raise LotStatusError(f"Lot {lot.code} is {lot.status_label.lower()}: it cannot be "
                             + ("quarantined." if to == "quarantined" else "put back on sale."))
    if to == "sellable" and lot.expires_on is not None and lot.expires_on < sellable_from(on):
        raise LotStatusError(f"Lot {lot.code} expires on {lot.expires_on:%d %b %Y}, inside the minimum shelf life: "
                             "it cannot go back on sale.")
    before = lot.status
    db.session.execute(update(Lot).where(Lot.id == lot.id).values(status=to).execution_options(synchronize_session=False))
    sellable_change = lot.on_hand if to == "sellable" else (-lot.on_hand if before == "sellable" else 0)
    reason = "released_to_sale" if to == "sellable" else "quarantined"
    if sellable_change:
        move(lot.variant_id, sellable_change, reason, lot_id=lot.id, lot_delta=0, user_id=actor.id,
             note=(note or "").strip()[:500])
    db.session.refresh(lot)
    record_audit(actor, f"lot.{reason}", lot, {"status": before}, {"status": to},
                 summary=f"lot {lot.code} of {lot.variant.sku}: {LOT_STATUSES[before].lower()} → {LOT_STATUSES[to].lower()}"
                         + (f": {note.strip()[:200]}" if (note or "").strip() else ""))
    db.session.commit()
    return lot
