"""A person's data rights: everything the store keeps about an email address, and erasing it.

Works by email address, so the account page (a signed-in customer's own address) and the back
office (a request by email, guests too) follow the same rules. Erasing keeps what tax records
need: order numbers, amounts, VAT, dates, and for trade orders the clinic's invoicing name and
address; everything that names a person (name, email, phone, delivery addresses) goes.
"""
import csv
import io

from sqlalchemy import delete, func, or_, select, update

from shop.accounts.models import RecoveryCode, SupplyItem, User
from shop.audit.models import AuditEntry
from shop.audit.services import record_audit
from shop.careplans.models import CarePlan
from shop.clinics.models import Clinic, ClinicAddress, ClinicInvitation, ClinicMember, SpendingApproval
from shop.clock import utcnow
from shop.csvsafe import cell
from shop.extensions import db
from shop.messages.models import Message
from shop.money import vat_included
from shop.notices.models import BackInStockRequest, CarePlanAlert, RefillReminder, RefillReminderChoice
from shop.offers.models import DiscountUse
from shop.orders.models import Order, OrderEvent

ERASED = "[erased]"


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _orders(email: str, user: User | None) -> list[Order]:
    mine = or_(Order.user_id == user.id, Order.email == email) if user is not None else Order.email == email
    return db.session.scalars(select(Order).where(mine).order_by(Order.created_at, Order.id)).all()


def _when(value) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _address(order: Order) -> dict:
    return {"name": order.ship_name, "line1": order.ship_line1, "line2": order.ship_line2, "city": order.ship_city,
            "postcode": order.ship_postcode, "country": order.ship_country}


def _order(order: Order) -> dict:
    return {
        "number": order.number, "status": order.status_label, "placed_at": _when(order.created_at),
        "paid_at": _when(order.paid_at), "shipped_at": _when(order.shipped_at), "email": order.email,
        "currency": order.currency, "subtotal_pence": order.subtotal_pence, "delivery_pence": order.shipping_pence,
        "discount_pence": order.discount_pence, "total_pence": order.total_pence, "refunded_pence": order.refunded_pence,
        "pricing": order.pricing, "delivery_address": _address(order), "carrier": order.carrier,
        "tracking_number": order.tracking_number, "care_plan": order.care_plan_title,
        "lines": [{"sku": line.sku, "product": line.product_name, "size": line.size_label,
                   "unit_price_pence": line.unit_price_pence, "quantity": line.quantity,
                   "discount": line.discount_label, "note": line.plan_note} for line in order.lines],
    }


def _profile(user: User) -> dict:
    trade = user.trade_account
    return {
        "email": user.email, "name": user.name, "role": user.role, "created_at": _when(user.created_at),
        "email_confirmed_at": _when(user.email_verified_at), "last_signed_in_at": _when(user.last_sign_in_at),
        "second_factor": user.has_second_factor,
        "trade_account": None if trade is None else {
            "clinic_name": trade.clinic_name, "profession": trade.profession_label,
            "professional_body": trade.professional_body, "registration_number": trade.registration_number,
            "address": trade.address, "phone": trade.phone, "status": trade.status,
            "applied_at": _when(trade.applied_at), "decided_at": _when(trade.decided_at),
        },
    }


def _care_plans(user: User) -> list[dict]:
    plans = db.session.scalars(select(CarePlan).where(CarePlan.practitioner_id == user.id).order_by(CarePlan.id)).all()
    return [{"title": plan.title, "template": plan.is_template, "created_at": _when(plan.created_at),
             "revoked_at": _when(plan.revoked_at), "opened": plan.opened_count,
             "items": [{"sku": item.variant.sku, "quantity": item.quantity, "note": item.note} for item in plan.items],
             "guides": [guide.title for guide in plan.guides]} for plan in plans]


