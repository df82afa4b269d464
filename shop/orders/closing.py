"""Closing an order's checkout at the gateway before it is cancelled or released.

Cancel (the buyer's and the back office's) and the sweeper all close a checkout this way, so a
payment made a moment before is honoured, never lost to a cancel.
"""
from dataclasses import dataclass

from shop.extensions import db
from shop.orders.models import Order
from shop.orders.services import apply_checkout_session
from shop.payments.gateway import Gateway


@dataclass(frozen=True)
class ClosedCheckout:
    """What closing an order's checkout session at the gateway found."""

    status: str = ""  # the session's status once asked to expire (expired, complete, open); "" if none was opened
    won: bool = False  # this call applied a payment made a moment ago (committed with its confirmation email)

    @property
    def paid(self) -> bool:
        """Paid before it could be closed: the payment is honoured, so the order must not be cancelled or expired."""
        return self.status == "complete"


def close_checkout_or_honour_payment(order: Order, gateway: Gateway) -> ClosedCheckout:
    """Expire the order's session at the gateway so it can no longer be paid, before any cancel or release.

    If it was paid a moment ago, the payment is applied instead (committed, with the winner's confirmation email).
    """
    if not order.checkout_session_id:
        return ClosedCheckout()
    session = gateway.expire_checkout(order.checkout_session_id)
    if session.status != "complete":
        return ClosedCheckout(session.status)
    won = apply_checkout_session(order, session, livemode=gateway.livemode)  # a win records the confirmation
    db.session.commit()
    return ClosedCheckout(session.status, won)
