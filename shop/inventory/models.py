from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.catalog.models import Variant
from shop.clock import utcnow
from shop.extensions import db

REASONS = ("initial", "received", "hold", "release", "count_correction", "damaged", "expired", "returned",
           "opening_lot", "short_dated", "quarantined", "recalled", "released_to_sale", "written_off", "reallocated")

# Only a sellable lot's units count in its size's stock on hand (what holds take from).
LOT_STATUSES = {
    "sellable": "Sellable",
    "short_dated": "Withdrawn: short-dated",
    "expired": "Expired",
    "quarantined": "Quarantined",
    "recalled": "Recalled",
}


class Lot(db.Model):
    """One batch of a size as printed on its containers: where it came from, when it expires, how many are left.

    `on_hand` is what is on the shelf and not held for or sold to anyone. A lot counts in its
    size's sellable stock (`Variant.stock_on_hand`) only while its status is sellable.
    """

    __tablename__ = "lots"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("quantity_received >= 0", name="received_not_negative"),
        CheckConstraint("pao_months IS NULL OR pao_months BETWEEN 1 AND 120", name="pao_months"),
        CheckConstraint("status IN ('sellable', 'short_dated', 'expired', 'quarantined', 'recalled')", name="status"),
        UniqueConstraint("variant_id", "code", name="uq_lots_variant_code"),
        Index("ix_lots_variant_status_expires", "variant_id", "status", "expires_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(60), index=True)
    # The date of minimum durability; None when the product keeps over 30 months (then PAO only).
    expires_on: Mapped[date | None]
    manufactured_on: Mapped[date | None]
    pao_months: Mapped[int | None]
    received_on: Mapped[date]
    supplier: Mapped[str] = mapped_column(String(120), default="")
    delivery_ref: Mapped[str] = mapped_column(String(80), default="")
    quantity_received: Mapped[int] = mapped_column(default=0)
    on_hand: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default="sellable")
    recalled_at: Mapped[datetime | None]
    recall_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    variant: Mapped[Variant] = relationship()

    def __repr__(self):
        return f"<Lot {self.code}>"

    @property
    def status_label(self) -> str:
        return LOT_STATUSES.get(self.status, self.status)

    @property
    def expiry_label(self) -> str:
        """How the container states its life: a date, a period after opening, or that we do not know."""
        if self.expires_on:
            return f"Best before {self.expires_on:%d %b %Y}"
        if self.pao_months:
            made = f", made {self.manufactured_on:%b %Y}" if self.manufactured_on else ""
            return f"{self.pao_months} months after opening{made}"
        return "Expiry not recorded"


class LotAllocation(db.Model):
    """Which lot an order line's units came from (and how many of them came back or were written off)."""

    __tablename__ = "lot_allocations"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("returned >= 0 AND written_off >= 0 AND returned + written_off <= quantity", name="returns_within"),
        UniqueConstraint("order_line_id", "lot_id", name="uq_lot_allocations_line_lot"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int]
    returned: Mapped[int] = mapped_column(default=0)
    written_off: Mapped[int] = mapped_column(default=0)

    lot: Mapped[Lot] = relationship(lazy="joined", innerjoin=True)


class StockMovement(db.Model):
    """One change to a size's sellable stock and/or one lot's on-hand.

    The sum of `delta` per size is its stock on hand (sellable), and the sum of `lot_delta` per
    lot is the lot's on-hand, always. They differ when a lot changes status (a recall takes
    sellable stock away, the units stay in the lot) or units move in a lot that is not on sale.
    Movements from before lots existed have no lot.
    """

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("delta <> 0 OR lot_delta <> 0", name="changes_something"),
        CheckConstraint("stock_after >= 0", name="stock_after_not_negative"),
        Index("ix_stock_movements_variant_created", "variant_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id", ondelete="CASCADE"))
    delta: Mapped[int]
    stock_after: Mapped[int]
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id", ondelete="CASCADE"), index=True)
    lot_delta: Mapped[int] = mapped_column(default=0)
    lot_after: Mapped[int | None]
    reason: Mapped[str] = mapped_column(String(30))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    variant: Mapped[Variant] = relationship()
    lot: Mapped[Lot | None] = relationship()


class LowStockAlert(db.Model):
    """A variant went down through its low-stock threshold; admins are emailed once per crossing."""

    __tablename__ = "low_stock_alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id", ondelete="CASCADE"), index=True)
    stock_after: Mapped[int]
    threshold: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)

    variant: Mapped[Variant] = relationship()


class ExpiryDigest(db.Model):
    """The day's digest of lots expiring soon was recorded: the primary key makes it one a day with two workers."""

    __tablename__ = "expiry_digests"
    day: Mapped[date] = mapped_column(primary_key=True)
    lots: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
