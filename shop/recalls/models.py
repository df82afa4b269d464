from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.clock import utcnow
from shop.extensions import db
from shop.inventory.models import Lot

SERIOUSNESS = {
    "mild": "Mild: redness or itching that settled by itself",
    "moderate": "Moderate: needed treatment or stopped me working",
    "serious": "Serious: saw a doctor, hospital, or it lasted weeks",
}


class RecallNotice(db.Model):
    """One customer told about one recalled lot: the unique key makes it once, however often the recall runs."""

    __tablename__ = "recall_notices"
    __table_args__ = (UniqueConstraint("lot_id", "email", name="uq_recall_notices_lot_email"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lot: Mapped[Lot] = relationship()


class ReactionReport(db.Model):
    """A customer's report of a skin reaction or other undesirable effect, kept for the responsible person."""

    __tablename__ = "reaction_reports"
    __table_args__ = (CheckConstraint("seriousness IN ('mild', 'moderate', 'serious')", name="seriousness"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id", ondelete="SET NULL"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(254), default="")
    what_happened: Mapped[str] = mapped_column(Text)
    started_on: Mapped[date | None]
    seriousness: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lot: Mapped[Lot | None] = relationship()
    product: Mapped["Product | None"] = relationship()  # noqa: F821 - defined in shop.catalog

    @property
    def seriousness_label(self) -> str:
        return SERIOUSNESS.get(self.seriousness, self.seriousness).split(":")[0]

