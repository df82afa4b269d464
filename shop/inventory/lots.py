"""Lots: every unit on the shelf belongs to one, and units leave lots earliest expiry first.

Why allocate when the hold is taken rather than at payment: the held units leave sellable
stock at checkout, so choosing their lots in that same transaction keeps "the sellable lots of
a size add up to its stock on hand" true after every commit, and a released hold puts each
unit back in the lot it came from. Allocating only at payment would leave held units in no
lot for up to 30 minutes, and a recall or expiry in that window could take away units already
promised. Payment then only checks the allocation (`confirm_allocation`): units whose lot left
sale while the checkout was open are swapped for sellable ones.

Every function joins the caller's transaction and never commits.
"""
from datetime import date

from sqlalchemy import case, select, update

from shop.catalog.models import Variant
from shop.extensions import db
from shop.inventory.ledger import lock_size, move, stock_changed
from shop.inventory.models import Lot, LotAllocation, StockMovement
# Dates and status changes live in lot_status.py; the names are here too, where callers look for lot rules.
from shop.inventory.lot_status import (  # noqa: F401
    LotStatusError, Withdrawal, expiring_within, min_shelf_life_days, quarantine_lot, release_lot, sellable_from, today,
    withdraw_stale_lots)

FEFO = (case((Lot.expires_on.is_(None), 1), else_=0), Lot.expires_on, Lot.received_on, Lot.id)


class LotShortage(Exception):
    """The size's sellable lots hold fewer units than its stock on hand says (never in a consistent ledger)."""


def fefo_lots(variant_id: int) -> list[Lot]:
    """The size's sellable lots with units, in the order they are allocated: earliest expiry first,
    lots with no expiry date last (a product that keeps over 30 months), then the oldest delivery."""
    return list(db.session.scalars(
        select(Lot).where(Lot.variant_id == variant_id, Lot.status == "sellable", Lot.on_hand > 0)
        .order_by(*FEFO).execution_options(populate_existing=True)
    ))


def lots_of(variant_id: int) -> list[Lot]:
    """Every lot of the size, sellable ones first in the order they are sold, then the rest."""
    return list(db.session.scalars(select(Lot).where(Lot.variant_id == variant_id)
                                   .order_by(case((Lot.status == "sellable", 0), else_=1), *FEFO)))


def next_lots(variant_ids) -> dict[int, Lot]:
    """The lot each size would be allocated from next (for "at least N months before expiry")."""
    ids = list(variant_ids)
    if not ids:
        return {}
    found: dict[int, Lot] = {}
    for lot in db.session.scalars(select(Lot).where(Lot.variant_id.in_(ids), Lot.status == "sellable", Lot.on_hand > 0)
                                  .order_by(Lot.variant_id, *FEFO)):
        found.setdefault(lot.variant_id, lot)
    return found


def months_left(lot: Lot, on: date) -> int | None:
    """Whole months of life left (rounded down), or None when the lot has no expiry date."""
    if lot.expires_on is None:
        return None
    return max((lot.expires_on - on).days, 0) // 30


def shelf_life(variant_ids, on: date) -> dict[int, str]:
    """Per size, what a buyer is promised from the lot allocated next: "At least 14 months before expiry"."""
    said = {}
    for variant_id, lot in next_lots(variant_ids).items():
        months = months_left(lot, on)
        if months is not None:
            said[variant_id] = (f"At least {months} month{'s' if months != 1 else ''} before expiry" if months
                                else f"Best before {lot.expires_on:%d %b %Y}")
        elif lot.pao_months:
            said[variant_id] = f"Keeps over 30 months; use within {lot.pao_months} months of opening"
    return said


def opening_lot(variant_id: int, on: date) -> Lot:
    """The lot for units whose batch nobody recorded: stock from before lots, holds taken before
    them. One per size, code OPENING-<date>, no expiry known."""
    lot = db.session.scalar(select(Lot).where(Lot.variant_id == variant_id, Lot.code.like("OPENING-%")).order_by(Lot.id))
    if lot is None:
        lot = Lot(variant_id=variant_id, code=f"OPENING-{on.isoformat()}", received_on=on, quantity_received=0,
                  on_hand=0, status="sellable", supplier="", delivery_ref="")
        db.session.add(lot)
        db.session.flush()
    return lot


def add_to_lot(lot: Lot, units: int, reason: str, *, order_id=None, user_id=None, note="") -> int | None:
    """Units onto a lot's shelf: into sellable stock too while the lot is sellable. The size's row is locked first."""
    lock_size(lot.variant_id)
    db.session.refresh(lot, ["status"])
    sellable = units if lot.status == "sellable" else 0
    return move(lot.variant_id, sellable, reason, lot_id=lot.id, lot_delta=units, order_id=order_id,
                user_id=user_id, note=note)


