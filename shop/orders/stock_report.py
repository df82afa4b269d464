"""What the back office reads about stock: the stock table, movement history, the CSV export.

It lives with orders, above inventory, because it counts what open checkouts hold and names the
order behind each movement.
"""
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from shop.accounts.models import User
from shop.catalog.models import Product, Variant, stock_state
from shop.csvsafe import CSV_BATCH, csv_batches
from shop.extensions import db
from shop.inventory.models import StockMovement
from shop.orders.models import Order, OrderLine
from shop.orders.status import STOCK_HELD
from shop.sql import LIKE_ESCAPE, escape_like
from shop.paging import clamp_page, page_count

STOCK_SORTS = {
    "sku": (Variant.sku,),
    "product": (Product.name, Variant.amount),
    "on-hand": (Variant.stock_on_hand, Variant.sku),
    "on-hand-desc": (Variant.stock_on_hand.desc(), Variant.sku),
}
STOCK_STATES = ("low", "out", "in")
STOCK_PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class StockRow:
    """One size as the stock table shows it: plain columns, no ORM objects (the table only reads)."""
    variant_id: int
    sku: str
    product_name: str
    published: bool
    size_label: str
    stock_on_hand: int
    low_stock_threshold: int
    held: int

    @property
    def state(self) -> str:
        return stock_state(self.stock_on_hand, self.low_stock_threshold)


def held_in_open_checkouts():
    """Units of each variant held by checkouts that are not paid, expired or cancelled yet."""
    return (
        select(OrderLine.variant_id, func.sum(OrderLine.quantity).label("held"))
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.status.in_(STOCK_HELD))
        .group_by(OrderLine.variant_id)
        .subquery()
    )


def _held_by_this_size():
    # Correlated: summed for the page's own sizes, never grouped over every open order line.
    return (
        select(func.coalesce(func.sum(OrderLine.quantity), 0))
        .select_from(OrderLine)
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderLine.variant_id == Variant.id, Order.status.in_(STOCK_HELD))
        .correlate(Variant)
        .scalar_subquery()
    )


def _searched(q: str) -> str:
    return (q or "").strip()[:100]


def _filtered(stmt, q: str, state: str):
    if q := _searched(q):
        like = f"%{escape_like(q)}%"
        # The products named so, found once (10,000 names), rather than a product name tested per size.
        named = select(Product.id).where(Product.name.ilike(like, escape=LIKE_ESCAPE))
        stmt = stmt.where(or_(Variant.sku.ilike(like, escape=LIKE_ESCAPE), Variant.product_id.in_(named)))
    if state == "out":
        stmt = stmt.where(Variant.stock_on_hand <= 0)
    elif state == "low":
        stmt = stmt.where(Variant.stock_on_hand > 0, Variant.stock_on_hand <= Variant.low_stock_threshold)
    elif state == "low-or-out":
        stmt = stmt.where(Variant.stock_on_hand <= Variant.low_stock_threshold)
    elif state == "in":
        stmt = stmt.where(Variant.stock_on_hand > Variant.low_stock_threshold)
    return stmt


def _stock_rows(q: str, state: str, sort: str, limit: int | None, offset: int = 0) -> list[StockRow]:
    """The sizes matching, in the sort's order, as plain rows of what the table shows.

    Two steps in one query: first the ids of the page's sizes, in order (each sort follows an index:
    ix_products_name_id then the product's sizes, uq_variants_sku, ix_variants_on_hand_sku or
    _desc_sku), then only those sizes' columns, product and units held. So a page reads about its
    own rows, and a page deep in the list skips the others without looking up their held units."""
    sort = sort if sort in STOCK_SORTS else "product"
    order = (*STOCK_SORTS[sort], Variant.id)
    ids = select(Variant.id)
    if sort == "product":  # every size has its product: join it only to sort by its name
        ids = ids.join(Product, Product.id == Variant.product_id)
    ids = _filtered(ids, q, state).order_by(*order).limit(limit).offset(offset or None)
    stmt = (
        select(Variant.id, Variant.sku, Product.name, Product.published, Variant.size_label, Variant.stock_on_hand,
               Variant.low_stock_threshold, _held_by_this_size())
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.id.in_(ids))
        .order_by(*order)
    )
    return [StockRow(*row) for row in db.session.execute(stmt)]


def stock_table(*, q: str = "", state: str = "", sort: str = "product", limit: int | None = None) -> list[StockRow]:
    return _stock_rows(q, state, sort, limit)


def count_sizes(*, q: str = "", state: str = "") -> int:
    # Every size has its product, and held units don't change how many sizes match: count variants alone.
    return db.session.scalar(_filtered(select(func.count()).select_from(Variant), q, state))


@dataclass
class StockPage:
    rows: list[StockRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def stock_page(*, q: str = "", state: str = "", sort: str = "product", page: int = 1, per_page: int = STOCK_PER_PAGE) -> StockPage:
    """One page of the stock table and how many sizes match: two queries however many sizes exist.
    A page past the end shows the last one."""
    total = count_sizes(q=q, state=state)
    page = clamp_page(page, total, per_page)
    return StockPage(_stock_rows(q, state, sort, per_page, (page - 1) * per_page), total, page, per_page)


def sizes_by_sku(limit: int = 300) -> list[Variant]:
    """SKU suggestions for the delivery form: the sizes running low or out first (what a delivery
    usually restocks), at most `limit` of them, so the form stays small with 30,000 sizes."""
    return list(db.session.scalars(
        select(Variant).join(Product).options(contains_eager(Variant.product))
        .order_by((Variant.stock_on_hand > Variant.low_stock_threshold), Variant.sku).limit(limit)))


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


def stock_csv() -> Iterator[str]:
    """The stock table as CSV, streamed a batch at a time from plain rows (no ORM objects): memory
    stays flat however many sizes exist."""
    held = held_in_open_checkouts()
    rows = db.session.execute(
        select(Variant.sku, Product.name, Variant.size_label, Variant.stock_on_hand, func.coalesce(held.c.held, 0),
               Variant.low_stock_threshold)
        .join(Product, Product.id == Variant.product_id)
        .outerjoin(held, held.c.variant_id == Variant.id)
        .order_by(Variant.sku)
        .execution_options(yield_per=CSV_BATCH))

    def cells(row):
        sku, name, size, on_hand, held_units, threshold = row
        return sku, name, size, on_hand, int(held_units), threshold, stock_state(on_hand, threshold)

    yield from csv_batches(["sku", "product", "size", "on_hand", "held_in_checkouts", "low_stock_threshold", "state"], rows, cells)
