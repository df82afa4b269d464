"""Stock for the rest of the shop: holds, releases, deliveries, adjustments, returns.

Every change goes through ledger.py (the one place a size's stock or a lot's units change, each
with a movement) and lots.py (which lot each unit comes from or goes to). Holds use a conditional update (`... WHERE stock_on_hand >= :q`), so two buyers can never
take the same last unit: the database decides, not a read-then-write in Python. The ledger
functions (hold, release, record) join the caller's transaction and never commit; the back
office's `receive_delivery` and `adjust_stock` are whole operations and commit.

A change that takes a variant down through its low-stock threshold writes a LowStockAlert and
records an email to every admin in the same transaction, once per crossing.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from shop.audit.services import record_audit
from shop.catalog.models import Product, Variant
from shop.extensions import db
from shop.inventory.ledger import lock_size
from shop.inventory.lot_input import read_lot
from shop.inventory.lots import (add_to_lot, fefo_lots, hold_from_lots, opening_lot, release_from_lots, return_to_lots,
                                 take_from_lot, today, withdraw_stale_lots)
from shop.problems import Problem


@dataclass
class Shortage:
    variant_id: int
    name: str
    wanted: int
    available: int


class OutOfStock(Exception):
    """Some lines cannot be held; `shortages` says which and how many are left."""

    def __init__(self, shortages: list[Shortage]):
        self.shortages = shortages
        super().__init__(
            "; ".join(
                f"{s.name}: only {s.available} left" if s.available else f"{s.name}: out of stock" for s in shortages
            )
        )


def _move(variant_id: int, delta: int, reason: str, *, order_id=None, user_id=None, note="") -> int | None:
    """A change of a size's stock with no lot named: units come off its lots earliest expiry first and go
    onto its opening lot (see lots.py). Returns the new level, or None if refused."""
    if delta > 0:
        return add_to_lot(opening_lot(variant_id, today()), delta, reason, order_id=order_id, user_id=user_id, note=note)
    after = None
    need = -delta
    lock_size(variant_id)
    for lot in fefo_lots(variant_id):
        take = min(need, lot.on_hand)
        after = take_from_lot(lot, take, reason, order_id=order_id, user_id=user_id, note=note)
        if after is None:
            return None
        need -= take
        if need == 0:
            return after
    return None


def hold_stock(quantities: dict[int, int], *, order_id: int, on: date | None = None) -> None:
    """Take every quantity or none: raises OutOfStock (and leaves the caller to roll back).

    Each size's expired and short-dated lots leave sale first (if the daily job has not got to
    them yet), so a hold never takes a unit it must not sell; the units held are allocated to
    lots earliest expiry first.
    """
    on = on or today()
    shortages = []
    # A fixed order of row locks: two checkouts holding the same variants never deadlock.
    for variant_id in sorted(quantities):
        withdraw_stale_lots(on, [variant_id])
        wanted = quantities[variant_id]
        if not hold_from_lots(variant_id, wanted, order_id=order_id):
            shortages.append(Shortage(variant_id, "", wanted, 0))
    if shortages:
        _describe(shortages)
        raise OutOfStock(shortages)


def release_stock(quantities: dict[int, int], *, order_id: int, note: str = "") -> None:
    release_from_lots(quantities, order_id=order_id, note=note)


def record_stock(variant_id: int, delta: int, reason: str, *, user_id=None, note="") -> int:
    """Counts and write-offs with no lot named (opening stock in tests and the demo goes onto the
    opening lot). A change that would go below zero is refused."""
    if delta == 0:
        raise ValueError("A stock change must change something.")
    after = _move(variant_id, delta, reason, user_id=user_id, note=note)
    if after is None:
        raise OutOfStock([Shortage(variant_id, "", -delta, 0)])
    return after


def _describe(shortages: list[Shortage]) -> None:
    rows = db.session.execute(
        select(Variant.id, Variant.stock_on_hand, Variant.size_label, Product.name)
        .join(Product)
        .where(Variant.id.in_([s.variant_id for s in shortages]))
    ).all()
    by_id = {r.id: r for r in rows}
    for s in shortages:
        row = by_id.get(s.variant_id)
        if row:
            s.name = f"{row.name} ({row.size_label})"
            s.available = row.stock_on_hand


# --- the back office: deliveries, adjustments, low-stock emails -----------------------------

ADJUSTMENT_REASONS = {
    "count_correction": "Count correction",
    "damaged": "Damaged",
    "expired": "Expired",
    "returned": "Returned",
}
MAX_UNITS_PER_LINE = 100_000


class StockError(ValueError):
    """Bad stock input; `problems` lists every one, each safe to show the admin."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