def personal_data(email: str, now=None) -> dict:
    """Everything kept about `email` (a normalised address), as plain JSON-ready data."""
    user = _user(email)
    orders = _orders(email, user)
    addresses = []
    for order in orders:
        if order.ship_line1 and _address(order) not in addresses:
            addresses.append(_address(order))
    messages = db.session.scalars(select(Message).where(Message.recipient == email).order_by(Message.created_at, Message.id)).all()
    return {
        "email": email, "exported_at": _when(now or utcnow()),
        "profile": _profile(user) if user is not None else None,
        "addresses_used": addresses,
        "orders": [_order(order) for order in orders],
        "supplies_list": [] if user is None else [
            {"sku": item.variant.sku, "product": item.variant.product.name, "size": item.variant.size_label,
             "quantity": item.quantity, "added_at": _when(item.added_at)} for item in _supplies(user)],
        "care_plans_written": _care_plans(user) if user is not None else [],
        "clinic": _clinic(email, user),
        "email_subscriptions": {
            "back_in_stock": [{"sku": r.variant.sku, "product": r.variant.product.name, "since": _when(r.created_at)}
                              for r in db.session.scalars(select(BackInStockRequest).where(
                                  or_(BackInStockRequest.email == email,
                                      BackInStockRequest.user_id == (user.id if user else None)))
                                  .order_by(BackInStockRequest.id))],
            "refill_reminders": user is not None and db.session.get(RefillReminderChoice, user.id) is not None,
        },
        "messages_sent": [{"at": _when(m.created_at), "sent_at": _when(m.sent_at), "status": m.status, "kind": m.kind,
                           "subject": m.subject, "text": m.text_body} for m in messages],
    }


def _clinic(email: str, user: User | None) -> dict:
    """Their place in a clinic, the invitations sent to them, and the orders over their limit they asked to place."""
    membership = user.clinic_membership if user is not None else None
    invitations = db.session.scalars(select(ClinicInvitation).where(ClinicInvitation.email == email)
                                     .order_by(ClinicInvitation.id)).all()
    approvals = [] if user is None else db.session.scalars(
        select(SpendingApproval).where(SpendingApproval.buyer_id == user.id).order_by(SpendingApproval.id)).all()
    return {
        "membership": None if membership is None else {
            "clinic": membership.clinic.name, "role": membership.role, "joined_at": _when(membership.joined_at),
            "monthly_limit_pence": membership.monthly_limit_pence},
        "invitations_received": [{"clinic": i.clinic.name, "role": i.role, "sent_at": _when(i.created_at),
                                  "accepted_at": _when(i.accepted_at), "revoked_at": _when(i.revoked_at)} for i in invitations],
        "approvals_asked": [{"asked_at": _when(a.requested_at), "total_pence": a.total_pence, "status": a.status,
                             "decided_at": _when(a.decided_at), "lines": a.cart["lines"]} for a in approvals],
    }


def _supplies(user: User):
    return db.session.scalars(select(SupplyItem).where(SupplyItem.user_id == user.id).order_by(SupplyItem.id)).all()


ORDER_COLUMNS = ("order", "placed", "status", "product", "size", "sku", "quantity", "unit price", "line total",
                 "delivery", "order total", "refunded", "VAT included", "delivered to")


