"""POST /stripe/webhook: the one view exempt from CSRF (token and cross-origin check), because Stripe
signs its requests instead."""
import logging

from flask import Blueprint, jsonify, request

from shop import cross_origin
from shop.checkout.services import handle_webhook_event
from shop.extensions import csrf, db
from shop.payments.gateway import BadSignature, PaymentError
from shop.payments.services import get_gateway

log = logging.getLogger(__name__)
bp = Blueprint("stripe_webhook", __name__)


@bp.post("/stripe/webhook")
def receive():
    gateway = get_gateway()
    try:
        event = gateway.parse_webhook(request.get_data(), request.headers.get("Stripe-Signature"))
    except BadSignature:
        return jsonify(error="bad signature"), 400
    try:
        outcome = handle_webhook_event(event.id, event.type, event.object, gateway)
    except PaymentError:
        db.session.rollback()
        log.warning("webhook %s: gateway unavailable; Stripe will retry", event.id)
        return jsonify(error="gateway unavailable, retry later"), 503
    return jsonify(received=True, outcome=outcome)


csrf.exempt(receive)
cross_origin.exempt(receive)
