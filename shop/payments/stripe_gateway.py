"""Stripe Checkout through the official `stripe` package: the only module that imports it."""
import json
import logging

import stripe

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

log = logging.getLogger(__name__)
SIGNATURE_TOLERANCE_SECONDS = 300
UNAVAILABLE = "We couldn't reach our payment provider. Nothing has been charged; please try again in a moment."


class StripeGateway:
    name = "stripe"

    def __init__(self, secret_key: str, webhook_secret: str | None, api_base: str, *, timeout: float, retries: int):
        self.webhook_secret = webhook_secret
        self.livemode = secret_key.startswith(("sk_live_", "rk_live_"))
        # Retries reuse the request's idempotency key, so a retried create never makes two sessions.
        self.client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base},
            max_network_retries=retries,
            http_client=stripe.RequestsClient(timeout=timeout),
        )

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        params = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": line.quantity,
                    "price_data": {
                        "currency": request.currency,
                        "unit_amount": line.unit_amount,
                        "product_data": {"name": line.name, "description": line.description},
                    },
                }
                for line in request.lines
            ],
            # The one method the buyer chose in the cart, at the price the order was charged.
            "shipping_options": [{"shipping_rate_data": _shipping_rate(request)}],
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "client_reference_id": str(request.order_id),
            "metadata": {"order_id": str(request.order_id), "order_number": request.order_number},
            "payment_intent_data": {"metadata": {"order_id": str(request.order_id), "order_number": request.order_number}},
            "expires_at": request.expires_at,
        }
        if request.collect_address:
            params["shipping_address_collection"] = {"allowed_countries": ["GB"]}
        if request.discount_pence:
            # A one-off coupon for this order's discount, so Stripe's page shows it as a discount.
            params["discounts"] = [{"coupon": self._coupon(request)}]
        if request.email:
            params["customer_email"] = request.email
        session = self._call(
            self.client.v1.checkout.sessions.create,
            params=params,
            options={"idempotency_key": request.idempotency_key},
        )
        return _session(session)

    def _coupon(self, request: CheckoutRequest) -> str:
        coupon = self._call(
            self.client.v1.coupons.create,
            params={"amount_off": request.discount_pence, "currency": request.currency, "duration": "once",
                    "max_redemptions": 1, "name": request.discount_name[:40] or "Discount",
                    "metadata": {"order_id": str(request.order_id), "order_number": request.order_number}},
            options={"idempotency_key": f"coupon-{request.idempotency_key}"},
        )
        return coupon.id

    def retrieve_checkout(self, session_id: str) -> CheckoutSession:
        return _session(self._call(self.client.v1.checkout.sessions.retrieve, session_id))

    def expire_checkout(self, session_id: str) -> CheckoutSession:
        """Expire an open session; a session that is already complete or expired is returned as it is."""
        try:
            return _session(self.client.v1.checkout.sessions.expire(session_id))
        except stripe.InvalidRequestError:
            return self.retrieve_checkout(session_id)
        except stripe.StripeError as error:
            log.warning("stripe expire failed: %s", error.__class__.__name__)
            raise PaymentError(UNAVAILABLE) from error

    def refund(self, payment_intent: str, amount: int, reason: str, idempotency_key: str) -> Refund:
        refund = self._call(
            self.client.v1.refunds.create,
            params={"payment_intent": payment_intent, "amount": amount, "reason": reason},
            options={"idempotency_key": idempotency_key},
        )
        return Refund(id=refund.id, amount=refund.amount, status=refund.status)

    def order_ref_of_payment(self, payment_intent: str) -> str | None:
        intent = self._call(self.client.v1.payment_intents.retrieve, payment_intent)
        return (intent.to_dict().get("metadata") or {}).get("order_id")

    def parse_webhook(self, payload: bytes, signature: str | None) -> WebhookEventData:
        if not self.webhook_secret:
            raise BadSignature("no webhook secret is configured")
        try:
            stripe.WebhookSignature.verify_header(
                payload, signature, self.webhook_secret, tolerance=SIGNATURE_TOLERANCE_SECONDS
            )
            event = json.loads(payload)
            return WebhookEventData(id=event["id"], type=event["type"], object=event["data"]["object"])
        except (stripe.SignatureVerificationError, ValueError, KeyError, TypeError) as error:
            raise BadSignature(str(error)) from error

    # --- invoices for clinics on payment terms: called by the worker, never inside a web request ----------

    def create_customer(self, customer: InvoiceCustomer, idempotency_key: str) -> str:
        created = self._call(
            self.client.v1.customers.create,
            params={"name": customer.name[:256], "email": customer.email,
                    "metadata": {"clinic_id": str(customer.clinic_id)}},
            options={"idempotency_key": idempotency_key},
        )
        return created.id

    def create_invoice(self, request: InvoiceRequest) -> GatewayInvoice:
        """A draft invoice of its own lines (never the customer's other pending items), finalised and sent.

        Every call has its own key derived from the order's, so the worker's retry after a failure at
        any step replays what Stripe already did and carries on from there: one invoice, one set of lines.
        """
        key, customer = request.idempotency_key, request.customer.gateway_id
        metadata = {"order_id": str(request.order_id), "order_number": request.order_number}
        params = {
            "customer": customer,
            "collection_method": "send_invoice",
            "days_until_due": request.days_until_due,
            "auto_advance": False,  # finalised and sent by us, now, not an hour later
            "pending_invoice_items_behavior": "exclude",
            "currency": request.currency,
            "description": f"Order {request.order_number}",
            "metadata": metadata,
        }
        if request.discount_pence:
            params["discounts"] = [{"coupon": self._invoice_coupon(request)}]
        draft = self._call(self.client.v1.invoices.create, params=params, options={"idempotency_key": f"{key}-create"},
                           missing=InvoiceNotFound)
        for n, line in enumerate(request.lines):
            self._item(draft.id, request, f"{line.name} ({line.description})", line.quantity, line.unit_amount,
                       f"{key}-line-{n}")
        # Delivery is not discounted, as at checkout: a code's amount comes off the goods.
        self._item(draft.id, request, f"Delivery: {request.shipping_label}", 1, request.shipping_pence, f"{key}-delivery",
                   discountable=False)
        self._call(self.client.v1.invoices.finalize_invoice, draft.id, params={"auto_advance": False},
                   options={"idempotency_key": f"{key}-finalize"}, missing=InvoiceNotFound)
        sent = self._call(self.client.v1.invoices.send_invoice, draft.id, options={"idempotency_key": f"{key}-send"},
                          missing=InvoiceNotFound)
        return invoice_from_dict(sent.to_dict())

    def _item(self, invoice_id, request: InvoiceRequest, description, quantity, unit_amount, key, discountable=True):
        self._call(
            self.client.v1.invoice_items.create,
            params={"customer": request.customer.gateway_id, "invoice": invoice_id, "currency": request.currency,
                    "description": description[:500], "quantity": quantity, "unit_amount_decimal": str(unit_amount),
                    "discountable": discountable,
                    "metadata": {"order_id": str(request.order_id)}},
            options={"idempotency_key": key},
            missing=InvoiceNotFound,
        )

    def _invoice_coupon(self, request: InvoiceRequest) -> str:
        coupon = self._call(
            self.client.v1.coupons.create,
            params={"amount_off": request.discount_pence, "currency": request.currency, "duration": "once",
                    "max_redemptions": 1, "name": request.discount_name[:40] or "Discount",
                    "metadata": {"order_id": str(request.order_id), "order_number": request.order_number}},
            options={"idempotency_key": f"{request.idempotency_key}-coupon"},
        )
        return coupon.id

    def retrieve_invoice(self, invoice_id: str) -> GatewayInvoice:
        return invoice_from_dict(self._call(self.client.v1.invoices.retrieve, invoice_id, missing=InvoiceNotFound).to_dict())

    def void_invoice(self, invoice_id: str) -> GatewayInvoice:
        try:
            return invoice_from_dict(self.client.v1.invoices.void_invoice(invoice_id).to_dict())
        except stripe.InvalidRequestError as error:
            if getattr(error, "code", None) == "resource_missing":
                raise InvoiceNotFound("No such invoice.") from error
            # Paid (or already void) a moment ago: Stripe refuses; the caller decides from how it is now.
            return self.retrieve_invoice(invoice_id)
        except stripe.StripeError as error:
            log.warning("stripe void failed: %s", error.__class__.__name__)
            raise PaymentError(UNAVAILABLE) from error

    def _call(self, method, *args, missing=SessionNotFound, **kwargs):
        try:
            return method(*args, **kwargs)
        except stripe.InvalidRequestError as error:
            if getattr(error, "code", None) == "resource_missing":
                raise missing("No such checkout session." if missing is SessionNotFound else "No such invoice.") from error
            log.error("stripe refused a request: %s", error.user_message or error)
            raise PaymentError("Our payment provider refused the request. Nothing has been charged.") from error
        except stripe.StripeError as error:
            log.warning("stripe unavailable: %s", error.__class__.__name__)
            raise PaymentError(UNAVAILABLE) from error


