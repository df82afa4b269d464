"""Who asked to hear when a sold-out size is back."""
from datetime import datetime

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
