"""What the gateway tells us about an invoice: paid, a payment failed, voided, overdue.

The webhook, the demo invoice page and the back office's void all come here. The invoice is asked for
again at the gateway (the event's copy may be old, and events come in any order), then applied with
conditional updates, so a replayed or late event changes nothing twice: the order is paid once, and a
void returns the stock once.
"""
import logging
from datetime import datetime

from sqlalchemy import select, update

from shop.extensions import db
from shop.inventory.services import release_stock
from shop.invoicing.models import UNPAID, Invoice
from shop.offers.services import confirm_code_use, release_code_use
from shop.orders.models import OrderEvent
from shop.orders.services import tell_admins_of_review, transition
from shop.orders.status import OrderStatus
from shop.payments.gateway import Gateway, GatewayInvoice

log = logging.getLogger(__name__)
INVOICE_EVENTS = {"invoice.paid", "invoice.payment_failed", "invoice.voided", "invoice.overdue"}


def find_invoice(gateway_invoice_id: str, order_ref: str | None) -> Invoice | None:
    """Ours by its gateway id; or, when the worker created it but has not recorded it yet, by the order it names."""
    invoice = db.session.scalar(select(Invoice).where(Invoice.gateway_invoice_id == gateway_invoice_id)) if gateway_invoice_id else None
    if invoice is None and order_ref and order_ref.isdigit():
        invoice = db.session.scalar(select(Invoice).where(Invoice.order_id == int(order_ref),
                                                          Invoice.gateway_invoice_id.is_(None)))
    return invoice


def apply_invoice_event(event_type: str, obj: dict, gateway: Gateway, now: datetime) -> None:
    """One verified invoice event (the caller records its id and commits)."""
    gateway_id = str(obj.get("id") or "")
    invoice = find_invoice(gateway_id, (obj.get("metadata") or {}).get("order_id"))
    if invoice is None:
        log.info("invoice event %s for invoice %s, which is not one of ours", event_type, gateway_id)
        return
    current = gateway.retrieve_invoice(gateway_id)
    if event_type == "invoice.payment_failed" and current.status == "open":
        invoice.payment_failed_at = now
        _note(invoice, "a payment of the invoice failed; it is still to pay")
    if event_type == "invoice.overdue" and current.status == "open" and invoice.overdue_at is None:
        invoice.overdue_at = now
        _note(invoice, "the payment provider says the invoice is overdue")
    apply_invoice(invoice, current, now, livemode=gateway.livemode)


def apply_invoice(invoice: Invoice, current: GatewayInvoice, now: datetime, *, livemode: bool) -> str:
    """Bring our invoice and its order in line with the gateway's invoice. Returns what it did."""
    if invoice.gateway_invoice_id is None:  # created at the gateway, not recorded yet by the worker
        from shop.invoicing.preparing import record_sent

        record_sent(invoice, current, now)
    if current.status == "paid":
        return "paid" if _pay(invoice, current, now, livemode) else "unchanged"
    if current.status == "void":
        return "void" if void_locally(invoice, "the invoice was voided at the payment provider", now) else "unchanged"
    return "unchanged"


def _pay(invoice: Invoice, current: GatewayInvoice, now: datetime, livemode: bool) -> bool:
    order = invoice.order
    problems = []
    if current.amount_paid != invoice.amount_pence:
        problems.append(f"invoice paid {current.amount_paid}, the order total is {invoice.amount_pence}")
    if current.currency != invoice.currency:
        problems.append(f"invoice currency {current.currency!r} does not match {invoice.currency!r}")
    if current.order_ref != str(order.id):
        problems.append(f"invoice names order {current.order_ref!r}, not {order.id}")
    if current.livemode != livemode:
        problems.append("live/test mode does not match the key in use")
    won = db.session.execute(update(Invoice).where(Invoice.id == invoice.id, Invoice.status.in_(UNPAID))
                             .values(status="paid", paid_at=now).execution_options(synchronize_session=False)).rowcount
    db.session.refresh(invoice)
    if not won:
        return False
    if problems:
        reason = "; ".join(problems)
        log.warning("order %s flagged: %s", order.number, reason)
        if transition(order, OrderStatus.NEEDS_REVIEW, (OrderStatus.ON_ACCOUNT,), reason, review_reason=reason):
            tell_admins_of_review(order)
        return False
    if not transition(order, OrderStatus.PAID, (OrderStatus.ON_ACCOUNT,), f"invoice {invoice.number} paid", paid_at=now):
        return False
    confirm_code_use(order.id, order.email)  # the discount code's use counts for good once paid
    return True


def void_locally(invoice: Invoice, note: str, now: datetime) -> bool:
    """The invoice is void: cancel its order and return its stock and code use, exactly once."""
    won = db.session.execute(update(Invoice).where(Invoice.id == invoice.id, Invoice.status.in_(UNPAID))
                             .values(status="void", voided_at=now).execution_options(synchronize_session=False)).rowcount
    db.session.refresh(invoice)
    if not won:
        return False
    order = invoice.order
    if transition(order, OrderStatus.CANCELLED, (OrderStatus.ON_ACCOUNT,), note):
        release_stock(order.quantities, order_id=order.id, note=note)
        release_code_use(order.id)
    return True


def _note(invoice: Invoice, note: str) -> None:
    order = invoice.order
    db.session.add(OrderEvent(order_id=order.id, from_status=order.status, to_status=order.status, note=note))
    db.session.flush()


def invoice_changed(gateway_invoice_id: str, gateway: Gateway, now: datetime) -> Invoice | None:
    """The demo invoice page's Pay: ask the gateway, as the webhook does, and apply (commits)."""
    invoice = find_invoice(gateway_invoice_id, None)
    if invoice is None:
        return None
    apply_invoice(invoice, gateway.retrieve_invoice(gateway_invoice_id), now, livemode=gateway.livemode)
    db.session.commit()
    return invoice
