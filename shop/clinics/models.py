"""A clinic and its members."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.accounts.models import TradeAccount, User
from shop.clock import utcnow
from shop.extensions import db

CLINIC_ROLES = ("owner", "buyer")


class Clinic(db.Model):
    """The business behind an approved trade account. Its trade account's status decides, for every
    member at once, whether the clinic sees trade prices (a suspension reaches its staff too)."""

    __tablename__ = "clinics"
    id: Mapped[int] = mapped_column(primary_key=True)
    trade_account_id: Mapped[int] = mapped_column(ForeignKey("trade_accounts.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    trade_account: Mapped[TradeAccount] = relationship(lazy="joined")
    members: Mapped[list["ClinicMember"]] = relationship(back_populates="clinic", order_by="ClinicMember.id",
                                                         cascade="all, delete-orphan")

    @property
    def is_approved(self) -> bool:
        return self.trade_account.status == "approved"


class ClinicMember(db.Model):
    """One person's place in a clinic. A person belongs to one clinic at most, so what they see and
    pay never depends on which clinic they "are in" at the moment."""

    __tablename__ = "clinic_members"
    __table_args__ = (CheckConstraint("role IN ('owner', 'buyer')", name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="buyer")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    clinic: Mapped[Clinic] = relationship(back_populates="members", lazy="joined")
    user: Mapped[User] = relationship(back_populates="clinic_membership")

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"