def orders_csv(data: dict, vat_rate_percent: int) -> str:
    """One row per order line, in pounds, for a spreadsheet; cells that would run as formulas are quoted."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ORDER_COLUMNS)
    for order in data["orders"]:
        address = ", ".join(v for v in order["delivery_address"].values() if v)
        for line in order["lines"] or [{}]:
            quantity, unit = line.get("quantity", 0), line.get("unit_price_pence", 0)
            writer.writerow([cell(v) for v in (
                order["number"], order["placed_at"], order["status"], line.get("product", ""), line.get("size", ""),
                line.get("sku", ""), quantity or "", _pounds(unit), _pounds(unit * quantity), _pounds(order["delivery_pence"]),
                _pounds(order["total_pence"]), _pounds(order["refunded_pence"]), _pounds(vat_included(order["total_pence"], vat_rate_percent)),
                address)])
    return out.getvalue()


def _pounds(pence: int) -> str:
    return f"{pence / 100:.2f}"


def erase_personal_data(email: str, actor: User | str | None, asked_by: str) -> int:
    """Erase or anonymise everything naming `email`; return how many orders were kept for tax records.
    The account (if any) is deleted, which signs out every session. The caller has checked who asks."""
    user = _user(email)
    orders = _orders(email, user)
    trade = user.trade_account if user is not None else None
    names = {email} | ({user.name} if user is not None and user.name else set())
    for order in orders:
        names.update(v for v in (order.ship_name, order.ship_line1, order.ship_line2) if v)
        if order.pricing == "trade" and trade is not None:
            # The clinic's invoicing name and address stay on a trade order's tax record.
            order.ship_name, order.ship_line1, order.ship_line2 = trade.clinic_name, trade.address_line1, trade.address_line2
            order.ship_city, order.ship_postcode = trade.city, trade.postcode
        else:
            order.ship_name = order.ship_line1 = order.ship_line2 = order.ship_city = order.ship_postcode = ""
            order.delivery_postcode = ""  # typed in the cart to price delivery
        order.email, order.user_id, order.checkout_url = None, None, None
    if trade is not None:
        names.add(trade.phone)
        names.discard(trade.clinic_name)
        names.discard(trade.address_line1)
        names.discard(trade.address_line2)
    if user is not None:
        _remove_what_the_account_holds(user)
    db.session.execute(delete(BackInStockRequest).where(BackInStockRequest.email == email))
    db.session.execute(update(DiscountUse).where(func.lower(DiscountUse.email) == email.lower()).values(email=None))  # the use still counts, unnamed
    db.session.execute(delete(Message).where(Message.recipient == email))
    _forget_in_recalls_and_reactions(email, user)
    _scrub_text(sorted(names, key=len, reverse=True), [o.id for o in orders])
    user_id = user.id if user is not None else None
    if user is not None:
        # Its supplies list, recovery codes and care plans go with it (ON DELETE CASCADE); the trade
        # account is deleted first, as the relationship would otherwise try to orphan it.
        if trade is not None:
            db.session.delete(trade)
            db.session.flush()
        db.session.delete(user)
    db.session.flush()
    record_audit(actor, "account.erase", ("User", user_id or ""), {}, {"orders kept for tax records": len(orders)},
                 summary=f"personal data erased{' for account #' + str(user_id) if user_id else ' for a guest'}, asked by {asked_by}")
    db.session.commit()
    return len(orders)


def _forget_in_recalls_and_reactions(email: str, user: User | None) -> None:
    """A reaction report stays (a safety record the responsible person must keep) without who made it;
    the record that a recall notice went to this address goes with the notice itself."""
    from shop.recalls.models import ReactionReport, RecallNotice

    reporter = ReactionReport.email == email
    if user is not None:
        reporter = or_(reporter, ReactionReport.user_id == user.id)
    db.session.execute(update(ReactionReport).where(reporter).values(email="", user_id=None))
    db.session.execute(delete(RecallNotice).where(RecallNotice.email == email))


def _remove_what_the_account_holds(user: User) -> None:
    """Deleted explicitly, not left to ON DELETE CASCADE, which SQLite does not enforce here."""
    plans = db.session.scalars(select(CarePlan).where(CarePlan.practitioner_id == user.id)).all()
    if plans:
        # A leaving practitioner's plans go with them, so their links stop working; orders placed from a
        # plan keep their own copy of its instructions, without the practitioner's name.
        ids = [plan.id for plan in plans]
        db.session.execute(update(Order).where(Order.care_plan_id.in_(ids)).values(care_plan_id=None, care_plan_practitioner=ERASED))
        db.session.execute(delete(CarePlanAlert).where(CarePlanAlert.plan_id.in_(ids)))
        for plan in plans:
            db.session.delete(plan)
    for model in (SupplyItem, RecoveryCode, BackInStockRequest, RefillReminderChoice, RefillReminder, ClinicMember):
        db.session.execute(delete(model).where(model.user_id == user.id))
    # What they did in a clinic stays the clinic's (an invitation sent, an order approved), unnamed;
    # what was about them (invitations to their address, their requests over their limit) goes.
    db.session.execute(delete(SpendingApproval).where(SpendingApproval.buyer_id == user.id))
    db.session.execute(update(SpendingApproval).where(SpendingApproval.decided_by_id == user.id).values(decided_by_id=None))
    db.session.execute(delete(ClinicInvitation).where(ClinicInvitation.email == user.email))
    db.session.execute(update(ClinicInvitation).where(ClinicInvitation.invited_by_id == user.id).values(invited_by_id=None))
    if user.trade_account is not None:
        # An owner who leaves closes the clinic: its staff bought on the owner's trade account. Its orders
        # stay (tax records), no longer the clinic's; SQLite here enforces no ON DELETE, so each table is told.
        clinics = select(Clinic.id).where(Clinic.trade_account_id == user.trade_account.id).scalar_subquery()
        db.session.execute(update(Order).where(Order.clinic_id.in_(clinics)).values(clinic_id=None)
                           .execution_options(synchronize_session=False))
        for model in (ClinicMember, ClinicInvitation, ClinicAddress, SpendingApproval, SupplyItem):
            db.session.execute(delete(model).where(model.clinic_id.in_(clinics)))
        db.session.execute(delete(Clinic).where(Clinic.trade_account_id == user.trade_account.id))


def _scrub_text(words: list[str], order_ids: list[int]) -> None:
    """The audit log and order histories quote emails and names in their words: replace them there too."""
    words = [w for w in words if len(w) >= 3]
    entries = db.session.scalars(select(AuditEntry).where(or_(*(
        column.contains(word) for word in words for column in (AuditEntry.summary, AuditEntry.before_json,
                                                              AuditEntry.after_json, AuditEntry.actor_email))))).all() if words else []
    events = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id.in_(order_ids))).all() if order_ids else []
    for row, fields in [(e, ("summary", "before_json", "after_json", "actor_email")) for e in entries] + [(e, ("note",)) for e in events]:
        for field in fields:
            text = getattr(row, field) or ""
            for word in words:
                text = text.replace(word, ERASED)
            setattr(row, field, text)


class RequestRefused(ValueError):
    """A data request the back office cannot carry out, with the reason for the admin."""


def summary_of(data: dict) -> list[str]:
    """What is kept about an address, in a few lines, for the admin to check before erasing."""
    profile = data["profile"]
    return [
        f"Account: {'yes, ' + profile['role'] + (' with a trade account' if profile['trade_account'] else '') if profile else 'none (guest orders only)'}",
        f"Orders: {len(data['orders'])} (their numbers, dates, amounts and VAT are kept for tax records)",
        f"Addresses used: {len(data['addresses_used'])}; emails recorded: {len(data['messages_sent'])}; "
        f"care plans written: {len(data['care_plans_written'])}",
    ]


def export_on_request(email: str, actor: User) -> dict:
    """The back office's export for a request by email (guests too); audited."""
    data = personal_data(email)
    record_audit(actor, "account.export", ("email", ""), {}, {"orders": len(data["orders"])},
                 summary=f"exported the personal data of {email}")
    db.session.commit()
    return data


def erase_on_request(email: str, actor: User) -> int:
    user = _user(email)
    if user is not None and user.is_admin:
        raise RequestRefused("That is an admin account: admins are removed from the command line, not the back office.")
    if user is None and not _orders(email, None) and not db.session.scalar(select(Message.id).where(Message.recipient == email).limit(1)):
        raise RequestRefused(f"Nothing is kept about {email}: no account, orders or emails.")
    return erase_personal_data(email, actor=actor, asked_by="a request by email, in the back office")
