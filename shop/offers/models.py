"""Discount codes and their uses."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.clock import utcnow
from shop.extensions import db

CODE_KINDS = {"percent": "Percentage off", "fixed": "Amount off", "free_delivery": "Free delivery"}
CODE_SCOPES = {"all": "Everything", "category": "One category", "products": "Some products"}

discount_code_products = db.Table(
    "discount_code_products",
    db.Column("code_id", ForeignKey("discount_codes.id", ondelete="CASCADE"), primary_key=True),
    db.Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class DiscountCode(db.Model):
    __tablename__ = "discount_codes"
    __table_args__ = (
        CheckConstraint("kind IN ('percent', 'fixed', 'free_delivery')", name="kind"),
        CheckConstraint("scope IN ('all', 'category', 'products')", name="scope"),
        CheckConstraint("kind != 'percent' OR (percent_off BETWEEN 1 AND 100)", name="percent_in_range"),
        CheckConstraint("kind != 'fixed' OR amount_off_pence > 0", name="amount_positive"),
        CheckConstraint("min_spend_pence >= 0", name="min_spend_not_negative"),
        CheckConstraint("max_uses IS NULL OR max_uses > 0", name="max_uses_positive"),
        CheckConstraint("max_uses_per_customer IS NULL OR max_uses_per_customer > 0", name="per_customer_positive"),
        CheckConstraint("uses_taken >= 0", name="uses_not_negative"),
        CheckConstraint("scope != 'category' OR category_id IS NOT NULL", name="category_named"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # upper case, no spaces
    kind: Mapped[str] = mapped_column(String(20))
    percent_off: Mapped[int | None]
    amount_off_pence: Mapped[int | None]
    min_spend_pence: Mapped[int] = mapped_column(default=0)
    valid_from: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    max_uses: Mapped[int | None]
    max_uses_per_customer: Mapped[int | None]
    # Uses reserved by open checkouts plus uses paid for: raised with a conditional update, like stock.
    uses_taken: Mapped[int] = mapped_column(default=0)
    first_order_only: Mapped[bool] = mapped_column(default=False)
    scope: Mapped[str] = mapped_column(String(20), default="all")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    applies_to_trade: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    products: Mapped[list["Product"]] = relationship(secondary=discount_code_products)  # noqa: F821
    category: Mapped["Category | None"] = relationship()  # noqa: F821

    @property
    def kind_label(self) -> str:
        return CODE_KINDS.get(self.kind, self.kind)

    @property
    def describe(self) -> str:
        if self.kind == "percent":
            return f"{self.percent_off}% off"
        if self.kind == "fixed":
            return f"£{self.amount_off_pence // 100}.{self.amount_off_pence % 100:02d} off"
        return "free delivery"


class DiscountUse(db.Model):
    """One order's use of a code: reserved when checkout starts, used when paid, released when it lapses."""

    __tablename__ = "discount_uses"
    __table_args__ = (
        CheckConstraint("status IN ('reserved', 'used', 'released')", name="status"),
        CheckConstraint("discount_pence >= 0", name="discount_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("discount_codes.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    discount_pence: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="reserved")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    code: Mapped[DiscountCode] = relationship()
