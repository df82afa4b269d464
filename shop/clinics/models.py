"""A clinic, its members, invitations, sites and spending approvals."""
import json
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
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
    addresses: Mapped[list["ClinicAddress"]] = relationship(order_by="ClinicAddress.site_name, ClinicAddress.id",
                                                            cascade="all, delete-orphan")

    @property
    def owners(self) -> list["ClinicMember"]:
        return [m for m in self.members if m.is_owner]

    @property
    def is_approved(self) -> bool:
        return self.trade_account.status == "approved"


class ClinicMember(db.Model):
    """One person's place in a clinic. A person belongs to one clinic at most, so what they see and
    pay never depends on which clinic they "are in" at the moment."""

    __tablename__ = "clinic_members"
    __table_args__ = (
        CheckConstraint("role IN ('owner', 'buyer')", name="role"),
        CheckConstraint("monthly_limit_pence IS NULL OR monthly_limit_pence >= 0", name="limit_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="buyer")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by an owner for a buyer: what they may spend in a calendar month (UK time) without the owner's
    # approval; None is no limit. Owners have none.
    monthly_limit_pence: Mapped[int | None]

    clinic: Mapped[Clinic] = relationship(back_populates="members", lazy="joined")
    user: Mapped[User] = relationship(back_populates="clinic_membership")

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"


class ClinicInvitation(db.Model):
    """An owner's invitation for someone to join the clinic. Only the hash of the link's secret is kept,
    so the table alone opens nothing; accepting or revoking it spends the link for good."""

    __tablename__ = "clinic_invitations"
    __table_args__ = (CheckConstraint("role IN ('owner', 'buyer')", name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(20), default="buyer")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    clinic: Mapped[Clinic] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def is_open(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at


class ClinicAddress(db.Model):
    """One of the clinic's sites in its address book, chosen at checkout instead of typing the address at payment."""

    __tablename__ = "clinic_addresses"
    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    site_name: Mapped[str] = mapped_column(String(80))
    recipient: Mapped[str] = mapped_column(String(200))
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120))
    postcode: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def lines(self) -> list[str]:
        return [p for p in (self.recipient, self.line1, self.line2, self.city, self.postcode) if p]


APPROVAL_STATUSES = ("waiting", "approved", "declined", "withdrawn")


class SpendingApproval(db.Model):
    """A buyer's cart over their monthly limit, waiting for (or given) the owner's decision.

    The cart is kept as it was priced when asked, so the owner decides on what the buyer saw; the
    checkout prices it again. `order_id` is the checkout the approval was spent on: while that order is
    unpaid and then released, the approval may be used again; once paid, never.
    """

    __tablename__ = "spending_approvals"
    __table_args__ = (
        CheckConstraint("status IN ('waiting', 'approved', 'declined', 'withdrawn')", name="status"),
        CheckConstraint("total_pence >= 0", name="total_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="waiting")
    cart_json: Mapped[str] = mapped_column(Text)
    total_pence: Mapped[int]
    spent_pence: Mapped[int]  # the buyer's spend this month when they asked
    limit_pence: Mapped[int]
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))

    clinic: Mapped[Clinic] = relationship()
    buyer: Mapped[User | None] = relationship(foreign_keys=[buyer_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def cart(self) -> dict:
        return json.loads(self.cart_json)

    @property
    def quantities(self) -> dict[int, int]:
        return {int(line["variant_id"]): int(line["quantity"]) for line in self.cart["lines"]}