def _variants_by_sku(skus) -> dict[str, Variant]:
    skus = list(skus)
    if not skus:
        return {}
    return {v.sku: v for v in db.session.scalars(select(Variant).where(Variant.sku.in_(skus)))}


@dataclass
class DeliveryLine:
    """One line of a delivery note: a size, how many, and the lot printed on those containers."""

    sku: str
    units: int | None
    lot: str = ""
    expires: str = ""  # the date of minimum durability, as typed
    made: str = ""  # the manufacture date, as typed (with a period after opening)
    pao: str = ""  # period after opening, in months, as typed


def receive_delivery(lines: list[DeliveryLine], supplier_ref: str, *, actor, supplier: str = "",
                     on: date | None = None) -> list[tuple[Variant, int, int]]:
    """Put a delivery on the shelf, one lot per line: every line or none.

    Returns (variant, units, stock after) per line. A second delivery of a lot already recorded
    adds to it (its expiry must agree). A lot inside the minimum shelf life is received but kept
    off sale (short-dated); an expired one is refused. The supplier's reference goes onto each lot,
    each movement's note and the audit log.
    """
    on = on or today()
    supplier_ref, supplier = (supplier_ref or "").strip(), (supplier or "").strip()
    problems = []
    if not supplier_ref:
        problems.append(Problem("Enter the supplier's delivery reference.", "reference"))
    elif len(supplier_ref) > 80:
        problems.append(Problem("Keep the supplier reference under 80 characters.", "reference"))
    if len(supplier) > 120:
        problems.append(Problem("Keep the supplier's name under 120 characters.", "supplier"))
    merged: dict[tuple[str, str], list] = {}
    for number, line in enumerate(lines, start=1):
        sku = (line.sku or "").strip().upper()
        if not sku:
            problems.append(Problem(f"Line {number}: enter the SKU.", f"sku-{number}"))
            continue
        units = line.units
        if not isinstance(units, int) or units < 1 or units > MAX_UNITS_PER_LINE:
            problems.append(Problem(f"Line {number} ({sku}): the quantity must be a whole number from 1 to {MAX_UNITS_PER_LINE:,}.",
                                    f"qty-{number}"))
            continue
        details, wrong = read_lot(f"Line {number} ({sku})", line.lot, line.expires, line.made, line.pao, on=on)
        problems += [Problem(p, f"lot-{number}") for p in wrong]
        if details is None:
            continue
        key = (sku, details.code)
        if key in merged and merged[key][1] != details:
            problems.append(Problem(f"Line {number} ({sku}): lot {details.code} is on an earlier line with other dates.", f"lot-{number}"))
            continue
        entry = merged.setdefault(key, [0, details, number])
        entry[0] += units
    if not merged and not problems:
        problems.append("Add at least one SKU and quantity.")
    variants = _variants_by_sku({sku for sku, _ in merged})
    problems += [Problem(f"There is no size with SKU “{sku}”.", f"sku-{number}")
                 for (sku, _), (_, _, number) in merged.items() if sku not in variants]
    if problems:
        raise StockError(problems)
    received = []
    for (sku, code), (units, details, number) in merged.items():
        variant = variants[sku]
        before = lock_size(variant.id)
        lot, wrong = receive_lot(variant, details, units, supplier=supplier, delivery_ref=supplier_ref, on=on,
                                 user_id=actor.id, note=f"delivery {supplier_ref}, lot {code}")
        if wrong:
            db.session.rollback()
            raise StockError([Problem(f"Line {number} ({sku}): {wrong}", f"lot-{number}")])
        after = lock_size(variant.id)
        received.append((variant, units, after))
        record_audit(actor, "stock.receive", variant, {"stock_on_hand": before}, {"stock_on_hand": after},
                     summary=f"received {units} × {sku} lot {code} ({lot.expiry_label.lower()}; delivery {supplier_ref})")
    db.session.commit()
    return received


def receive_lot(variant: Variant, details, units: int, *, supplier: str, delivery_ref: str, on: date, user_id, note: str):
    """Put `units` on the shelf in the lot `details` names (created if new): (the lot, "") or (None, why not).
    Joins the caller's transaction (the delivery form and the catalogue CSV import both use it)."""
    lot, wrong = _lot_for_delivery(variant, details, supplier, delivery_ref, on)
    if wrong:
        return None, wrong
    add_to_lot(lot, units, "received", user_id=user_id, note=note)
    lot.quantity_received += units
    return lot, ""


