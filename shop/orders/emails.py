"""What the order confirmation email says, beyond the lines: the care plan's notes and guides, and
a reminder of the allergens and cautions of what was bought (the buyer may not be the one who
read the product page)."""
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.catalog.models import Product
from shop.extensions import db
from shop.orders.models import Order


@dataclass
class SafetyReminder:
    product_name: str
    allergens: list[str]
    cautions: str


def safety_reminders(order: Order) -> list[SafetyReminder]:
    """One per product bought that has allergens or cautions, as the catalogue says them now."""
    product_ids = {line.product_id for line in order.lines}
    if not product_ids:
        return []
    products = db.session.scalars(
        select(Product).where(Product.id.in_(product_ids)).options(selectinload(Product.flags)).order_by(Product.name)
    )
    return [SafetyReminder(p.name, [f.name for f in p.allergens], p.cautions.strip())
            for p in products if p.allergens or p.cautions.strip()]


def confirmation_context(order: Order, product_guides: list) -> dict:
    def external(guide):
        return guide, url_for("guides.detail", slug=guide.slug, _external=True)

    return {
        "order": order,
        "order_url": url_for("checkout.order_page", token=order.token, _external=True),
        "receipt_url": url_for("checkout.order_receipt", token=order.token, _external=True),
        "guides": [external(g) for g in product_guides],
        "plan_guides": [external(g) for g in order.plan_guides if g.published],
        "safety": safety_reminders(order),
    }
