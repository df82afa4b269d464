"""A buyer's monthly spending limit, and the owner's approval of a cart over it.

The month is the calendar month in UK time. What counts is the buyer's orders for the clinic this
month that are paid or awaiting payment (their total less refunds); cancelled, expired and failed
checkouts do not. A cart that would take the buyer over the limit waits for an owner: the request
keeps the cart as priced, the owners get one email each, and the first decision wins (a conditional
update). Approved, the buyer checks that cart out as usual (priced again, stock checked again); the
checkout spends the approval in the same transaction that holds the stock, so two tabs cannot spend
it twice, and a checkout that is later cancelled or expires gives it back.
"""
import json
from dataclasses import dataclass
from datetime import datetime

from flask import render_template, url_for
from sqlalchemy import func, or_, select, update

from shop.accounts.models import User
from shop.accounts.tokens import BadLink, make_token, read_token
from shop.audit.services import record_audit
from shop.cart.services import PricedCart
from shop.clinics.models import ClinicMember, SpendingApproval
from shop.clinics.services import ClinicError, owner_membership, who
from shop.clock import uk_month, utcnow
from shop.extensions import db
from shop.messages.outbox import record_message
from shop.money import format_money
from shop.orders.models import Order
from shop.orders.status import HOLD_RELEASED

APPROVAL = "clinic-spending-approval"
APPROVAL_LINK_DAYS = 60  # the signature's own age check; the decision is single-use whatever its age


class NeedsApproval(Exception):
    """The order would take the buyer over their monthly limit and no approval covers it."""


@dataclass
class Allowance:
    limit_pence: int
    spent_pence: int

    @property
    def left_pence(self) -> int:
        return max(self.limit_pence - self.spent_pence, 0)

    def is_over_with(self, total_pence: int) -> bool:
        return self.spent_pence + total_pence > self.limit_pence


def spent_this_month(clinic_id: int, user_id: int, now: datetime) -> int:
    start, end = uk_month(now)
    return db.session.scalar(
        select(func.coalesce(func.sum(Order.total_pence - Order.refunded_pence), 0)).where(
            Order.clinic_id == clinic_id, Order.user_id == user_id, Order.created_at >= start, Order.created_at < end,
            Order.status.not_in(HOLD_RELEASED))
    )


def allowance_of(user, now: datetime | None = None) -> Allowance | None:
    """The buyer's limit and what they have spent this month; None when they have no limit (owners never do)."""
    membership = getattr(user, "clinic_membership", None) if getattr(user, "is_authenticated", False) else None
    if membership is None or membership.is_owner or membership.monthly_limit_pence is None:
        return None
    return Allowance(membership.monthly_limit_pence, spent_this_month(membership.clinic_id, user.id, now or utcnow()))


# --- asking ------------------------------------------------------------------------------------

def _snapshot(cart: PricedCart) -> dict:
    return {
        "lines": [{"variant_id": line.variant.id, "sku": line.variant.sku, "product": line.product.name,
                   "size": line.variant.size_label, "quantity": line.quantity, "unit_price_pence": line.unit_price_pence,
                   "line_total_pence": line.line_total_pence} for line in cart.lines],
        "subtotal_pence": cart.subtotal_pence, "code": cart.code.code if cart.code else None,
        "code_discount_pence": cart.code_discount_pence, "delivery": cart.delivery.name if cart.delivery else "",
        "shipping_pence": cart.shipping_pence, "total_pence": cart.total_pence,
    }


def approval_link(approval: SpendingApproval) -> str:
    return url_for("clinics.approval", token=make_token(APPROVAL, {"id": approval.id}), _external=True)


