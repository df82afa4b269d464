"""Delivery methods, their rates and the zones' postcodes in the back office: every change audited, in the same transaction."""
import re
from dataclasses import dataclass, field

from shop.audit.services import record_audit
from shop.delivery.models import DeliveryMethod, DeliveryRate, DeliveryZone, ZonePostcode
from shop.extensions import db
from shop.money import parse_pounds, pounds_text
from shop.problems import Problem


class DeliveryError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(" ".join(problems))


@dataclass
class MethodFields:
    name: str = ""
    min_days: str = ""
    max_days: str = ""
    free_over: str = ""  # pounds, empty for none
    min_weight_grams: str = ""
    note: str = ""
    active: bool = True
    # (zone id, up to grams) -> price typed in pounds; an empty price means no rate for that band
    rates: dict[tuple[int, int], str] = field(default_factory=dict)
    new_band_grams: str = ""
    new_band: dict[int, str] = field(default_factory=dict)  # zone id -> price for the new band

    @classmethod
    def of(cls, method: DeliveryMethod) -> "MethodFields":
        return cls(name=method.name, min_days=str(method.min_days), max_days=str(method.max_days),
                   free_over=pounds_text(method.free_over_pence) if method.free_over_pence else "",
                   min_weight_grams=str(method.min_weight_grams or ""), note=method.note, active=method.active,
                   rates={(r.zone_id, r.max_weight_grams): pounds_text(r.price_pence) for r in method.rates})


def _snapshot(method: DeliveryMethod) -> dict:
    return {"name": method.name, "min_days": method.min_days, "max_days": method.max_days,
            "free_over_pence": method.free_over_pence, "min_weight_grams": method.min_weight_grams, "note": method.note,
            "active": method.active,
            "rates": sorted(f"{r.zone.code} up to {r.max_weight_grams} g: {r.price_pence}" for r in method.rates)}


def _whole(text, message, problems, input_id, *, minimum=0):
    text = (text or "").strip()
    if not text.isdigit() or int(text) < minimum or int(text) > 1_000_000:
        problems.append(Problem(message, input_id))
        return None
    return int(text)


def save_method(method_id: int, fields: MethodFields, *, actor) -> DeliveryMethod:
    """The method's details and its whole rate table, every field or none, audited."""
    method = db.session.get(DeliveryMethod, method_id)
    zones = {z.id: z for z in db.session.query(DeliveryZone)}
    problems: list[Problem] = []
    name = fields.name.strip()
    if not name or len(name) > 100:
        problems.append(Problem("Enter the method's name as buyers and Stripe's page show it (up to 100 characters).", "method-name"))
    min_days = _whole(fields.min_days, "Enter the fewest working days as a whole number from 1.", problems, "method-min-days", minimum=1)
    max_days = _whole(fields.max_days, "Enter the most working days as a whole number from 1.", problems, "method-max-days", minimum=1)
    if min_days and max_days and max_days < min_days:
        problems.append(Problem("The most working days cannot be fewer than the fewest.", "method-max-days"))
    free_over = None
    if fields.free_over.strip():
        try:
            free_over = parse_pounds(fields.free_over, field="free-over amount")
        except ValueError as error:
            problems.append(Problem(str(error), "method-free-over"))
    min_weight = _whole(fields.min_weight_grams or "0", "Enter the weight in whole grams.", problems, "method-min-weight")
    rates: dict[tuple[int, int], int] = {}
    typed = dict(fields.rates)
    if fields.new_band_grams.strip() or any(v.strip() for v in fields.new_band.values()):
        grams = _whole(fields.new_band_grams, "Enter the new band's weight in whole grams, more than 0.", problems, "band-new", minimum=1)
        if grams:
            typed.update({(zone_id, grams): price for zone_id, price in fields.new_band.items()})
    for (zone_id, grams), price in typed.items():
        if not price.strip():
            continue  # no rate: the method does not carry that band to that zone
        if zone_id not in zones:
            continue
        try:
            rates[(zone_id, grams)] = parse_pounds(price, field="price", allow_zero=True)
        except ValueError as error:
            problems.append(Problem(f"{zones[zone_id].name}, up to {grams} g: {error}", f"rate-{zone_id}-{grams}"))
    if problems:
        raise DeliveryError(problems)
    before = _snapshot(method)
    method.name, method.min_days, method.max_days, method.free_over_pence = name, min_days, max_days, free_over
    method.min_weight_grams, method.note, method.active = min_weight, fields.note.strip()[:200], fields.active
    kept = {(r.zone_id, r.max_weight_grams): r for r in method.rates}
    for key, rate in kept.items():
        if key not in rates:
            method.rates.remove(rate)
    for (zone_id, grams), price in rates.items():
        if (zone_id, grams) in kept:
            kept[(zone_id, grams)].price_pence = price
        else:
            method.rates.append(DeliveryRate(zone_id=zone_id, max_weight_grams=grams, price_pence=price))
    db.session.flush()
    db.session.refresh(method)
    record_audit(actor, "delivery.method_saved", method, before, _snapshot(method), summary=f"delivery method {method.name}")
    db.session.commit()
    return method


_PREFIX = re.compile(r"^[A-Z]{1,2}([0-9][0-9A-Z]?)?$")


def save_zone_postcodes(zone_id: int, text: str, *, actor) -> DeliveryZone:
    """The postcode areas ("HS") and outward codes ("PA20") of one zone, typed as a list; audited.
    A prefix already in another zone is refused: a postcode must be in one zone only."""
    zone = db.session.get(DeliveryZone, zone_id)
    typed = [p for p in re.split(r"[\s,;]+", (text or "").upper()) if p]
    bad = sorted({p for p in typed if not _PREFIX.match(p)})
    problems = []
    if bad:
        problems.append(Problem(f"Not a postcode area or district: {', '.join(bad[:10])}. Use areas like HS or districts like PA20.",
                                f"zone-{zone_id}"))
    elsewhere = db.session.query(ZonePostcode.prefix, DeliveryZone.name).join(ZonePostcode.zone).filter(
        ZonePostcode.prefix.in_(typed), ZonePostcode.zone_id != zone_id).all()
    if elsewhere:
        problems.append(Problem("Already in another zone: " + ", ".join(f"{p} ({name})" for p, name in sorted(elsewhere)[:10]) + ".",
                                f"zone-{zone_id}"))
    if problems:
        raise DeliveryError(problems)
    before = {"postcodes": sorted(p.prefix for p in zone.postcodes)}
    wanted = set(typed)
    for row in list(zone.postcodes):
        if row.prefix not in wanted:
            zone.postcodes.remove(row)
    have = {p.prefix for p in zone.postcodes}
    zone.postcodes.extend(ZonePostcode(prefix=p) for p in sorted(wanted - have))
    db.session.flush()
    record_audit(actor, "delivery.zone_saved", zone, before, {"postcodes": sorted(wanted)}, summary=f"delivery zone {zone.name}")
    db.session.commit()
    return zone