def _shipping_rate(request: CheckoutRequest) -> dict:
    rate = {
        "type": "fixed_amount",
        "display_name": request.shipping_label[:100],
        "fixed_amount": {"amount": request.shipping_pence, "currency": request.currency},
    }
    if request.shipping_min_days is not None and request.shipping_max_days is not None:
        rate["delivery_estimate"] = {"minimum": {"unit": "business_day", "value": request.shipping_min_days},
                                     "maximum": {"unit": "business_day", "value": request.shipping_max_days}}
    return rate


def session_from_dict(data: dict) -> CheckoutSession:
    shipping = (data.get("collected_information") or {}).get("shipping_details") or data.get("shipping_details") or {}
    address = shipping.get("address") or {}
    customer = data.get("customer_details") or {}
    return CheckoutSession(
        id=data["id"],
        url=data.get("url"),
        status=data.get("status") or "open",
        payment_status=data.get("payment_status") or "unpaid",
        amount_total=data.get("amount_total"),
        currency=data.get("currency"),
        livemode=bool(data.get("livemode")),
        order_ref=data.get("client_reference_id") or (data.get("metadata") or {}).get("order_id"),
        payment_intent=data.get("payment_intent") if isinstance(data.get("payment_intent"), str) else None,
        email=customer.get("email") or data.get("customer_email"),
        shipping=Address(
            name=shipping.get("name") or customer.get("name") or "",
            line1=address.get("line1") or "",
            line2=address.get("line2") or "",
            city=address.get("city") or "",
            postal_code=address.get("postal_code") or "",
            country=address.get("country") or "",
        ),
    )


def invoice_from_dict(data: dict) -> GatewayInvoice:
    customer = data.get("customer")
    return GatewayInvoice(
        id=data["id"],
        status=data.get("status") or "draft",
        number=data.get("number"),
        hosted_url=data.get("hosted_invoice_url"),
        amount_due=int(data.get("amount_due") or 0),
        amount_paid=int(data.get("amount_paid") or 0),
        currency=(data.get("currency") or "").lower(),
        due_date=data.get("due_date"),
        livemode=bool(data.get("livemode")),
        order_ref=(data.get("metadata") or {}).get("order_id"),
        customer_id=customer if isinstance(customer, str) else (customer or {}).get("id"),
    )


def _session(obj) -> CheckoutSession:
    return session_from_dict(obj.to_dict())
