"""Product cards (the listing's and the home page's), loaded as plain rows rather than ORM objects.

A card shows a dozen columns of a product and of its sizes. Loading mapped objects for it (every
text column, instrumented attributes, the identity map, a selectin load for the sizes) was the
largest part of a listing's Python time on a cache miss. A card is read only, so it is built from
two narrow queries (the products with their flag ids, then their sizes), and it keeps the very
rules the mapped classes use (ProductShown, SizeShown): a card reads as a Product would.
"""
from sqlalchemy import String, cast, func, select

from shop.catalog.models import Category, Flag, Product, ProductShown, SizeShown, Variant, product_flags
from shop.extensions import db

_PRODUCT_COLUMNS = (Product.id, Product.slug, Product.name, Product.summary, Product.image_filename,
                    Product.category_id, Product.for_home_care, Product.for_practice)
_SIZE_COLUMNS = (Variant.id, Variant.product_id, Variant.size_label, Variant.amount, Variant.unit, Variant.price_pence,
                 Variant.trade_price_pence, Variant.stock_on_hand, Variant.low_stock_threshold, Variant.is_professional)
_SIZE_FIELDS = tuple(column.key for column in _SIZE_COLUMNS)


class SizeOnCard(SizeShown):
    def __init__(self, row):
        for name, value in zip(_SIZE_FIELDS, row):
            setattr(self, name, value)


class ProductCard(ProductShown):
    published = True  # cards are loaded for published products only

    def __init__(self, row, category: Category, flags: list[Flag], sizes: list[SizeOnCard]):
        (self.id, self.slug, self.name, self.summary, self.image_filename, self.category_id,
         self.for_home_care, self.for_practice) = row[:len(_PRODUCT_COLUMNS)]
        self.category = category
        self.flags = flags
        self.variants = sizes

    def __repr__(self):
        return f"<ProductCard {self.slug}>"


def card_rows():
    """The select a caller narrows (join, where, order_by) to pick the products to show as cards."""
    return select(*_PRODUCT_COLUMNS, _flag_ids())


def _flag_ids():
    # A product's flag ids as "3,7", per row from the product_flags primary key: joining product_flags
    # into the products query made SQLite scan the whole join for every product.
    return (
        select(func.aggregate_strings(cast(product_flags.c.flag_id, String), ","))
        .where(product_flags.c.product_id == Product.id)
        .correlate(Product)
        .scalar_subquery()
        .label("flag_ids")
    )


def product_cards(statement, categories: list[Category], flags: list[Flag]) -> list[ProductCard]:
    """The cards of the products `statement` (from card_rows) picks, in its order: one more query for their sizes.

    Categories and flags are the ones the page has already read, so a card costs no query of its own.
    """
    rows = db.session.execute(statement).all()
    if not rows:
        return []
    sizes: dict[int, list[SizeOnCard]] = {row.id: [] for row in rows}
    for size in db.session.execute(
        select(*_SIZE_COLUMNS).where(Variant.product_id.in_(sizes)).order_by(Variant.product_id, Variant.amount, Variant.id)
    ):
        sizes[size.product_id].append(SizeOnCard(size))
    category_by_id = {c.id: c for c in categories}
    flag_by_id = {f.id: f for f in flags}
    cards = []
    for row in rows:
        ids = [int(i) for i in (row.flag_ids or "").split(",") if i]
        shown = sorted((flag_by_id[i] for i in ids if i in flag_by_id), key=lambda f: f.name)
        cards.append(ProductCard(row, category_by_id[row.category_id], shown, sizes[row.id]))
    return cards
