"""The demo gateway: a checkout page inside the shop where no money moves.

It stands in for Stripe when no STRIPE_SECRET_KEY is set outside production, and drives
the very same order, stock and email code.
"""
import json
import secrets
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from shop.extensions import db
from shop.payments.gateway import (
    Address,
    BadSignature,
    CheckoutRequest,
    CheckoutSession,
    GatewayInvoice,
    InvoiceCustomer,
    InvoiceNotFound,
    InvoiceRequest,
    PaymentError,
    Refund,
    SessionNotFound,
    WebhookEventData,
)
from shop.clock import utcnow
from shop.payments.models import DemoCheckoutSession, DemoInvoice

DEMO_ADDRESS = Address(name="Demo Buyer", line1="1 Demo Street", city="Demo Town", postal_code="LS1 1AA", country="GB")


class DemoGateway:
    name = "demo"
    livemode = False

    def __init__(self, pay_url_for, invoice_url_for=None):
        self._pay_url_for = pay_url_for  # session id -> the demo payment page's address
        self._invoice_url_for = invoice_url_for or (lambda invoice_id: None)  # invoice id -> the demo invoice page

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        row = DemoCheckoutSession(
            id="demo_cs_" + secrets.token_urlsafe(18),
            order_id=request.order_id,
            amount_total=sum(l.unit_amount * l.quantity for l in request.lines) - request.discount_pence + request.shipping_pence,
            currency=request.currency,
            email=request.email,
            lines_json=json.dumps(
                [{"name": l.name, "description": l.description, "quantity": l.quantity, "unit_amount": l.unit_amount} for l in request.lines]
                + ([{"name": f"Discount ({request.discount_name})", "description": "", "quantity": 1,
                     "unit_amount": -request.discount_pence}] if request.discount_pence else [])
                + [{"name": request.shipping_label, "description": "", "quantity": 1, "unit_amount": request.shipping_pence}]
            ),
            success_url=request.success_url,
            cancel_url=request.cancel_url,
            expires_at=datetime.fromtimestamp(request.expires_at, timezone.utc).replace(tzinfo=None),
            ship_postcode=(request.postcode or DEMO_ADDRESS.postal_code) if request.collect_address else "",
        )
        db.session.add(row)
        db.session.flush()
        return self._session(row)

    def retrieve_checkout(self, session_id: str) -> CheckoutSession:
        return self._session(self._row(session_id))

    def expire_checkout(self, session_id: str) -> CheckoutSession:
        row = self._row(session_id)
        if row.status == "open":
            row.status = "expired"
            db.session.flush()
        return self._session(row)

    def refund(self, payment_intent: str, amount: int, reason: str, idempotency_key: str) -> Refund:
        return Refund(id="demo_re_" + secrets.token_urlsafe(8), amount=amount, status="succeeded")

    def order_ref_of_payment(self, payment_intent: str) -> str | None:
        return None  # demo payments are never refunded at a gateway

    def parse_webhook(self, payload: bytes, signature: str | None) -> WebhookEventData:
        raise BadSignature("the demo gateway sends no webhooks")

    # --- invoices: one demo page per order on account, paid (or left unpaid) by the buyer ---------------

    def create_customer(self, customer: InvoiceCustomer, idempotency_key: str) -> str:
        return f"demo_cus_{customer.clinic_id}"

    def create_invoice(self, request: InvoiceRequest) -> GatewayInvoice:
        row = db.session.scalar(select(DemoInvoice).where(DemoInvoice.order_id == request.order_id))
        if row is None:  # one invoice per order, however often the worker asks: as an idempotency key would
            lines = ([{"name": l.name, "description": l.description, "quantity": l.quantity, "unit_amount": l.unit_amount}
                      for l in request.lines]
                     + ([{"name": f"Discount ({request.discount_name})", "description": "", "quantity": 1,
                          "unit_amount": -request.discount_pence}] if request.discount_pence else [])
                     + [{"name": f"Delivery: {request.shipping_label}", "description": "", "quantity": 1,
                         "unit_amount": request.shipping_pence}])
            row = DemoInvoice(id="demo_in_" + secrets.token_urlsafe(18), order_id=request.order_id,
                              customer_id=request.customer.gateway_id or "", number=f"DEMO-{request.order_number}",
                              amount_due=sum(l["unit_amount"] * l["quantity"] for l in lines), currency=request.currency,
                              lines_json=json.dumps(lines), due_at=utcnow() + timedelta(days=request.days_until_due))
            db.session.add(row)
            db.session.flush()
        return self._invoice(row)

    def retrieve_invoice(self, invoice_id: str) -> GatewayInvoice:
        return self._invoice(self._invoice_row(invoice_id))

    def void_invoice(self, invoice_id: str) -> GatewayInvoice:
        row = self._invoice_row(invoice_id)
        if row.status == "open":
            row.status = "void"
            db.session.flush()
        return self._invoice(row)

    def _invoice_row(self, invoice_id: str) -> DemoInvoice:
        row = db.session.get(DemoInvoice, invoice_id) if invoice_id else None
        if row is None:
            raise InvoiceNotFound("No such invoice.")
        return row

    def _invoice(self, row: DemoInvoice) -> GatewayInvoice:
        return GatewayInvoice(
            id=row.id, status=row.status, number=row.number, hosted_url=self._invoice_url_for(row.id),
            amount_due=row.amount_due, amount_paid=row.amount_due if row.status == "paid" else 0, currency=row.currency,
            due_date=int(row.due_at.replace(tzinfo=timezone.utc).timestamp()), livemode=False,
            order_ref=str(row.order_id), customer_id=row.customer_id)

    def _row(self, session_id: str) -> DemoCheckoutSession:
        row = db.session.get(DemoCheckoutSession, session_id) if session_id else None
        if row is None:
            raise SessionNotFound("No such checkout session.")
        return row

    def _session(self, row: DemoCheckoutSession) -> CheckoutSession:
        paid = row.status == "complete"
        return CheckoutSession(
            id=row.id,
            url=self._pay_url_for(row.id),
            status=row.status,
            payment_status=row.payment_status,
            amount_total=row.amount_total,
            currency=row.currency,
            livemode=False,
            order_ref=str(row.order_id),
            payment_intent=("demo_pi_" + row.id[8:]) if paid else None,
            email=row.email or ("demo-buyer@example.com" if paid else None),
            shipping=replace(DEMO_ADDRESS, postal_code=row.ship_postcode) if paid and row.ship_postcode else Address(),
        )


