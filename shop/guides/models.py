from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.catalog.models import Product
from shop.clock import utcnow
from shop.extensions import db

product_guides = db.Table(
    "product_guides",
    db.Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    db.Column("guide_id", ForeignKey("guides.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Guide(db.Model):
    __tablename__ = "guides"
    __table_args__ = (Index("ix_guides_published_at", "published", "published_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")  # markdown, rendered and sanitised on display
    published: Mapped[bool] = mapped_column(default=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    products: Mapped[list[Product]] = relationship(
        secondary=product_guides, back_populates="guides", order_by=Product.name
    )

    def __repr__(self):
        return f"<Guide {self.slug}>"

    @property
    def reading_minutes(self) -> int:
        return max(1, round(len(self.body.split()) / 200))
