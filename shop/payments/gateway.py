"""What the shop needs from a payment gateway, in the shop's own terms.

The checkout and order services talk only to this interface; `stripe_gateway` is the only
module that imports `stripe`.
"""
from dataclasses import dataclass, field
from typing import Protocol


class PaymentError(Exception):
    """The gateway could not be reached, or refused. The message is safe to show a buyer."""


class SessionNotFound(PaymentError):
    pass


class InvoiceNotFound(PaymentError):
    pass


class BadSignature(Exception):
    """A webhook whose signature does not verify: nothing may change."""


@dataclass
class CheckoutLine:
    name: str
    description: str
    unit_amount: int
    quantity: int


@dataclass
class CheckoutRequest:
    order_id: int
    order_number: str
    currency: str
    lines: list[CheckoutLine]
    shipping_pence: int
    shipping_label: str
    success_url: str
    cancel_url: str
    expires_at: int  # unix time
    idempotency_key: str
    email: str | None = None
    shipping_min_days: int | None = None  # the delivery estimate, in working days
    shipping_max_days: int | None = None
    collect_address: bool = True  # False for click & collect
    postcode: str = ""  # the postcode the delivery was priced for (the demo page fills its address with it)
    discount_pence: int = 0  # a discount code's amount off the items, shown at the gateway as a discount
    discount_name: str = ""  # the code, as the payment page names the discount


@dataclass
class Address:
    name: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""


@dataclass
class CheckoutSession:
    id: str
    url: str | None
    status: str  # open | complete | expired
    payment_status: str  # paid | unpaid | no_payment_required
    amount_total: int | None
    currency: str | None
    livemode: bool
    order_ref: str | None  # client_reference_id: our order id
    payment_intent: str | None = None
    email: str | None = None
    shipping: Address = field(default_factory=Address)


@dataclass
class WebhookEventData:
    id: str
    type: str
    object: dict


@dataclass
class Refund:
    id: str
    amount: int
    status: str


@dataclass
class InvoiceCustomer:
    """The clinic as the gateway's customer: created once, its id remembered on the clinic's terms."""

    clinic_id: int
    name: str
    email: str
    gateway_id: str | None = None  # None until the gateway has created it


@dataclass
class InvoiceRequest:
    """An order bought on account, as its invoice is to say it: one line per order line, then delivery."""

    order_id: int
    order_number: str
    currency: str
    customer: InvoiceCustomer
    lines: list[CheckoutLine]
    shipping_pence: int
    shipping_label: str
    days_until_due: int
    idempotency_key: str  # from the order: every call made for this invoice derives its own key from it
    discount_pence: int = 0
    discount_name: str = ""


@dataclass
class GatewayInvoice:
    id: str
    status: str  # draft | open | paid | void | uncollectible
    number: str | None
    hosted_url: str | None
    amount_due: int
    amount_paid: int
    currency: str
    due_date: int | None  # unix time
    livemode: bool
    order_ref: str | None  # metadata order_id: our order id
    customer_id: str | None = None


class Gateway(Protocol):
    name: str
    livemode: bool

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession: ...

    def retrieve_checkout(self, session_id: str) -> CheckoutSession: ...

    def expire_checkout(self, session_id: str) -> CheckoutSession: ...

    def refund(self, payment_intent: str, amount: int, reason: str, idempotency_key: str) -> Refund: ...

    def order_ref_of_payment(self, payment_intent: str) -> str | None:
        """The order id the shop wrote into the payment's metadata, or None if it names none."""
        ...

    def parse_webhook(self, payload: bytes, signature: str | None) -> WebhookEventData: ...

    # Invoices for clinics on payment terms (shop/invoicing): the worker creates them, never a web request.
    def create_customer(self, customer: InvoiceCustomer, idempotency_key: str) -> str: ...

    def create_invoice(self, request: InvoiceRequest) -> GatewayInvoice:
        """Create, finalise and send the invoice: the customer gets it by email, with the hosted page to pay on."""
        ...

    def retrieve_invoice(self, invoice_id: str) -> GatewayInvoice: ...

    def void_invoice(self, invoice_id: str) -> GatewayInvoice:
        """Void an open invoice; one already paid or void is returned as it is."""
        ...
