"""Delivery methods, zones and rates: data the back office edits, never constants in code."""
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db

METHOD_KINDS = ("standard", "express", "courier", "collection")


class DeliveryZone(db.Model):
    """Where a parcel goes, as carriers price it: mainland GB, Highlands and Islands, ..."""

    __tablename__ = "delivery_zones"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)

    postcodes: Mapped[list["ZonePostcode"]] = relationship(
        back_populates="zone", cascade="all, delete-orphan", order_by="ZonePostcode.prefix")


class ZonePostcode(db.Model):
    """One postcode area ("HS") or outward code ("PA20") in a zone. A postcode matches its outward code
    first, then its area, so "KA27" can sit in the Highlands while the rest of "KA" is mainland."""

    __tablename__ = "delivery_zone_postcodes"
    __table_args__ = (CheckConstraint("length(prefix) BETWEEN 1 AND 4", name="prefix_length"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("delivery_zones.id", ondelete="CASCADE"), index=True)
    prefix: Mapped[str] = mapped_column(String(4), unique=True)

    zone: Mapped[DeliveryZone] = relationship(back_populates="postcodes")


class DeliveryMethod(db.Model):
    """A way of getting the order to the buyer, with its rates per zone and weight band."""

    __tablename__ = "delivery_methods"
    __table_args__ = (
        CheckConstraint("kind IN ('standard', 'express', 'courier', 'collection')", name="kind"),
        CheckConstraint("min_days >= 1 AND max_days >= min_days", name="estimate"),
        CheckConstraint("free_over_pence IS NULL OR free_over_pence > 0", name="free_over_positive"),
        CheckConstraint("min_weight_grams >= 0", name="min_weight_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))  # what the buyer and Stripe's page read
    kind: Mapped[str] = mapped_column(String(20), default="standard")
    min_days: Mapped[int] = mapped_column(default=2)  # working days
    max_days: Mapped[int] = mapped_column(default=3)
    # Orders whose goods reach this get this method free (standard only, in the demo).
    free_over_pence: Mapped[int | None]
    # A courier takes only parcels over a weight; Royal Mail's bands simply stop.
    min_weight_grams: Mapped[int] = mapped_column(default=0)
    # Click & collect: free, no address asked for; `note` says when it is ready.
    note: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    rates: Mapped[list["DeliveryRate"]] = relationship(
        back_populates="method", cascade="all, delete-orphan",
        order_by="(DeliveryRate.zone_id, DeliveryRate.max_weight_grams)")

    @property
    def is_collection(self) -> bool:
        return self.kind == "collection"


class DeliveryRate(db.Model):
    """The price of a parcel up to `max_weight_grams` to one zone by one method (the lightest band that fits wins)."""

    __tablename__ = "delivery_rates"
    __table_args__ = (
        UniqueConstraint("method_id", "zone_id", "max_weight_grams", name="uq_delivery_rates_band"),
        CheckConstraint("max_weight_grams > 0", name="weight_positive"),
        CheckConstraint("price_pence >= 0", name="price_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    method_id: Mapped[int] = mapped_column(ForeignKey("delivery_methods.id", ondelete="CASCADE"))
    zone_id: Mapped[int] = mapped_column(ForeignKey("delivery_zones.id", ondelete="CASCADE"), index=True)
    max_weight_grams: Mapped[int]
    price_pence: Mapped[int]

    method: Mapped[DeliveryMethod] = relationship(back_populates="rates")
    zone: Mapped[DeliveryZone] = relationship()
