"""Who asked to hear when a sold-out size is back."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.catalog.models import Variant
from shop.clock import utcnow
from shop.extensions import db


class BackInStockRequest(db.Model):
    """A confirmed address waiting for one size; the row is deleted when the notice is recorded.

    Only confirmed addresses are ever stored: a guest's request becomes a row when they follow
    the signed link we emailed them, so nobody can put someone else on the list.
    """

    __tablename__ = "back_in_stock_requests"
    __table_args__ = (UniqueConstraint("variant_id", "email", name="uq_back_in_stock_variant_email"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    variant: Mapped[Variant] = relationship()


class CarePlanAlert(db.Model):
    """A size in a live care plan is out of stock or withdrawn, and its practitioner has been told.

    One row per plan and size for as long as the problem lasts: the unique key makes the email go
    once however often the job runs; the row is deleted when the size is on sale again, so the
    next time it runs out is a new episode and a new email.
    """

    __tablename__ = "care_plan_alerts"
    __table_args__ = (UniqueConstraint("plan_id", "variant_id", name="uq_care_plan_alert_plan_variant"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("care_plans.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id", ondelete="CASCADE"), index=True)
    withdrawn: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RefillReminderChoice(db.Model):
    """The customer ticked "Email me when something I reorder is due" on their account page."""

    __tablename__ = "refill_reminder_choices"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    opted_in_at: Mapped[datetime] = mapped_column(default=utcnow)


class RefillReminder(db.Model):
    """A refill reminder was recorded for this product and due date: the unique key keeps it to one."""

    __tablename__ = "refill_reminders"
    __table_args__ = (UniqueConstraint("user_id", "product_id", "due_on", name="uq_refill_reminder_user_product_due"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
