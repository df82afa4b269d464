"""A care plan holds products, notes and guides; never anything about the patient."""
import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.accounts.models import User
from shop.catalog.models import Variant
from shop.clock import utcnow
from shop.extensions import db

MAX_NOTE_LENGTH = 300


def new_plan_token() -> str:
    return secrets.token_urlsafe(22)  # 176 bits: not guessable, short enough for a QR code


care_plan_guides = Table(
    "care_plan_guides",
    db.metadata,
    Column("plan_id", ForeignKey("care_plans.id", ondelete="CASCADE"), primary_key=True),
    Column("guide_id", ForeignKey("guides.id", ondelete="CASCADE"), primary_key=True),
)


class CarePlan(db.Model):
    __tablename__ = "care_plans"
    __table_args__ = (CheckConstraint("opened_count >= 0", name="opened_not_negative"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    is_template: Mapped[bool] = mapped_column(default=False)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_plan_token)
    revoked_at: Mapped[datetime | None]
    opened_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    practitioner: Mapped[User] = relationship()
    items: Mapped[list["CarePlanItem"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="CarePlanItem.position, CarePlanItem.id"
    )
    guides: Mapped[list["Guide"]] = relationship(secondary=care_plan_guides, order_by="Guide.title")  # noqa: F821

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class CarePlanItem(db.Model):
    __tablename__ = "care_plan_items"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("care_plans.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column(default=1)
    note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[CarePlan] = relationship(back_populates="items")
    variant: Mapped[Variant] = relationship()
