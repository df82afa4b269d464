"""Filling empty delivery tables with the standard zones and the demo methods (shop.delivery.standard_data)."""
from sqlalchemy import func, select

from shop.delivery import standard_data
from shop.delivery.models import DeliveryMethod, DeliveryRate, DeliveryZone, ZonePostcode
from shop.extensions import db


def load_standard_delivery() -> bool:
    """Load the zones, methods and rates when there are none yet (never over an admin's own). True if loaded.

    Adds to the caller's transaction; the caller commits.
    """
    if db.session.scalar(select(func.count(DeliveryZone.id))) or db.session.scalar(select(func.count(DeliveryMethod.id))):
        return False
    zones = {}
    for position, data in enumerate(standard_data.ZONES):
        zone = DeliveryZone(code=data["code"], name=data["name"], position=position,
                            postcodes=[ZonePostcode(prefix=p) for p in data["prefixes"]])
        zones[zone.code] = zone
        db.session.add(zone)
    for position, data in enumerate(standard_data.METHODS):
        method = DeliveryMethod(
            code=data["code"], name=data["name"], kind=data["kind"], min_days=data["min_days"], max_days=data["max_days"],
            free_over_pence=data.get("free_over_pence"), min_weight_grams=data.get("min_weight_grams", 0),
            note=data.get("note", ""), position=position,
            rates=[DeliveryRate(zone=zones[code], max_weight_grams=grams, price_pence=price)
                   for code, bands in data["rates"].items() for grams, price in bands],
        )
        db.session.add(method)
    db.session.flush()
    return True
