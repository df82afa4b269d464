"""A clinic's payment terms, and the invoice of each order it bought on account."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from shop.clinics.models import Clinic
from shop.clock import utcnow
from shop.extensions import db
from shop.orders.models import Order

TERM_DAYS = (7, 14, 30)
INVOICE_STATUSES = ("preparing", "open", "paid", "void")
# Owed: counted against the credit limit until paid or voided.
UNPAID = ("preparing", "open")


class PaymentTerms(db.Model):
    """What the back office granted a clinic. `days` None: no terms (withdrawn, or never granted); the row
    stays so the clinic's customer at the gateway is remembered and never made twice."""

    __tablename__ = "payment_terms"
    __table_args__ = (
        CheckConstraint("days IS NULL OR days IN (7, 14, 30)", name="days"),
        CheckConstraint("credit_limit_pence >= 0", name="credit_limit_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), unique=True)
    days: Mapped[int | None]
    credit_limit_pence: Mapped[int] = mapped_column(default=0)
    gateway_customer_id: Mapped[str | None] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    clinic: Mapped[Clinic] = relationship(backref=backref("payment_terms", uselist=False, lazy="select"))

    @property
    def granted(self) -> bool:
        return self.days is not None


class Invoice(db.Model):
    """The invoice of one order bought on account. `preparing` until the worker has created it at the
    gateway; `open` (sent, to be paid by `due_at`), then `paid` or `void`."""

    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("status IN ('preparing', 'open', 'paid', 'void')", name="status"),
        CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
        CheckConstraint("terms_days IN (7, 14, 30)", name="terms_days"),
        Index("ix_invoices_clinic_status", "clinic_id", "status"),
        Index("ix_invoices_status_due", "status", "due_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    # Kept when a clinic goes, for the accounts: the order still says who bought.
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinics.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="preparing")
    amount_pence: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    terms_days: Mapped[int]
    # When it falls due: the order's day plus the terms, then the gateway's due date once it is sent.
    due_at: Mapped[datetime]
    gateway_invoice_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    number: Mapped[str | None] = mapped_column(String(80))
    hosted_url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]
    overdue_at: Mapped[datetime | None]  # found past its due date, unpaid
    payment_failed_at: Mapped[datetime | None]  # the latest attempt to pay it failed
    attempts: Mapped[int] = mapped_column(default=0)  # tries at creating it at the gateway
    last_error: Mapped[str] = mapped_column(Text, default="")

    # Looked up only for orders bought on account (`Order.on_account`), so other pages never pay for it.
    order: Mapped[Order] = relationship(backref=backref("invoice", uselist=False, lazy="select"))
    clinic: Mapped[Clinic | None] = relationship()

    def is_overdue(self, now: datetime) -> bool:
        return self.status in UNPAID and self.due_at < now

    @property
    def status_label(self) -> str:
        return {"preparing": "Being prepared", "open": "To pay", "paid": "Paid", "void": "Void"}[self.status]
