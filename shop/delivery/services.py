"""Delivery rules: which zone a postcode is in, what each method costs for a parcel, what the buyer chose.

Plain functions over the delivery tables; the cart prices with them and checkout keeps their answer
on the order. Nothing here knows about carts, orders or Stripe.
"""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from shop.delivery.models import DeliveryMethod, DeliveryRate, DeliveryZone, ZonePostcode
from shop.extensions import db
from shop.postcodes import PostcodeError, normalise_postcode


class Undeliverable(ValueError):
    """A real postcode the store does not deliver to, or a parcel no method takes; the message says which."""


@dataclass(frozen=True)
class DeliveryOption:
    """One method the buyer may choose, priced for their parcel and zone."""

    method_code: str
    name: str
    kind: str
    price_pence: int
    min_days: int
    max_days: int
    zone_code: str = ""  # "" for click & collect: nothing travels
    zone_name: str = ""
    note: str = ""
    made_free: bool = False  # free because the goods reach the method's free-over threshold
    free_over_pence: int | None = None

    @property
    def is_collection(self) -> bool:
        return self.kind == "collection"

    @property
    def estimate(self) -> str:
        if self.is_collection and self.note:
            return self.note
        days = f"{self.min_days}" if self.min_days == self.max_days else f"{self.min_days}–{self.max_days}"
        return f"{days} working day{'' if self.max_days == 1 else 's'}"


@dataclass
class DeliveryQuote:
    """The methods open to one parcel: everything the cart shows about delivery."""

    postcode: str = ""  # normalised, "" when none was given
    zone_code: str = ""
    zone_name: str = ""
    options: list[DeliveryOption] = field(default_factory=list)
    problem: str = ""  # why a postcode gets no delivery, for the buyer

    def option(self, method_code: str | None) -> DeliveryOption | None:
        return next((o for o in self.options if o.method_code == method_code), None)


def outward_and_area(postcode: str) -> tuple[str, str]:
    """'PA34 4AB' -> ('PA34', 'PA'); the postcode must already be normalised."""
    outward = postcode.split(" ")[0]
    area = "".join(c for c in outward[:2] if c.isalpha())
    return outward, area


def zone_for_postcode(postcode: str) -> DeliveryZone:
    """The zone of a normalised postcode: its outward code's entry, else its area's. Undeliverable if neither."""
    outward, area = outward_and_area(postcode)
    rows = db.session.execute(
        select(ZonePostcode.prefix, DeliveryZone).join(ZonePostcode.zone).where(ZonePostcode.prefix.in_([outward, area]))
    ).all()
    by_prefix = {prefix: zone for prefix, zone in rows}
    zone = by_prefix.get(outward) or by_prefix.get(area)
    if zone is None:
        raise Undeliverable(f"Sorry, we don't deliver to {postcode}. You can still choose click & collect.")
    return zone


def zone_code_of(postcode: str) -> str | None:
    """The zone code of any text a payment page collected, or None when it is no postcode we deliver to."""
    try:
        return zone_for_postcode(normalise_postcode(postcode)).code
    except (PostcodeError, Undeliverable):
        return None


def _active_methods() -> list[DeliveryMethod]:
    # One query: the cart runs it on every view.
    return list(db.session.scalars(
        select(DeliveryMethod).where(DeliveryMethod.active.is_(True))
        .options(joinedload(DeliveryMethod.rates)).order_by(DeliveryMethod.position, DeliveryMethod.id)
    ).unique())


def _price(method: DeliveryMethod, zone: DeliveryZone, weight_grams: int) -> int | None:
    """The lightest band of the zone that takes the parcel; None when the method does not carry it there."""
    if weight_grams <= method.min_weight_grams:
        return None
    bands = [r for r in method.rates if r.zone_id == zone.id and r.max_weight_grams >= weight_grams]
    return min(bands, key=lambda r: r.max_weight_grams).price_pence if bands else None


def quote_delivery(postcode_text: str | None, *, weight_grams: int, goods_pence: int) -> DeliveryQuote:
    """The methods open to a parcel of `weight_grams` going to the postcode typed, each priced.

    Without a postcode only click & collect is offered. A malformed postcode raises PostcodeError; a
    postcode outside every zone gets a quote with only collection and a problem that says so.
    """
    quote = DeliveryQuote()
    zone = None
    if postcode_text and postcode_text.strip():
        quote.postcode = normalise_postcode(postcode_text)
        try:
            zone = zone_for_postcode(quote.postcode)
            quote.zone_code, quote.zone_name = zone.code, zone.name
        except Undeliverable as error:
            quote.problem = str(error)
    for method in _active_methods():
        if method.is_collection:
            quote.options.append(_option(method, 0))
            continue
        if zone is None:
            continue
        price = _price(method, zone, weight_grams)
        if price is None:
            continue
        free = method.free_over_pence is not None and goods_pence >= method.free_over_pence and price > 0
        quote.options.append(_option(method, 0 if free else price, zone, made_free=free))
    if zone is not None and not any(not o.is_collection for o in quote.options):
        quote.problem = (f"Sorry, none of our couriers takes a parcel this heavy to {quote.postcode}. "
                         "Please split the order, or choose click & collect.")
    return quote


def _option(method: DeliveryMethod, price: int, zone: DeliveryZone | None = None, *, made_free: bool = False) -> DeliveryOption:
    return DeliveryOption(method_code=method.code, name=method.name, kind=method.kind, price_pence=price,
                          min_days=method.min_days, max_days=method.max_days,
                          zone_code=zone.code if zone else "", zone_name=zone.name if zone else "",
                          note=method.note, made_free=made_free, free_over_pence=method.free_over_pence)


def free_over_thresholds() -> list[tuple[str, int]]:
    """(method name, threshold) for every active method that goes free over a spend: for the cart's nudge."""
    return [(m.name, m.free_over_pence) for m in _active_methods() if m.free_over_pence]


def all_rates() -> list[DeliveryMethod]:
    """Every method with its rates and zones, for the delivery page."""
    return list(db.session.scalars(
        select(DeliveryMethod).options(selectinload(DeliveryMethod.rates).joinedload(DeliveryRate.zone))
        .where(DeliveryMethod.active.is_(True)).order_by(DeliveryMethod.position, DeliveryMethod.id)
    ))


def all_zones() -> list[DeliveryZone]:
    return list(db.session.scalars(
        select(DeliveryZone).options(selectinload(DeliveryZone.postcodes)).order_by(DeliveryZone.position, DeliveryZone.id)))
