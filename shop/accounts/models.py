"""People who sign in (customers, practitioners and admins) and what they keep with us."""
import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.catalog.models import Variant
from shop.clock import utcnow
from shop.extensions import db
from shop.accounts.passwords import hash_password, verify_password

ROLES = ("customer", "practitioner", "admin")

PROFESSIONS = {
    "massage_therapist": "Massage therapist",
    "physiotherapist": "Physiotherapist",
    "osteopath": "Osteopath",
    "chiropractor": "Chiropractor",
    "sports_therapist": "Sports therapist",
    "other": "Other",
}
TRADE_STATUSES = ("pending", "approved", "rejected", "suspended")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('customer', 'practitioner', 'admin')", name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="customer")
    name: Mapped[str] = mapped_column(String(120), default="")
    email_verified_at: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The second factor (shop/accounts/second_factor.py): a TOTP secret, set up pending until the
    # first code from the authenticator app is typed back; the last time-step used, so no code works twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    second_factor_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]

    trade_account: Mapped["TradeAccount | None"] = relationship(back_populates="user", uselist=False, lazy="joined")
    # Removed with the account by the erasure (shop/my_account/personal_data.py) and ON DELETE CASCADE;
    # "all" stops the ORM from trying to orphan a loaded one first.
    clinic_membership: Mapped["ClinicMember | None"] = relationship(back_populates="user", uselist=False, lazy="joined",
                                                                    passive_deletes="all")

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return verify_password(self.password_hash, password)

    @property
    def password_fingerprint(self) -> str:
        """Changes whenever the password does: ends other sessions and spends reset links."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def get_id(self) -> str:
        return f"{self.id}.{self.password_fingerprint}"

    @property
    def has_second_factor(self) -> bool:
        return self.second_factor_at is not None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def clinic(self):
        """The clinic this person owns or buys for (shop/clinics), or None."""
        return self.clinic_membership.clinic if self.clinic_membership is not None else None

    @property
    def is_trade(self) -> bool:
        """An approved practitioner, or a member of a clinic whose trade account is approved: sees and
        pays trade prices."""
        if self.trade_account is not None and self.trade_account.status == "approved":
            return True
        return self.clinic_membership is not None and self.clinic_membership.clinic.is_approved


class TradeAccount(db.Model):
    """A practitioner's application for trade prices, and the decision on it."""

    __tablename__ = "trade_accounts"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected', 'suspended')", name="status"),
        CheckConstraint(
            "profession IN ('massage_therapist', 'physiotherapist', 'osteopath', 'chiropractor', "
            "'sports_therapist', 'other')",
            name="profession",
        ),
        CheckConstraint("patient_discount_percent >= 0 AND patient_discount_percent <= 50", name="patient_discount"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    clinic_name: Mapped[str] = mapped_column(String(160))
    profession: Mapped[str] = mapped_column(String(30))
    professional_body: Mapped[str] = mapped_column(String(160))
    registration_number: Mapped[str] = mapped_column(String(60))
    address_line1: Mapped[str] = mapped_column(String(200))
    address_line2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120))
    postcode: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    # Set by an admin: taken off the retail price of what patients buy from this clinic's care plans.
    patient_discount_percent: Mapped[int] = mapped_column(default=0)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="trade_account")

    @property
    def profession_label(self) -> str:
        return PROFESSIONS.get(self.profession, self.profession)

    @property
    def address(self) -> list[str]:
        return [p for p in (self.address_line1, self.address_line2, self.city, self.postcode) if p]


class SupplyItem(db.Model):
    """One line of a supplies list: a size reordered, and how many are usually taken. The list is a
    customer's own (`user_id`) or, for a clinic's team, the clinic's (`clinic_id`), never both."""

    __tablename__ = "supply_items"
    __table_args__ = (
        UniqueConstraint("user_id", "variant_id"),
        UniqueConstraint("clinic_id", "variant_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("(user_id IS NULL) <> (clinic_id IS NULL)", name="one_list"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column(default=1)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    variant: Mapped[Variant] = relationship()


class RecoveryCode(db.Model):
    """A single-use code that stands in for the authenticator app; only its hash is kept."""

    __tablename__ = "recovery_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None]
