"""What the back office reads of the catalogue: the product list, a product form's choices, the CSV export.

Changes go through shop.catalog.editing and shop.inventory.catalogue_import; nothing here writes.
"""
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from shop.catalog.models import Category, Flag, Product, Variant
from shop.csvsafe import CSV_BATCH, csv_batches
from shop.extensions import db
from shop.money import pounds_text
from shop.sql import LIKE_ESCAPE, escape_like
from shop.paging import clamp_page, page_count

# The catalogue CSV's columns: the export writes them, the import (shop.inventory.catalogue_import) reads them.
COLUMNS = ("sku", "product_slug", "product_name", "category", "size_label", "amount", "unit", "price", "trade_price",
           "low_stock_threshold", "add_stock", "lot", "expires", "pao_months")


PRODUCTS_PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class ProductRow:
    """A product as the back office's list shows it: plain columns, no ORM objects (the list only reads)."""
    id: int
    name: str
    category: str
    published: bool
    sizes: list[tuple[str, int]]  # (size label, price in pence), smallest first


@dataclass
class ProductPage:
    products: list[ProductRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def find_products(q: str = "", page: int = 1, per_page: int = PRODUCTS_PER_PAGE) -> ProductPage:
    """One page of products, published or not, by name; those whose name contains `q` when given.
    Three queries however many products: the count, the page (with its category), their sizes.
    The page is read in name order from ix_products_name_id."""
    where = [Product.name.ilike(f"%{escape_like(q)}%", escape=LIKE_ESCAPE)] if q else []
    total = db.session.scalar(select(func.count()).select_from(Product).where(*where))
    page = clamp_page(page, total, per_page)
    found = db.session.execute(
        select(Product.id, Product.name, Category.name, Product.published)
        .join(Category, Category.id == Product.category_id).where(*where)
        .order_by(Product.name, Product.id).limit(per_page).offset((page - 1) * per_page)).all()
    sizes: dict[int, list[tuple[str, int]]] = {product_id: [] for product_id, *_ in found}
    if sizes:
        for product_id, label, price in db.session.execute(
                select(Variant.product_id, Variant.size_label, Variant.price_pence)
                .where(Variant.product_id.in_(list(sizes))).order_by(Variant.product_id, Variant.amount, Variant.id)):
            sizes[product_id].append((label, price))
    return ProductPage([ProductRow(product_id, name, category, published, sizes[product_id])
                        for product_id, name, category, published in found], total, page, per_page)


GUIDE_PRODUCT_CHOICES = 60


@dataclass
class ProductChoices:
    products: list[Product]  # the linked ones, then those found (or the first by name), by name
    more: int  # products neither linked nor shown: search to find them


def product_choices(linked_ids: list[int] = (), q: str = "", limit: int = GUIDE_PRODUCT_CHOICES) -> ProductChoices:
    """Products to tick when linking a guide: every linked one, plus up to `limit` whose name contains
    `q` (or the first by name), so the editor stays small with 10,000 products. Two queries."""
    found = select(Product.id).order_by(Product.name, Product.id).limit(limit)
    if q:
        found = found.where(Product.name.ilike(f"%{escape_like(q)}%", escape=LIKE_ESCAPE))
    shown = list(db.session.scalars(
        select(Product).where(or_(Product.id.in_(list(linked_ids)), Product.id.in_(found.scalar_subquery())))
        .order_by(Product.name, Product.id)))
    total = db.session.scalar(select(func.count()).select_from(Product))
    return ProductChoices(shown, max(0, total - len(shown)))


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def flags() -> list[Flag]:
    """Suitability flags first, then allergens, each by name (the order of the product form)."""
    return list(db.session.scalars(select(Flag).order_by(Flag.kind.desc(), Flag.name)))


def catalogue_csv() -> Iterator[str]:
    """Every size with its product, in the columns the import reads (add_stock and its lot left empty), streamed
    a batch at a time from plain rows (no ORM objects)."""
    rows = db.session.execute(
        select(Variant.sku, Product.slug, Product.name, Category.slug, Variant.size_label, Variant.amount, Variant.unit,
               Variant.price_pence, Variant.trade_price_pence, Variant.low_stock_threshold)
        .join(Product, Product.id == Variant.product_id).join(Category, Category.id == Product.category_id)
        .order_by(Product.slug, Variant.amount, Variant.id).execution_options(yield_per=CSV_BATCH))

    def cells(row):
        *named, price, trade, threshold = row
        return (*named, pounds_text(price), pounds_text(trade), threshold, "", "", "", "")  # add_stock, lot, expires, pao_months

    yield from csv_batches(COLUMNS, rows, cells)
