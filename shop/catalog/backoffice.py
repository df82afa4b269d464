"""What the back office reads of the catalogue: the product list, a product form's choices, the CSV export.

Changes go through shop.catalog.editing and shop.inventory.catalogue_import; nothing here writes.
"""
import csv
import io

from sqlalchemy import select

from shop.catalog.models import Category, Flag, Product, Variant
from shop.csvsafe import cell
from shop.extensions import db
from shop.money import pounds_text
from shop.sql import LIKE_ESCAPE, escape_like

# The catalogue CSV's columns: the export writes them, the import (shop.inventory.catalogue_import) reads them.
COLUMNS = ("sku", "product_slug", "product_name", "category", "size_label", "amount", "unit", "price", "trade_price",
           "low_stock_threshold", "add_stock", "lot", "expires", "pao_months")


def find_products(q: str = "") -> list[Product]:
    """Every product, published or not, by name; those whose name contains `q` when given."""
    stmt = select(Product).order_by(Product.name)
    if q:
        stmt = stmt.where(Product.name.ilike(f"%{escape_like(q)}%", escape=LIKE_ESCAPE))
    return list(db.session.scalars(stmt))


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def flags() -> list[Flag]:
    """Suitability flags first, then allergens, each by name (the order of the product form)."""
    return list(db.session.scalars(select(Flag).order_by(Flag.kind.desc(), Flag.name)))


def catalogue_csv() -> str:
    """Every size with its product, in the columns the import reads (add_stock left empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for v in db.session.scalars(select(Variant).join(Product).order_by(Product.slug, Variant.amount)):
        writer.writerow([cell(x) for x in (v.sku, v.product.slug, v.product.name, v.product.category.slug, v.size_label,
                         v.amount, v.unit, pounds_text(v.price_pence), pounds_text(v.trade_price_pence), v.low_stock_threshold, "", "", "", "")])
    return buffer.getvalue()
