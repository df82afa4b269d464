"""Stripe Checkout through the official `stripe` package: the only module that imports it."""
import json
import logging

import stripe

from shop.payments.gateway import (
    Address,
    BadSignature,
    CheckoutRequest,
    CheckoutSession,
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

    def _call(self, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except stripe.InvalidRequestError as error:
            if getattr(error, "code", None) == "resource_missing":
                raise SessionNotFound("No such checkout session.") from error
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


def _session(obj) -> CheckoutSession:
    return session_from_dict(obj.to_dict())