def request_approval(buyer: User, cart: PricedCart, *, now: datetime | None = None) -> SpendingApproval:
    """Ask the owners to approve this cart. Asking again for the same cart sends nothing more; a different
    cart replaces the request still waiting."""
    now = now or utcnow()
    allowance = allowance_of(buyer, now)
    if allowance is None or not allowance.is_over_with(cart.total_pence):
        raise ClinicError("This order is within your monthly limit: you can check out now.")
    if not cart.can_checkout:
        raise ClinicError("Please fix the items marked in your cart and choose a delivery before asking for approval.")
    membership = buyer.clinic_membership
    snapshot = _snapshot(cart)
    waiting = db.session.scalars(select(SpendingApproval).where(
        SpendingApproval.buyer_id == buyer.id, SpendingApproval.clinic_id == membership.clinic_id,
        SpendingApproval.status == "waiting")).all()
    for old in waiting:
        if old.cart == snapshot:
            return old  # the owner already has the email for this very cart
        old.status, old.decided_at = "withdrawn", now
    approval = SpendingApproval(clinic_id=membership.clinic_id, buyer_id=buyer.id, status="waiting",
                                cart_json=json.dumps(snapshot, sort_keys=True), total_pence=cart.total_pence,
                                spent_pence=allowance.spent_pence, limit_pence=allowance.limit_pence, requested_at=now)
    db.session.add(approval)
    db.session.flush()
    clinic = membership.clinic
    for owner in clinic.owners:
        text = render_template("email/clinics/approval_request.txt", approval=approval, clinic=clinic,
                               buyer=who(buyer), owner=owner.user, link=approval_link(approval))
        record_message(owner.user.email, f"{who(buyer)} asks you to approve an order of {format_money(cart.total_pence)}",
                       text, kind="clinic_approval_request", about=approval, now=now)
    record_audit(buyer, "clinic.approval_request", approval, {}, {"total_pence": cart.total_pence,
                 "spent_pence": allowance.spent_pence, "monthly_limit_pence": allowance.limit_pence},
                 summary=f"{buyer.email} asked to go over their limit in {clinic.name}")
    db.session.commit()
    return approval


# --- deciding ----------------------------------------------------------------------------------

def approval_from_link(owner: User, token: str) -> SpendingApproval:
    """The approval a link names, if it is the signed-in owner's clinic's; LookupError otherwise (a 404)."""
    payload = read_token(APPROVAL, token, max_age=APPROVAL_LINK_DAYS * 24 * 3600)
    clinic_id = owner_membership(owner).clinic_id
    approval = db.session.scalar(select(SpendingApproval).where(
        SpendingApproval.id == payload.get("id"), SpendingApproval.clinic_id == clinic_id)) \
        if isinstance(payload.get("id"), int) else None
    if approval is None:
        raise LookupError(payload.get("id"))
    return approval


def _already(approval: SpendingApproval) -> str:
    by = f" by {who(approval.decided_by)}" if approval.decided_by_id else ""
    when = approval.decided_at.strftime("%-d %b %Y %H:%M") if approval.decided_at else ""
    return {"approved": f"This order was already approved{by} ({when} UTC).",
            "declined": f"This order was already declined{by} ({when} UTC).",
            "withdrawn": "The buyer changed their cart or left the clinic, so this request no longer stands."}.get(
        approval.status, "This request has already been decided.")


def decide(owner: User, token: str, approve: bool, *, now: datetime | None = None) -> SpendingApproval:
    """The first decision wins; a second (another owner, a second click, a decline after an approval) is refused
    with what was decided. The buyer is emailed once, with the winning decision."""
    now = now or utcnow()
    approval = approval_from_link(owner, token)
    status = "approved" if approve else "declined"
    won = db.session.execute(update(SpendingApproval).where(
        SpendingApproval.id == approval.id, SpendingApproval.status == "waiting")
        .values(status=status, decided_at=now, decided_by_id=owner.id).execution_options(synchronize_session=False)).rowcount
    db.session.refresh(approval)
    if not won:
        db.session.rollback()
        raise ClinicError(_already(approval))
    buyer = approval.buyer
    if buyer is not None:
        text = render_template(f"email/clinics/approval_{status}.txt", approval=approval, clinic=approval.clinic,
                               owner=who(owner), buyer=buyer,
                               link=url_for("clinics.approved_cart", approval_id=approval.id, _external=True))
        subject = (f"{who(owner)} approved your order of {format_money(approval.total_pence)}" if approve
                   else f"{who(owner)} declined your order of {format_money(approval.total_pence)}")
        record_message(buyer.email, subject, text, kind=f"clinic_approval_{status}", about=approval, now=now)
    record_audit(owner, "clinic.approve" if approve else "clinic.decline", approval, {"status": "waiting"},
                 {"status": status}, summary=f"{format_money(approval.total_pence)} for {who(buyer)}")
    db.session.commit()
    return approval


