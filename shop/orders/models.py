import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.clock import utcnow
from shop.extensions import db
from shop.orders.status import STATUS_LABELS, OrderStatus

# Stripe accepts only these reasons; the admin's own words go into the note.
REFUND_REASONS = {
    "requested_by_customer": "Requested by the customer",
    "duplicate": "Duplicate payment",
    "fraudulent": "Fraudulent",
}


# The guides a care plan's practitioner chose, kept with the order (the plan may change or go later).
order_plan_guides = db.Table(
    "order_plan_guides",
    db.Column("order_id", ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True),
    db.Column("guide_id", ForeignKey("guides.id", ondelete="CASCADE"), primary_key=True, index=True),
)


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits: the private order link


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending_payment', 'payment_processing', 'paid', 'needs_review', "
            "'cancelled', 'expired', 'payment_failed', 'on_account')",
            name="status",
        ),
        CheckConstraint("subtotal_pence >= 0 AND shipping_pence >= 0 AND total_pence >= 0", name="amounts"),
        CheckConstraint("refunded_pence >= 0 AND refunded_pence <= total_pence", name="refund_within_total"),
        CheckConstraint("pricing IN ('retail', 'trade')", name="pricing"),
        CheckConstraint("discount_pence >= 0", name="discount_not_negative"),
        CheckConstraint("code_discount_pence >= 0 AND code_discount_pence <= subtotal_pence AND code_delivery_off_pence >= 0",
                        name="code_discount_within_items"),
        Index("ix_orders_status_hold", "status", "hold_expires_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    status: Mapped[str] = mapped_column(String(30), default=OrderStatus.PENDING_PAYMENT)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The clinic a member placed it for (shop/clinics): its whole team sees it; `user_id` says who placed it.
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinics.id", ondelete="SET NULL"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_pence: Mapped[int]
    shipping_pence: Mapped[int]
    total_pence: Mapped[int]
    refunded_pence: Mapped[int] = mapped_column(default=0)
    gateway: Mapped[str] = mapped_column(String(20))
    # retail or trade: which price list the lines were taken from
    pricing: Mapped[str] = mapped_column(String(10), default="retail")
    # Bought from a practitioner's care plan: counted for the plan, never shown to the practitioner.
    care_plan_id: Mapped[int | None] = mapped_column(ForeignKey("care_plans.id", ondelete="SET NULL"), index=True)
    # The plan as the patient bought from it: the patient keeps the instructions even after the
    # practitioner edits the plan or revokes its link. Nothing here says who the patient is.
    care_plan_title: Mapped[str | None] = mapped_column(String(120))
    care_plan_practitioner: Mapped[str | None] = mapped_column(String(120))
    care_plan_clinic: Mapped[str | None] = mapped_column(String(160))
    # The clinic's patient discount already taken off the lines' prices (for the receipt).
    discount_pence: Mapped[int] = mapped_column(default=0)
    # Bought on a clinic's payment terms (shop/invoicing): it has an invoice, paid after the order is confirmed.
    on_account: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    checkout_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    checkout_url: Mapped[str | None] = mapped_column(Text)
    payment_intent_id: Mapped[str | None] = mapped_column(String(255), index=True)
    hold_expires_at: Mapped[datetime | None]
    review_reason: Mapped[str] = mapped_column(Text, default="")
    ship_name: Mapped[str] = mapped_column(String(200), default="")
    ship_line1: Mapped[str] = mapped_column(String(200), default="")
    ship_line2: Mapped[str] = mapped_column(String(200), default="")
    ship_city: Mapped[str] = mapped_column(String(120), default="")
    ship_postcode: Mapped[str] = mapped_column(String(20), default="")
    ship_country: Mapped[str] = mapped_column(String(2), default="")
    # The delivery the buyer chose and was charged for, as it was priced (methods and rates change later).
    delivery_method_code: Mapped[str] = mapped_column(String(40), default="")
    delivery_method_name: Mapped[str] = mapped_column(String(100), default="")
    delivery_kind: Mapped[str] = mapped_column(String(20), default="")
    delivery_zone_code: Mapped[str] = mapped_column(String(40), default="")  # "" for click & collect
    delivery_zone_name: Mapped[str] = mapped_column(String(100), default="")
    delivery_postcode: Mapped[str] = mapped_column(String(10), default="")  # as the buyer typed it in the cart
    delivery_min_days: Mapped[int | None]
    delivery_max_days: Mapped[int | None]
    delivery_estimate: Mapped[str] = mapped_column(String(200), default="")
    parcel_weight_grams: Mapped[int | None]
    # A discount code: what it took off the items, and off delivery (a free-delivery code); one code an order.
    discount_code: Mapped[str | None] = mapped_column(String(40))
    code_discount_pence: Mapped[int] = mapped_column(default=0)
    code_delivery_off_pence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[datetime | None]
    confirmation_sent_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    carrier: Mapped[str] = mapped_column(String(60), default="")
    tracking_number: Mapped[str] = mapped_column(String(80), default="")

    lines: Mapped[list["OrderLine"]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    events: Mapped[list["OrderEvent"]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderEvent.id"
    )
    plan_guides: Mapped[list["Guide"]] = relationship(  # noqa: F821 - defined in shop.guides
        secondary=order_plan_guides, order_by="Guide.title"
    )
    user: Mapped["User | None"] = relationship()  # noqa: F821 - defined in shop.accounts
    clinic: Mapped["Clinic | None"] = relationship()  # noqa: F821 - defined in shop.clinics

    @property
    def number(self) -> str:
        return f"EC{self.id:06d}"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def net_paid_pence(self) -> int:
        return self.total_pence - self.refunded_pence

    @property
    def trade_clinic(self) -> str:
        """The clinic a trade order was bought for, for its receipt ("" for retail orders)."""
        if self.pricing == "trade" and self.clinic is not None:
            return self.clinic.name
        account = self.user.trade_account if self.pricing == "trade" and self.user is not None else None
        return account.clinic_name if account is not None else ""

    @property
    def quantities(self) -> dict[int, int]:
        held: dict[int, int] = {}
        for line in self.lines:
            held[line.variant_id] = held.get(line.variant_id, 0) + line.quantity
        return held

    @property
    def is_collection(self) -> bool:
        return self.delivery_kind == "collection"

    @property
    def shipping_address(self) -> list[str]:
        parts = [self.ship_name, self.ship_line1, self.ship_line2, self.ship_city, self.ship_postcode, self.ship_country]
        return [p for p in parts if p]


class OrderLine(db.Model):
    """A snapshot: what the buyer saw and paid, whatever happens to the catalogue later."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_pence >= 0", name="price_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    sku: Mapped[str] = mapped_column(String(40))
    product_name: Mapped[str] = mapped_column(String(120))
    size_label: Mapped[str] = mapped_column(String(40))
    unit_price_pence: Mapped[int]
    quantity: Mapped[int]
    # The practitioner's how-to-use note when the line came from a care plan.
    plan_note: Mapped[str | None] = mapped_column(Text)
    # The discount the line was sold with, as Stripe's line description named it, e.g. "10% patient
    # discount from Harbour Physio"; None for a line at its list price.
    discount_label: Mapped[str | None] = mapped_column(String(200))
    # The trade volume price break the unit price came from (its minimum quantity, e.g. 12 for "12 or
    # more"); None for a line at its plain retail or trade price.
    volume_min_quantity: Mapped[int | None]

    order: Mapped[Order] = relationship(back_populates="lines")
    # The lots this line's units came from (shop/inventory/lots.py writes them; read-only here).
    lot_allocations: Mapped[list["LotAllocation"]] = relationship(  # noqa: F821 - defined in shop.inventory
        order_by="LotAllocation.id", viewonly=True)

    @property
    def line_total_pence(self) -> int:
        return self.unit_price_pence * self.quantity

    @property
    def volume_label(self) -> str:
        return f"volume price, {self.volume_min_quantity} or more" if self.volume_min_quantity else ""


class OrderEvent(db.Model):
    """The order's history: every change of state, and why."""

    __tablename__ = "order_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    order: Mapped[Order] = relationship(back_populates="events")


class WebhookEvent(db.Model):
    """Each Stripe event id is handled once: the primary key is the guard."""

    __tablename__ = "webhook_events"
    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrderRefund(db.Model):
    """One refund made from the back office, as the gateway confirmed it."""

    __tablename__ = "order_refunds"
    __table_args__ = (CheckConstraint("amount_pence > 0", name="amount_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    gateway_refund_id: Mapped[str] = mapped_column(String(255), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    amount_pence: Mapped[int]
    reason: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    units_returned: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def reason_label(self) -> str:
        return REFUND_REASONS.get(self.reason, self.reason)
