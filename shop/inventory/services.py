"""The only place stock on hand changes.

Holds use a conditional update (`... WHERE stock_on_hand >= :q`), so two buyers can never
take the same last unit: the database decides, not a read-then-write in Python. Functions
here join the caller's transaction and never commit.
"""
from dataclasses import dataclass

from sqlalchemy import select, update

from shop.catalog.models import Product, Variant
from shop.extensions import db
from shop.inventory.models import StockMovement


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
        .returning(Variant.stock_on_hand)
        .execution_options(synchronize_session=False)
    )
    if delta < 0:
        stmt = stmt.where(Variant.stock_on_hand >= -delta)
    after = db.session.execute(stmt).scalar_one_or_none()
    if after is None:
        return None
    db.session.add(
        StockMovement(
            variant_id=variant_id, delta=delta, stock_after=after, reason=reason,
            order_id=order_id, user_id=user_id, note=note,
        )
    )
    return after


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