def _lot_for_delivery(variant: Variant, details, supplier: str, supplier_ref: str, on: date):
    """(the lot to receive into, "") or (None, why not). New lots inside the minimum shelf life start short-dated."""
    from shop.inventory.lots import sellable_from
    from shop.inventory.models import Lot

    lot = db.session.scalar(select(Lot).where(Lot.variant_id == variant.id, Lot.code == details.code))
    if lot is not None:
        if (lot.expires_on, lot.pao_months) != (details.expires_on, details.pao_months):
            return None, f"lot {details.code} is already recorded with “{lot.expiry_label}”; check the container."
        if lot.status in ("recalled", "quarantined", "expired"):
            return None, f"lot {details.code} is {lot.status_label.lower()}; do not put more of it on the shelf."
        return lot, ""
    short = details.expires_on is not None and details.expires_on < sellable_from(on)
    lot = Lot(variant_id=variant.id, code=details.code, expires_on=details.expires_on,
              manufactured_on=details.manufactured_on, pao_months=details.pao_months, received_on=on,
              supplier=supplier, delivery_ref=supplier_ref, quantity_received=0, on_hand=0,
              status="short_dated" if short else "sellable")
    db.session.add(lot)
    db.session.flush()
    return lot, ""


def adjust_stock(variant_id: int, delta: int, reason: str, note: str, *, actor, lot_id: int | None = None,
                 lot_required: bool = False) -> int:
    """Change a lot's units by `delta` for a reason (never by typing a new level). Returns the size's new stock.

    The back-office form always names the lot; without one (scripts, older callers) units come
    off the size's lots earliest expiry first, or go onto its opening lot.
    """
    from shop.inventory.models import Lot

    variant = db.session.get(Variant, variant_id)
    if variant is None:
        raise StockError(["That size no longer exists."])
    lot = db.session.get(Lot, lot_id) if lot_id is not None else None
    note = (note or "").strip()
    problems = []
    if lot_id is None and lot_required:
        problems.append(Problem("Choose the lot this change is about.", "lot"))
    elif lot_id is not None and (lot is None or lot.variant_id != variant.id):
        problems.append(Problem(f"Choose one of the lots of {variant.sku}.", "lot"))
    if reason not in ADJUSTMENT_REASONS:
        problems.append(Problem("Choose a reason from the list.", "reason"))
    if not isinstance(delta, int) or delta == 0 or abs(delta) > MAX_UNITS_PER_LINE:
        problems.append(Problem(f"The change must be a whole number of units, not zero, at most {MAX_UNITS_PER_LINE:,} either way.",
                                "change"))
    elif reason in ("damaged", "expired") and delta > 0:
        problems.append(Problem(f"{ADJUSTMENT_REASONS[reason]} stock is taken away: use a minus sign, e.g. -{delta}.", "change"))
    elif reason == "returned" and delta < 0:
        problems.append(Problem("Returned stock is added back: enter a positive number.", "change"))
    if not note:
        problems.append(Problem("Add a note saying what happened.", "note"))
    elif len(note) > 500:
        problems.append(Problem("Keep the note under 500 characters.", "note"))
    if problems:
        raise StockError(problems)
    before = lock_size(variant.id)
    if lot is None:
        after = _move(variant.id, delta, reason, user_id=actor.id, note=note)
        where = ""
    else:
        move = add_to_lot if delta > 0 else take_from_lot
        after = move(lot, abs(delta), reason, user_id=actor.id, note=note)
        where = f" lot {lot.code}"
    if after is None:
        db.session.rollback()
        held = f"lot {lot.code} holds {lot.on_hand}" if lot is not None else f"only {before} of {variant.sku} on hand"
        raise StockError([Problem(f"{held[0].upper()}{held[1:]}: you cannot take away {-delta}.", "change")])
    record_audit(actor, "stock.adjust", variant, {"stock_on_hand": before}, {"stock_on_hand": after},
                 summary=f"{ADJUSTMENT_REASONS[reason].lower()} {delta:+d} × {variant.sku}{where}: {note}")
    db.session.commit()
    return after


def return_to_stock(quantities: dict[int, int], *, order_id: int | None, user_id: int | None, note: str = "",
                    write_off: bool = False) -> None:
    """Units a customer sent back: onto the shelf in the lots they came from, or written off (opened
    cosmetics are not resold: the units are counted against the order's lots, stock does not change).
    Joins the caller's transaction."""
    for variant_id in sorted(quantities):
        if quantities[variant_id] > 0:
            return_to_lots(variant_id, quantities[variant_id], order_id=order_id, user_id=user_id, note=note,
                           write_off=write_off)
