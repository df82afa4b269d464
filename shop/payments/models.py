from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shop.clock import utcnow
from shop.extensions import db


class DemoCheckoutSession(db.Model):
    """A checkout session of the demo gateway: no money moves, the same order code runs."""

    __tablename__ = "demo_checkout_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    payment_status: Mapped[str] = mapped_column(String(20), default="unpaid")
    amount_total: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    email: Mapped[str | None] = mapped_column(String(254))
    lines_json: Mapped[str] = mapped_column(Text)
    success_url: Mapped[str] = mapped_column(Text)
    cancel_url: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime]
    # Where the demo "buyer" lives: the postcode the cart priced delivery for; "" for click & collect.
    ship_postcode: Mapped[str] = mapped_column(String(10), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DemoInvoice(db.Model):
    """An invoice of the demo gateway: a page in the shop that can be paid or left unpaid; no money moves."""

    __tablename__ = "demo_invoices"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    customer_id: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="open")
    amount_due: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    lines_json: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