def waiting_for(buyer: User) -> SpendingApproval | None:
    """The buyer's latest request still waiting for a decision, if any."""
    return db.session.scalars(select(SpendingApproval).where(
        SpendingApproval.buyer_id == buyer.id, SpendingApproval.status == "waiting")
        .order_by(SpendingApproval.id.desc()).limit(1)).first()


def waiting_approvals(clinic_id: int) -> list[SpendingApproval]:
    return db.session.scalars(select(SpendingApproval).where(
        SpendingApproval.clinic_id == clinic_id, SpendingApproval.status == "waiting")
        .order_by(SpendingApproval.requested_at, SpendingApproval.id)).all()


# --- spending it -------------------------------------------------------------------------------

def _reusable():
    """Not spent yet, or spent on a checkout that was released (cancelled, expired, failed) without paying."""
    released = select(Order.id).where(Order.status.in_(HOLD_RELEASED))
    return or_(SpendingApproval.order_id.is_(None), SpendingApproval.order_id.in_(released))


def usable_approval(buyer: User, approval_id) -> SpendingApproval | None:
    """The buyer's own approved request, while it can still be checked out; None otherwise."""
    if not isinstance(approval_id, int) or getattr(buyer, "clinic_membership", None) is None:
        return None
    return db.session.scalar(select(SpendingApproval).where(
        SpendingApproval.id == approval_id, SpendingApproval.buyer_id == buyer.id,
        SpendingApproval.clinic_id == buyer.clinic_membership.clinic_id, SpendingApproval.status == "approved",
        _reusable()))


def covers(approval: SpendingApproval | None, quantities: dict[int, int], total_pence: int) -> bool:
    """The approval stands for this cart: nothing in it that was not approved, and no dearer than approved."""
    if approval is None:
        return False
    approved = approval.quantities
    return total_pence <= approval.total_pence and all(q <= approved.get(v, 0) for v, q in quantities.items())


def enforce_limit(order: Order, *, approval_id: int | None, now: datetime) -> None:
    """Inside the checkout's transaction, once the order is flushed: NeedsApproval if it takes its buyer over
    the limit and no approval covers it; otherwise the covering approval is spent on it.

    The buyer's membership row is locked first (PostgreSQL), so two checkouts by one buyer are counted one
    after the other rather than each seeing the limit as it was before either.
    """
    if order.clinic_id is None or order.user_id is None:
        return
    # Columns only: the member's joined clinic would put an outer join under FOR UPDATE, which PostgreSQL refuses.
    member = db.session.execute(select(ClinicMember.clinic_id, ClinicMember.role, ClinicMember.monthly_limit_pence)
                                .where(ClinicMember.user_id == order.user_id).with_for_update()).first()
    if member is None or member.clinic_id != order.clinic_id or member.role == "owner" or member.monthly_limit_pence is None:
        return
    if spent_this_month(order.clinic_id, order.user_id, now) <= member.monthly_limit_pence:  # this order included
        return
    approval = db.session.get(SpendingApproval, approval_id) if isinstance(approval_id, int) else None
    if approval is None or approval.buyer_id != order.user_id or not covers(approval, order.quantities, order.total_pence):
        raise NeedsApproval("This order would take you over your monthly limit. Ask the clinic's owner to approve it.")
    spent = db.session.execute(update(SpendingApproval).where(
        SpendingApproval.id == approval.id, SpendingApproval.status == "approved", _reusable())
        .values(order_id=order.id).execution_options(synchronize_session=False)).rowcount
    if not spent:
        raise NeedsApproval("That approval has already been used for another checkout. Ask the owner again.")