class DemoSessionClosed(PaymentError):
    pass


def get_demo_session(session_id: str) -> tuple[DemoCheckoutSession, list[dict]]:
    row = db.session.get(DemoCheckoutSession, session_id)
    if row is None:
        raise SessionNotFound("No such demo checkout.")
    return row, json.loads(row.lines_json)


def pay_demo_session(session_id: str, delayed: bool = False) -> str:
    """What the demo page's Pay button does. Returns where to send the buyer next."""
    row, _ = get_demo_session(session_id)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    if row.status != "open" or row.expires_at < now:
        raise DemoSessionClosed("This demo checkout has expired or was already used. Please start again from your cart.")
    row.status = "complete"
    row.payment_status = "unpaid" if delayed else "paid"
    db.session.commit()
    return row.success_url.replace("{CHECKOUT_SESSION_ID}", row.id)


def cancel_url_of(session_id: str) -> str:
    row, _ = get_demo_session(session_id)
    return row.cancel_url


def get_demo_invoice(invoice_id: str) -> tuple[DemoInvoice, list[dict]]:
    row = db.session.get(DemoInvoice, invoice_id) if invoice_id else None
    if row is None:
        raise InvoiceNotFound("No such demo invoice.")
    return row, json.loads(row.lines_json)


def pay_demo_invoice(invoice_id: str) -> None:
    """What the demo invoice page's Pay button does at the "gateway": the invoice is paid (committed)."""
    row, _ = get_demo_invoice(invoice_id)
    if row.status != "open":
        raise DemoSessionClosed("This demo invoice is not open to pay: it was paid or voided already.")
    row.status = "paid"
    db.session.commit()
