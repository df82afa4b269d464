"""A professional size with trade volume prices, as the tests of volume prices and case quantities use it."""
from shop.catalog.models import PriceBreak
from shop.extensions import db
from tests import factories as make


def litre_of_oil(stock=60, breaks=((6, 2850), (12, 2700)), case=1):
    """Almond Oil 1 L: retail £40.00, trade £30.00, then (by default) £28.50 from 6 and £27.00 from 12."""
    variant = make.product("Almond Oil", sizes=((1000, 4000, stock),)).variants[0]
    variant.case_quantity = case
    variant.price_breaks = [PriceBreak(min_quantity=q, unit_price_pence=p) for q, p in breaks]
    db.session.commit()
    return variant
