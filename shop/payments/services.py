"""Which gateway the shop uses, decided once from the settings."""
from flask import current_app, url_for

from shop.payments.gateway import Gateway


def get_gateway() -> Gateway:
    app = current_app
    gateway = app.extensions.get("shop.gateway")
    if gateway is None:
        gateway = make_gateway(app.config)
        app.extensions["shop.gateway"] = gateway
    return gateway


def make_gateway(config) -> Gateway:
    if config.get("STRIPE_SECRET_KEY"):
        from shop.payments.stripe_gateway import StripeGateway

        return StripeGateway(
            config["STRIPE_SECRET_KEY"],
            config.get("STRIPE_WEBHOOK_SECRET"),
            config["STRIPE_API_BASE"],
            timeout=config["STRIPE_TIMEOUT_SECONDS"],
            retries=config["STRIPE_MAX_RETRIES"],
        )
    from shop.payments.demo_gateway import DemoGateway

    return DemoGateway(lambda session_id: url_for("demo_pay.page", session_id=session_id, _external=True),
                       lambda invoice_id: url_for("demo_invoice.page", invoice_id=invoice_id, _external=True))


def demo_payments_on(config) -> bool:
    return not config.get("STRIPE_SECRET_KEY")
