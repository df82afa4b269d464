"""Whose orders are whose: what a signed-in customer sees of orders in their account.

An order is theirs when it is linked to the account, or when it was bought as a guest with the
account's email once that email is confirmed. Abandoned checkouts are not orders to them.
"""
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from shop.extensions import db
from shop.orders.models import Order, OrderLine
from shop.orders.status import SHOWN_TO_BUYER


def _owned_by(user):
    """Orders linked to the account, and guest orders with its email once that email is confirmed."""
    if user.email_verified:
        return or_(Order.user_id == user.id, Order.email == user.email)
    return Order.user_id == user.id


def orders_of(user) -> list[Order]:
    return db.session.scalars(
        select(Order)
        .where(_owned_by(user), Order.status.in_(SHOWN_TO_BUYER))
        .options(selectinload(Order.lines))
        .order_by(Order.created_at.desc(), Order.id.desc())
    ).all()


def order_of(user, order_id: int) -> Order | None:
    """The order if it is this user's; None for anyone else's (the view answers 404)."""
    return db.session.scalar(
        select(Order).where(Order.id == order_id, _owned_by(user), Order.status.in_(SHOWN_TO_BUYER))
        .options(selectinload(Order.lines).selectinload(OrderLine.lot_allocations))
    )
