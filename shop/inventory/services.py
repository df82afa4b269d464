"""The only place stock on hand changes.

Holds use a conditional update (`... WHERE stock_on_hand >= :q`), so two buyers can never
take the same last unit: the database decides, not a read-then-write in Python. The ledger
functions (hold, release, record) join the caller's transaction and never commit; the back
office's `receive_delivery` and `adjust_stock` are whole operations and commit.

A change that takes a variant down through its low-stock threshold writes a LowStockAlert and
records an email to every admin in the same transaction, once per crossing.
"""
from dataclasses import dataclass

from sqlalchemy import select, update

from shop.audit.services import record_audit
from shop.catalog.models import Product, Variant
from shop.clock import utcnow
from shop.extensions import db
from shop.inventory.models import LowStockAlert, StockMovement
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
    """Apply delta if stock stays >= 0; record the movement. Returns the new level, or None if refused."""
    stmt = (
        update(Variant)
        .where(Variant.id == variant_id)
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
    if after - delta > threshold >= after:  # down through the threshold: once per crossing
        _alert_low_stock(variant_id, after, threshold)
    if after - delta <= 0 < after:  # sellable again: whoever asked hears, with this change
        from shop.notices.services import notify_back_in_stock

        notify_back_in_stock(variant_id)
    db.session.add(
        StockMovement(
            variant_id=variant_id, delta=delta, stock_after=after, reason=reason,
            order_id=order_id, user_id=user_id, note=note,
        )
    )
    return after


def _alert_low_stock(variant_id: int, after: int, threshold: int) -> None:
    """Tell every admin, with the change that crossed the threshold (committed with it, or not at all)."""
    from flask import render_template

    from shop.accounts.models import User
    from shop.messages.outbox import links_to_the_shop, record_message

    alert = LowStockAlert(variant=db.session.get(Variant, variant_id), stock_after=after, threshold=threshold,
                          sent_at=utcnow())
    db.session.add(alert)
    with links_to_the_shop():
        text = render_template("email/low_stock.txt", alerts=[alert])
    for email in db.session.scalars(select(User.email).where(User.role == "admin").order_by(User.id)):
        record_message(email, f"Low stock: {alert.variant.sku}", text, kind="low_stock", about=alert.variant)


def hold_stock(quantities: dict[int, int], *, order_id: int) -> None:
    """Take every quantity or none: raises OutOfStock (and leaves the caller to roll back)."""
    shortages = []
    # A fixed order of row locks: two checkouts holding the same variants never deadlock.
    for variant_id in sorted(quantities):
        wanted = quantities[variant_id]
        if _move(variant_id, -wanted, "hold", order_id=order_id) is None:
            shortages.append(Shortage(variant_id, "", wanted, 0))
    if shortages:
        _describe(shortages)
        raise OutOfStock(shortages)


def release_stock(quantities: dict[int, int], *, order_id: int, note: str = "") -> None:
    for variant_id in sorted(quantities):
        _move(variant_id, quantities[variant_id], "release", order_id=order_id, note=note)


def record_stock(variant_id: int, delta: int, reason: str, *, user_id=None, note="") -> int:
    """Deliveries, counts and write-offs. A change that would go below zero is refused."""
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


def receive_delivery(lines: list[tuple[str, int]], supplier_ref: str, *, actor) -> list[tuple[Variant, int, int]]:
    """Add a delivery's quantities (SKU, units) to stock: every line or none.

    Returns (variant, units, stock after) per SKU. The supplier's reference goes into each
    movement's note and the audit log.
    """
    supplier_ref = (supplier_ref or "").strip()
    problems = []
    if not supplier_ref:
        problems.append(Problem("Enter the supplier's delivery reference.", "reference"))
    elif len(supplier_ref) > 80:
        problems.append(Problem("Keep the supplier reference under 80 characters.", "reference"))
    merged: dict[str, int] = {}
    first_line: dict[str, int] = {}
    for number, (sku, units) in enumerate(lines, start=1):
        sku = (sku or "").strip().upper()
        if not sku:
            problems.append(Problem(f"Line {number}: enter the SKU.", f"sku-{number}"))
            continue
        if not isinstance(units, int) or units < 1 or units > MAX_UNITS_PER_LINE:
            problems.append(Problem(f"Line {number} ({sku}): the quantity must be a whole number from 1 to {MAX_UNITS_PER_LINE:,}.",
                                    f"qty-{number}"))
            continue
        merged[sku] = merged.get(sku, 0) + units
        first_line.setdefault(sku, number)
    if not merged and not problems:
        problems.append("Add at least one SKU and quantity.")
    variants = _variants_by_sku(merged)
    problems += [Problem(f"There is no size with SKU “{sku}”.", f"sku-{first_line[sku]}")
                 for sku in merged if sku not in variants]
    if problems:
        raise StockError(problems)
    received = []
    for sku, units in merged.items():
        variant = variants[sku]
        after = record_stock(variant.id, units, "received", user_id=actor.id, note=f"delivery {supplier_ref}")
        received.append((variant, units, after))
        record_audit(actor, "stock.receive", variant, {"stock_on_hand": after - units}, {"stock_on_hand": after},
                     summary=f"received {units} × {sku} (delivery {supplier_ref})")
    db.session.commit()
    return received


def adjust_stock(variant_id: int, delta: int, reason: str, note: str, *, actor) -> int:
    """Change stock by `delta` for a reason (never by typing a new level). Returns the new level."""
    variant = db.session.get(Variant, variant_id)
    if variant is None:
        raise StockError(["That size no longer exists."])
    note = (note or "").strip()
    problems = []
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
    before = variant.stock_on_hand
    after = _move(variant.id, delta, reason, user_id=actor.id, note=note)
    if after is None:
        db.session.rollback()
        raise StockError([Problem(f"Only {before} of {variant.sku} on hand: you cannot take away {-delta}.", "change")])
    record_audit(actor, "stock.adjust", variant, {"stock_on_hand": after - delta}, {"stock_on_hand": after},
                 summary=f"{ADJUSTMENT_REASONS[reason].lower()} {delta:+d} × {variant.sku}: {note}")
    db.session.commit()
    return after


def return_to_stock(quantities: dict[int, int], *, order_id: int, user_id: int | None, note: str = "") -> None:
    """Units a customer sent back, put on the shelf again (joins the caller's transaction)."""
    for variant_id in sorted(quantities):
        if quantities[variant_id] > 0:
            _move(variant_id, quantities[variant_id], "returned", order_id=order_id, user_id=user_id, note=note)