def take_from_lot(lot: Lot, units: int, reason: str, *, order_id=None, user_id=None, note="") -> int | None:
    """Units off a lot's shelf (damaged, written off, counted short). None if the lot has fewer."""
    lock_size(lot.variant_id)
    db.session.refresh(lot, ["status", "on_hand"])
    if lot.on_hand < units:
        return None
    sellable = -units if lot.status == "sellable" else 0
    return move(lot.variant_id, sellable, reason, lot_id=lot.id, lot_delta=-units, order_id=order_id,
                user_id=user_id, note=note)


# --- holds: the allocation ------------------------------------------------------------------

def hold_from_lots(variant_id: int, wanted: int, *, order_id: int) -> bool:
    """Take `wanted` of the size with one conditional update, then allocate them to lots, FEFO.

    False if the size has fewer on sale (nothing taken). Each lot's units leave it with one
    movement and are recorded against the order's lines of that size.
    """
    from shop.orders.models import OrderLine

    row = db.session.execute(
        update(Variant).where(Variant.id == variant_id, Variant.stock_on_hand >= wanted)
        .values(stock_on_hand=Variant.stock_on_hand - wanted)
        .returning(Variant.stock_on_hand, Variant.low_stock_threshold)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if row is None:
        return False
    after, threshold = row
    # The size's row is locked now: its sellable lots cannot change under us until we commit.
    lines = [[line_id, quantity] for line_id, quantity in db.session.execute(
        select(OrderLine.id, OrderLine.quantity).where(OrderLine.order_id == order_id, OrderLine.variant_id == variant_id)
        .order_by(OrderLine.id))]
    if _allocate(variant_id, lines, wanted, after + wanted, order_id=order_id, reason="hold"):
        raise LotShortage(f"size {variant_id}: units in stock on hand are in no sellable lot")
    stock_changed(variant_id, after + wanted, after, threshold)
    return True


def _allocate(variant_id: int, lines: list[list[int]], need: int, stock: int, *, order_id: int, reason: str) -> int:
    """Take `need` units (already taken off the size's stock, which was `stock`) from its sellable lots,
    FEFO, one movement per lot; record them against `lines`. Returns the units no lot could give."""
    for lot in fefo_lots(variant_id):
        if need == 0:
            break
        take = min(need, lot.on_hand)
        lot_after = _take_units(lot.id, take)
        if lot_after is None:
            continue
        stock -= take
        need -= take
        db.session.add(StockMovement(variant_id=variant_id, delta=-take, stock_after=stock, lot_id=lot.id,
                                     lot_delta=-take, lot_after=lot_after, reason=reason, order_id=order_id))
        _record_allocation(lines, lot.id, take)
    return need


def confirm_allocation(order_id: int, on: date) -> list[str]:
    """At payment: units allocated from a lot that left sale while the checkout was open (recalled,
    quarantined, expired, short-dated) are swapped for sellable units, earliest expiry first, and go
    back onto their own lot (off sale). Returns what could not be swapped, for the order's history."""
    from shop.orders.models import OrderLine

    problems = []
    for allocation in allocations_of(order_id):
        lot = allocation.lot
        db.session.refresh(lot, ["status"])
        if lot.status == "sellable":
            continue
        variant_id = db.session.scalar(select(OrderLine.variant_id).where(OrderLine.id == allocation.order_line_id))
        withdraw_stale_lots(on, [variant_id])
        units = allocation.quantity - allocation.returned - allocation.written_off
        row = db.session.execute(
            update(Variant).where(Variant.id == variant_id, Variant.stock_on_hand >= units)
            .values(stock_on_hand=Variant.stock_on_hand - units)
            .returning(Variant.stock_on_hand, Variant.low_stock_threshold).execution_options(synchronize_session=False)
        ).one_or_none()
        if row is None:
            problems.append(f"lot {lot.code} is {lot.status_label.lower()} and there is no other stock to send instead")
            continue
        after, threshold = row
        if _allocate(variant_id, [[allocation.order_line_id, units]], units, after + units, order_id=order_id,
                     reason="reallocated"):
            raise LotShortage(f"size {variant_id}: units in stock on hand are in no sellable lot")
        move(variant_id, 0, "reallocated", lot_id=lot.id, lot_delta=units, order_id=order_id,
             note=f"swapped at payment: lot {lot.code} is {lot.status_label.lower()}")
        db.session.delete(allocation)
        stock_changed(variant_id, after + units, after, threshold)
    db.session.flush()
    return problems


def _take_units(lot_id: int, units: int) -> int | None:
    return db.session.execute(
        update(Lot).where(Lot.id == lot_id, Lot.status == "sellable", Lot.on_hand >= units)
        .values(on_hand=Lot.on_hand - units).returning(Lot.on_hand).execution_options(synchronize_session=False)
    ).scalar_one_or_none()


def _record_allocation(lines: list[list[int]], lot_id: int, units: int) -> None:
    """Spread `units` from one lot over the lines still waiting for theirs, in line order."""
    for entry in lines:
        if units == 0:
            return
        line_id, waiting = entry
        if waiting == 0:
            continue
        take = min(waiting, units)
        existing = db.session.scalar(select(LotAllocation).where(LotAllocation.order_line_id == line_id,
                                                                 LotAllocation.lot_id == lot_id))
        if existing:
            existing.quantity += take
        else:
            db.session.add(LotAllocation(order_line_id=line_id, lot_id=lot_id, quantity=take))
        entry[1] -= take
        units -= take
    # Units beyond the order's lines (only a hold made without lines, in tests) are recorded in the
    # movements alone; releasing them puts them in the opening lot.


def allocations_of(order_id: int) -> list[LotAllocation]:
    from shop.orders.models import OrderLine

    return list(db.session.scalars(
        select(LotAllocation).join(OrderLine, OrderLine.id == LotAllocation.order_line_id)
        .where(OrderLine.order_id == order_id).order_by(OrderLine.variant_id, LotAllocation.id)
    ))


def release_from_lots(quantities: dict[int, int], *, order_id: int, note: str = "") -> None:
    """Give a released hold back, each unit to the lot it came from (on sale only if that lot still is).

    Units the order holds with no allocation (held before lots existed) go to the size's opening lot.
    """
    from shop.orders.models import OrderLine

    by_size: dict[int, list[LotAllocation]] = {}
    for allocation in allocations_of(order_id):
        variant_id = db.session.scalar(select(OrderLine.variant_id).where(OrderLine.id == allocation.order_line_id))
        by_size.setdefault(variant_id, []).append(allocation)
    for variant_id in sorted(quantities):
        left = quantities[variant_id]
        for allocation in by_size.get(variant_id, []):
            units = min(allocation.quantity, left)
            if units:
                add_to_lot(allocation.lot, units, "release", order_id=order_id, note=note)
                left -= units
            db.session.delete(allocation)
        if left > 0:
            add_to_lot(opening_lot(variant_id, today()), left, "release", order_id=order_id, note=note)
    db.session.flush()


def return_to_lots(variant_id: int, units: int, *, order_id: int | None, user_id=None, note="",
                   write_off: bool = False) -> None:
    """Units of one size back from an order: each into a lot it was allocated from (the lot's status
    decides whether it is on sale again), or written off against those lots. Units the order got
    before lots existed go to the opening lot, or are only counted when written off."""
    from shop.orders.models import OrderLine

    allocations = [] if order_id is None else list(db.session.scalars(
        select(LotAllocation).join(OrderLine, OrderLine.id == LotAllocation.order_line_id)
        .where(OrderLine.order_id == order_id, OrderLine.variant_id == variant_id)
        .order_by(LotAllocation.id.desc())
    ))
    for allocation in allocations:
        room = allocation.quantity - allocation.returned - allocation.written_off
        take = min(room, units)
        if take <= 0:
            continue
        if write_off:
            allocation.written_off += take
        else:
            allocation.returned += take
            add_to_lot(allocation.lot, take, "returned", order_id=order_id, user_id=user_id, note=note)
        units -= take
        if units == 0:
            break
    if units and not write_off:
        add_to_lot(opening_lot(variant_id, today()), units, "returned", order_id=order_id, user_id=user_id, note=note)
    db.session.flush()


def written_off_units(order_id: int) -> dict[int, int]:
    """Units of each size of this order written off on refund (counted against their lots)."""
    from sqlalchemy import func

    from shop.orders.models import OrderLine

    rows = db.session.execute(
        select(OrderLine.variant_id, func.sum(LotAllocation.written_off))
        .join(OrderLine, OrderLine.id == LotAllocation.order_line_id)
        .where(OrderLine.order_id == order_id).group_by(OrderLine.variant_id)
    ).all()
    return {variant_id: int(total or 0) for variant_id, total in rows if total}
