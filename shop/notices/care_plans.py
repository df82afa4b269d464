"""Practitioners hear when a size in one of their live care plans runs out or is withdrawn.

A periodic job (shop/messages/jobs.py) rather than a hook in the stock ledger: a product is
withdrawn by an edit in the back office, not a stock movement, and one job sees both causes.
It compares the plans with the shop as it is, so it is idempotent: a plan and size already
told about (a CarePlanAlert row) is not told again until the size has been back on sale.
"""
from datetime import datetime

from flask import render_template, url_for
from sqlalchemy import delete, exists, or_, select

from shop.careplans.models import CarePlan, CarePlanItem
from shop.catalog.models import Product, Variant
from shop.extensions import db
from shop.messages.outbox import record_message
from shop.notices.models import CarePlanAlert

UNAVAILABLE = or_(Variant.stock_on_hand <= 0, Product.published.is_(False))


def alert_practitioners(now: datetime) -> str:
    """Record one email per plan and size newly unavailable; forget the ones on sale again. Commits."""
    back = db.session.execute(
        delete(CarePlanAlert).where(CarePlanAlert.variant_id.in_(
            select(Variant.id).join(Product).where(Variant.stock_on_hand > 0, Product.published.is_(True))))
        .execution_options(synchronize_session=False)).rowcount
    told = exists().where(CarePlanAlert.plan_id == CarePlan.id, CarePlanAlert.variant_id == Variant.id)
    rows = db.session.execute(
        select(CarePlan, Variant).select_from(CarePlanItem)
        .join(CarePlan, CarePlan.id == CarePlanItem.plan_id).join(Variant, Variant.id == CarePlanItem.variant_id)
        .join(Product, Product.id == Variant.product_id)
        .where(CarePlan.revoked_at.is_(None), UNAVAILABLE, ~told)
        .order_by(CarePlan.id, Variant.id).distinct()
    ).all()
    for plan, variant in rows:
        withdrawn = not variant.product.published
        db.session.add(CarePlanAlert(plan_id=plan.id, variant_id=variant.id, withdrawn=withdrawn, created_at=now))
        text = render_template("email/notices/care_plan_alert.txt", plan=plan, variant=variant, withdrawn=withdrawn,
                               link=url_for("careplans.edit", plan_id=plan.id, _external=True))
        state = "withdrawn" if withdrawn else "out of stock"
        record_message(plan.practitioner.email, f"{variant.product.name} ({variant.size_label}) is {state}: {plan.title}"[:300],
                       text, kind="care_plan_alert", about=plan, now=now)
    db.session.commit()
    return f"told {len(rows)}, {back} back on sale"

