"""The worker's invoice jobs: creating each order-on-account's invoice at the gateway, and finding the
invoices that fell due unpaid.

Creating is done here, not in the request that confirmed the order: the order and its `preparing` invoice
were committed together, so an outage at the gateway only delays the invoice (the job tries again every
run), and every call carries an idempotency key derived from the order, so a retry after a failure half-way
(or two workers at once) replays what the gateway already did instead of making a second invoice.
"""
import logging
from datetime import datetime, timezone

from flask import render_template, url_for
from sqlalchemy import select, update

from shop.extensions import db
from shop.invoicing.models import UNPAID, Invoice, PaymentTerms
from shop.messages.outbox import links_to_the_shop, record_message
from shop.orders.models import OrderEvent
from shop.payments.gateway import CheckoutLine, Gateway, GatewayInvoice, InvoiceCustomer, InvoiceRequest, PaymentError

log = logging.getLogger(__name__)
BATCH = 20


def prepare_invoices(gateway: Gateway, now: datetime) -> str:
    """Create, finalise and send every invoice still being prepared. Idempotent."""
    made = failed = 0
    waiting = db.session.scalars(select(Invoice.id).where(Invoice.status == "preparing")
                                 .order_by(Invoice.id).limit(BATCH)).all()
    for invoice_id in waiting:
        invoice = db.session.get(Invoice, invoice_id)
        try:
            customer = _customer_of(invoice, gateway)  # commits the clinic's customer the first time
            # Locked while the gateway makes and sends it, so an admin voiding it meanwhile is told to try again
            # rather than leaving a sent invoice for a cancelled order (backoffice.void_invoice). SQLite, the
            # embedded default, has no row locks: there the update in record_sent is the only guard.
            invoice = db.session.scalar(select(Invoice).where(Invoice.id == invoice_id, Invoice.status == "preparing")
                                        .with_for_update(of=Invoice).execution_options(populate_existing=True))
            if invoice is None:  # voided since it was listed
                db.session.commit()
                continue
            sent = gateway.create_invoice(invoice_request(invoice, customer))
        except PaymentError as error:
            db.session.rollback()
            db.session.execute(update(Invoice).where(Invoice.id == invoice_id)
                               .values(attempts=Invoice.attempts + 1, last_error=str(error)[:500])
                               .execution_options(synchronize_session=False))
            db.session.commit()
            failed += 1
            continue
        if record_sent(invoice, sent, now):
            made += 1
        db.session.commit()
    return f"invoices sent {made}, gateway unavailable for {failed}"


def _customer_of(invoice: Invoice, gateway: Gateway) -> InvoiceCustomer:
    """The clinic as the gateway's customer, created the first time and remembered on its terms (committed
    at once, so a failure later in this invoice never makes the clinic a second customer)."""
    terms = db.session.scalar(select(PaymentTerms).where(PaymentTerms.clinic_id == invoice.clinic_id))
    clinic = invoice.clinic
    owner = next((m.user for m in clinic.members if m.is_owner), None)
    customer = InvoiceCustomer(clinic_id=clinic.id, name=clinic.name,
                               email=(owner.email if owner is not None else invoice.order.email) or "",
                               gateway_id=terms.gateway_customer_id)
    if customer.gateway_id is None:
        customer.gateway_id = gateway.create_customer(customer, idempotency_key=f"clinic-{clinic.id}-customer")
        db.session.execute(update(PaymentTerms).where(PaymentTerms.id == terms.id, PaymentTerms.gateway_customer_id.is_(None))
                           .values(gateway_customer_id=customer.gateway_id).execution_options(synchronize_session=False))
        db.session.commit()
    return customer


def invoice_request(invoice: Invoice, customer: InvoiceCustomer) -> InvoiceRequest:
    order = invoice.order
    return InvoiceRequest(
        order_id=order.id,
        order_number=order.number,
        currency=order.currency,
        customer=customer,
        lines=[CheckoutLine(name=line.product_name,
                            description=f"{line.size_label} · SKU {line.sku}" + (f" · {line.discount_label}" if line.discount_label else ""),
                            unit_amount=line.unit_price_pence, quantity=line.quantity) for line in order.lines],
        shipping_pence=order.shipping_pence,
        shipping_label=order.delivery_method_name + (f" (free with {order.discount_code})" if order.code_delivery_off_pence else ""),
        days_until_due=invoice.terms_days,
        idempotency_key=f"invoice-{order.token}",
        discount_pence=order.code_discount_pence,
        discount_name=order.discount_code or "",
    )


def record_sent(invoice: Invoice, sent: GatewayInvoice, now: datetime) -> bool:
    """Keep the gateway's invoice number, link and due date; True if this call recorded them (once)."""
    values = {"status": "open", "gateway_invoice_id": sent.id, "number": sent.number, "hosted_url": sent.hosted_url,
              "sent_at": now, "last_error": ""}
    if sent.due_date:
        values["due_at"] = datetime.fromtimestamp(sent.due_date, timezone.utc).replace(tzinfo=None)
    won = db.session.execute(update(Invoice).where(Invoice.id == invoice.id, Invoice.status == "preparing")
                             .values(**values).execution_options(synchronize_session=False)).rowcount
    if won:
        note = f"invoice {sent.number} sent, due {values.get('due_at', invoice.due_at):%-d %B %Y}"
        if sent.amount_due != invoice.amount_pence or sent.currency != invoice.currency:
            log.error("invoice %s for order %s: the gateway asks %s %s, the order is %s %s", sent.id, invoice.order.number,
                      sent.amount_due, sent.currency, invoice.amount_pence, invoice.currency)
            note += f"; CHECK: the gateway asks {sent.amount_due} {sent.currency}, the order is {invoice.amount_pence}"
        db.session.add(OrderEvent(order_id=invoice.order_id, from_status=invoice.order.status,
                                  to_status=invoice.order.status, note=note))
        db.session.flush()
    db.session.refresh(invoice)
    return bool(won)


def mark_overdue(now: datetime) -> str:
    """Flag every unpaid invoice past its due date, once: an event on its order and a reminder to the buyer."""
    due = db.session.scalars(select(Invoice).where(Invoice.status.in_(UNPAID), Invoice.due_at < now,
                                                   Invoice.overdue_at.is_(None)).order_by(Invoice.id)).all()
    flagged = 0
    for invoice in due:
        won = db.session.execute(update(Invoice).where(Invoice.id == invoice.id, Invoice.overdue_at.is_(None),
                                                       Invoice.status.in_(UNPAID))
                                 .values(overdue_at=now).execution_options(synchronize_session=False)).rowcount
        if not won:
            continue
        order = invoice.order
        db.session.add(OrderEvent(order_id=order.id, from_status=order.status, to_status=order.status,
                                  note=f"invoice {invoice.number or ''} overdue: was due {invoice.due_at:%-d %B %Y}".replace("  ", " ")))
        if order.email:
            with links_to_the_shop():
                text = render_template("email/invoice_overdue.txt", invoice=invoice, order=order,
                                       order_url=url_for("checkout.order_page", token=order.token, _external=True))
            record_message(order.email, f"Invoice {invoice.number or 'for order ' + order.number} is overdue",
                           text, kind="invoice_overdue", about=invoice, now=now)
        flagged += 1
    db.session.commit()
    return f"invoices found overdue {flagged}"
