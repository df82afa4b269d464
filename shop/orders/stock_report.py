"""What the back office reads about stock: the stock table, movement history, the CSV export.

It lives with orders, above inventory, because it counts what open checkouts hold and names the
order behind each movement.
"""
import csv
import io
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from shop.accounts.models import User
from shop.catalog.models import Product, Variant
from shop.csvsafe import cell
from shop.extensions import db
from shop.inventory.models import StockMovement
from shop.orders.models import Order, OrderLine
from shop.orders.status import STOCK_HELD
from shop.sql import LIKE_ESCAPE, escape_like

STOCK_SORTS = {
    "sku": (Variant.sku,),
    "product": (Product.name, Variant.amount),
    "on-hand": (Variant.stock_on_hand, Variant.sku),
    "on-hand-desc": (Variant.stock_on_hand.desc(), Variant.sku),
}
STOCK_STATES = ("low", "out", "in")


@dataclass
class StockRow:
    variant: Variant
    held: int

    @property
    def state(self) -> str:
        return self.variant.stock_state


def held_in_open_checkouts():
    """Units of each variant held by checkouts that are not paid, expired or cancelled yet."""
    return (
        select(OrderLine.variant_id, func.sum(OrderLine.quantity).label("held"))
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.status.in_(STOCK_HELD))
        .group_by(OrderLine.variant_id)
        .subquery()
    )


def stock_table(*, q: str = "", state: str = "", sort: str = "product") -> list[StockRow]:
    held = held_in_open_checkouts()
    stmt = (
        select(Variant, func.coalesce(held.c.held, 0))
        .join(Product, Product.id == Variant.product_id)
        .outerjoin(held, held.c.variant_id == Variant.id)
        .order_by(*STOCK_SORTS.get(sort, STOCK_SORTS["product"]))
    )
    q = (q or "").strip()[:100]
    if q:
        like = f"%{escape_like(q)}%"
        stmt = stmt.where(or_(Variant.sku.ilike(like, escape=LIKE_ESCAPE), Product.name.ilike(like, escape=LIKE_ESCAPE)))
    if state == "out":
        stmt = stmt.where(Variant.stock_on_hand <= 0)
    elif state == "low":
        stmt = stmt.where(Variant.stock_on_hand > 0, Variant.stock_on_hand <= Variant.low_stock_threshold)
    elif state == "in":
        stmt = stmt.where(Variant.stock_on_hand > Variant.low_stock_threshold)
    return [StockRow(variant, int(h)) for variant, h in db.session.execute(stmt).all()]


def sizes_by_sku() -> list[Variant]:
    """Every size, for the SKU suggestions on the delivery form."""
    return list(db.session.scalars(select(Variant).order_by(Variant.sku)))


def low_stock_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Variant).where(Variant.stock_on_hand <= Variant.low_stock_threshold))


@dataclass
class MovementRow:
    movement: StockMovement
    who: str


def movements_of(variant_id: int, limit: int = 200) -> list[MovementRow]:
    rows = db.session.execute(
        select(StockMovement, User.email, Order.id)
        .outerjoin(User, User.id == StockMovement.user_id)
        .outerjoin(Order, Order.id == StockMovement.order_id)
        .where(StockMovement.variant_id == variant_id)
        .options(joinedload(StockMovement.lot))
        .order_by(StockMovement.id.desc())
        .limit(limit)
    ).all()
    out = []
    for movement, email, order_id in rows:
        who = email or (f"order EC{order_id:06d}" if order_id else "system")
        out.append(MovementRow(movement, who))
    return out


def stock_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["sku", "product", "size", "on_hand", "held_in_checkouts", "low_stock_threshold", "state"])
    for row in stock_table(sort="sku"):
        v = row.variant
        writer.writerow([cell(x) for x in (v.sku, v.product.name, v.size_label, v.stock_on_hand, row.held, v.low_stock_threshold, row.state)])
    return buffer.getvalue()
