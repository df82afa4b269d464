"""Discount codes for tests: valid by default, every rule a keyword away."""
from shop.extensions import db
from shop.offers.models import DiscountCode


def code(code="SPRING10", *, kind="percent", percent_off=10, amount_off_pence=None, **fields):
    made = DiscountCode(code=code, kind=kind, percent_off=percent_off if kind == "percent" else None,
                        amount_off_pence=amount_off_pence, **fields)
    db.session.add(made)
    db.session.commit()
    return made
