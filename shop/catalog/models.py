from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.clock import utcnow
from shop.delivery.weights import estimated_shipping_grams
from shop.extensions import db
from shop.money import per_hundred


FLAG_KINDS = ("suitable", "allergen")
UNITS = ("ml", "g")

product_flags = db.Table(
    "product_flags",
    db.Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    db.Column("flag_id", ForeignKey("flags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Category(db.Model):
    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self):
        return f"<Category {self.slug}>"


class Flag(db.Model):
    """Something a buyer screens for: a suitability (nut-free, vegan) or an allergen it contains."""

    __tablename__ = "flags"
    __table_args__ = (CheckConstraint("kind IN ('suitable', 'allergen')", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self):
        return f"<Flag {self.slug}>"


class ProductShown:
    """What a product's pages and cards show, worked out from its sizes and flags: the rules shared by
    the mapped Product and the plain rows the listing loads (shop/catalog/cards.py)."""

    @property
    def allergens(self) -> list[Flag]:
        return [f for f in self.flags if f.kind == "allergen"]

    @property
    def suitabilities(self) -> list[Flag]:
        return [f for f in self.flags if f.kind == "suitable"]

    @property
    def published_guides(self) -> list:
        return [g for g in self.guides if g.published]

    def cheapest_for(self, trade: bool) -> "Variant | None":
        """The size a card's "From" price names: the cheapest this buyer pays (trade or retail)."""
        return min(self.variants, key=lambda v: (v.price_for(trade), v.amount), default=None)

    @property
    def has_professional_size(self) -> bool:
        return any(v.is_professional for v in self.variants)

    @property
    def stock_state(self) -> tuple[str, int]:
        """('in' | 'low' | 'out', units left when low) across every size."""
        in_stock = [v for v in self.variants if v.stock_on_hand > 0]
        if not in_stock:
            return "out", 0
        if all(v.stock_state == "low" for v in in_stock):
            return "low", sum(v.stock_on_hand for v in in_stock)
        return "in", 0


class Product(ProductShown, db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("container IN ('bottle', 'pump', 'jar', 'tube', 'tin')", name="container"),
        # Every filter and sort of the listing (and the home page's featured products) has an
        # index that answers it in order: see migrations/versions/0003_listing_indexes.py.
        # Each ends with the id the order breaks ties by, so a deep page is read from the index alone,
        # in order (0028_listing_indexes_with_id.py).
        Index("ix_products_published_created_id", "published", "created_at", "id"),
        Index("ix_products_published_name_id", "published", "name", "id"),
        Index("ix_products_category_published_name_id", "category_id", "published", "name", "id"),
        Index("ix_products_category_published_created_id", "category_id", "published", "created_at", "id"),
        Index("ix_products_home_care_name", "published", "for_home_care", "name"),
        Index("ix_products_practice_name", "published", "for_practice", "name"),
        Index("ix_products_featured_name", "published", "featured", "name"),
        # The back office lists every product, published or not, by name (and the stock table by
        # product name): migrations/versions/0024_admin_indexes.py.
        Index("ix_products_name_id", "name", "id"),
        # Sorted by price, cheapest or dearest first, in the whole shop or a category (0025_from_price.py).
        Index("ix_products_published_from_price", "published", "from_price_pence", "name", "id"),
        Index("ix_products_category_published_from_price", "category_id", "published", "from_price_pence", "name", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))  # indexed by ix_products_category_*
    summary: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    how_to_use: Mapped[str] = mapped_column(Text, default="")
    ingredients: Mapped[str] = mapped_column(Text, default="")
    cautions: Mapped[str] = mapped_column(Text, default="")
    for_home_care: Mapped[bool] = mapped_column(default=True)
    for_practice: Mapped[bool] = mapped_column(default=False)
    featured: Mapped[bool] = mapped_column(default=False)
    published: Mapped[bool] = mapped_column(default=True)
    container: Mapped[str] = mapped_column(String(20), default="bottle")
    colour: Mapped[str] = mapped_column(String(7), default="#2f6f62")
    tint: Mapped[str] = mapped_column(String(7), default="#d9c9a8")
    # An uploaded photo in the instance folder's product-images/ (empty: the generated artwork).
    image_filename: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Moved by the database on every change to what the product's pages show (shop/page_cache/versions.py).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # The cheapest size's retail price, kept by triggers on variants (shop/catalog/from_price.py), for
    # the listing's sort by price; never written by the shop's code. NULL while it has no size.
    from_price_pence: Mapped[int | None]

    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    variants: Mapped[list["Variant"]] = relationship(
        back_populates="product", order_by="Variant.amount", cascade="all, delete-orphan"
    )
    flags: Mapped[list[Flag]] = relationship(secondary=product_flags, order_by=Flag.name)
    guides: Mapped[list["Guide"]] = relationship(  # noqa: F821 - defined in shop.guides
        secondary="product_guides", back_populates="products", order_by="Guide.title"
    )

    def __repr__(self):
        return f"<Product {self.slug}>"


def _estimated_weight(context) -> int:
    return estimated_shipping_grams(context.get_current_parameters()["amount"])


LOW_OR_OUT = "stock_on_hand <= low_stock_threshold"


def stock_state(on_hand: int, threshold: int) -> str:
    """A size's stock as the shop and the back office mark it: out, low (at or under its threshold) or in."""
    if on_hand <= 0:
        return "out"
    if on_hand <= threshold:
        return "low"
    return "in"


class SizeShown:
    """A size's prices and stock as the shop shows them: shared by the mapped Variant and the listing's rows."""

    @property
    def price_per_hundred_pence(self) -> int:
        return per_hundred(self.price_pence, self.amount)

    def price_for(self, trade: bool) -> int:
        """What this buyer pays: the trade price for approved practitioners where one is set."""
        if trade and self.trade_price_pence is not None:
            return self.trade_price_pence
        return self.price_pence

    @property
    def trade_per_hundred_pence(self) -> int:
        return per_hundred(self.price_for(True), self.amount)

    @property
    def stock_state(self) -> str:
        return stock_state(self.stock_on_hand, self.low_stock_threshold)


class Variant(SizeShown, db.Model):
    """One size of a product: its own SKU, price and stock."""

    __tablename__ = "variants"
    __table_args__ = (
        CheckConstraint("stock_on_hand >= 0", name="stock_not_negative"),
        CheckConstraint("price_pence >= 0", name="price_not_negative"),
        CheckConstraint("trade_price_pence IS NULL OR trade_price_pence >= 0", name="trade_price_not_negative"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("unit IN ('ml', 'g')", name="unit"),
        CheckConstraint("low_stock_threshold >= 0", name="threshold_not_negative"),
        CheckConstraint("shipping_weight_grams > 0", name="shipping_weight_positive"),
        CheckConstraint("case_quantity >= 1", name="case_quantity_positive"),
        Index("ix_variants_product_price", "product_id", "price_pence"),
        # The stock table's on-hand sorts, lowest and highest first, each read in order (0024_admin_indexes).
        Index("ix_variants_on_hand_sku", "stock_on_hand", "sku"),
        # Only the sizes low or out: what the dashboard counts and lists, and the table's "low" filter.
        Index("ix_variants_low_on_hand_sku", "stock_on_hand", "sku", postgresql_where=text(LOW_OR_OUT),
              sqlite_where=text(LOW_OR_OUT)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    size_label: Mapped[str] = mapped_column(String(40))
    amount: Mapped[int]
    unit: Mapped[str] = mapped_column(String(4), default="ml")
    price_pence: Mapped[int]
    trade_price_pence: Mapped[int | None]
    stock_on_hand: Mapped[int] = mapped_column(default=0)
    low_stock_threshold: Mapped[int] = mapped_column(default=5)
    is_professional: Mapped[bool] = mapped_column(default=False)
    # What the carrier weighs (contents, container, packing); a size created without one gets an estimate.
    shipping_weight_grams: Mapped[int] = mapped_column(default=_estimated_weight)
    # Moved by the database on every change to the size or its lots (shop/page_cache/versions.py).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Sold only in whole cases of this many (1: singly). The rule is everyone's, retail and trade: a case
    # is how the size is packed and shipped, not a trade term (shop/catalog/volume.py).
    case_quantity: Mapped[int] = mapped_column(default=1, server_default="1")

    product: Mapped[Product] = relationship(back_populates="variants")
    # Trade volume prices, smallest quantity first; quantity 1 is the trade price itself and has no row.
    price_breaks: Mapped[list["PriceBreak"]] = relationship(
        order_by="PriceBreak.min_quantity", cascade="all, delete-orphan", back_populates="variant")

    def __repr__(self):
        return f"<Variant {self.sku}>"


# Declared outside the class: a descending column needs the mapped column itself.
Index("ix_variants_on_hand_desc_sku", Variant.stock_on_hand.desc(), Variant.sku)
Index("ix_products_published_from_price_desc", Product.published, Product.from_price_pence.desc(), Product.name, Product.id)


class PriceBreak(db.Model):
    """A trade volume price: from `min_quantity` units of a size in one cart line, each costs `unit_price_pence`.

    Exact pence per unit, never a percentage, so the product page, the cart, the order and Stripe read one
    number and nothing is rounded twice. The database holds what one row can promise (a quantity above 1,
    a positive price, one break per quantity); that prices fall as quantities rise and stay under the trade
    price spans rows and the variant, so shop/catalog/volume.py checks it when breaks are saved.
    """

    __tablename__ = "price_breaks"
    __table_args__ = (
        CheckConstraint("min_quantity >= 2", name="min_quantity_above_one"),
        CheckConstraint("unit_price_pence > 0", name="price_positive"),
        UniqueConstraint("variant_id", "min_quantity", name="uq_price_breaks_variant_quantity"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id", ondelete="CASCADE"))  # led by the unique index
    min_quantity: Mapped[int]
    unit_price_pence: Mapped[int]

    variant: Mapped[Variant] = relationship(back_populates="price_breaks")

    def __repr__(self):
        return f"<PriceBreak {self.variant_id} {self.min_quantity}+ {self.unit_price_pence}>"
