"""Whose orders are whose: what a signed-in customer sees of orders in their account.

An order is theirs when it is linked to the account, or when it was bought as a guest with the
account's email once that email is confirmed. A clinic's orders are its team's: every member sees
each of them (and who placed it), and someone who has left the clinic no longer sees them, even
those they placed. Abandoned checkouts are not orders to them.
"""
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from shop.extensions import db
from shop.orders.models import Order, OrderLine
from shop.orders.status import SHOWN_TO_BUYER


def _owned_by(user):
    """Orders linked to the account, and guest orders with its email once that email is confirmed; a
    clinic member's clinic's orders. Read from the membership loaded with the user on this request, so
    a member removed a moment ago sees none of the clinic's orders on their next page."""
    own = or_(Order.user_id == user.id, Order.email == user.email) if user.email_verified else Order.user_id == user.id
    membership = user.clinic_membership
    if membership is None:
        return and_(own, Order.clinic_id.is_(None))
    return or_(and_(own, Order.clinic_id.is_(None)), Order.clinic_id == membership.clinic_id)


def orders_of(user) -> list[Order]:
    return db.session.scalars(
        select(Order)
        .where(_owned_by(user), Order.status.in_(SHOWN_TO_BUYER))
        .options(selectinload(Order.lines), selectinload(Order.user))
        .order_by(Order.created_at.desc(), Order.id.desc())
    ).all()


def order_of(user, order_id: int) -> Order | None:
    """The order if it is this user's; None for anyone else's (the view answers 404)."""
    return db.session.scalar(
        select(Order).where(Order.id == order_id, _owned_by(user), Order.status.in_(SHOWN_TO_BUYER))
        .options(selectinload(Order.lines).selectinload(OrderLine.lot_allocations))
    )
