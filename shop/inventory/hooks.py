"""Low-stock emails, sent after the request whose stock change called for them.

Any stock change, wherever it happens (a checkout's hold, a webhook, an adjustment in the back
office), can take a size down through its threshold; the ledger notes it in the session and
this hook emails the admins once the request is done.
"""
import logging

from flask import Flask

from shop.extensions import db

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    @app.after_request
    def send_low_stock_alerts_after(response):
        if db.session.info.get("low_stock_crossed"):
            from shop.inventory.services import send_low_stock_alerts

            try:
                send_low_stock_alerts()
            except Exception:  # an email problem must never spoil the page that caused it
                db.session.rollback()
                log.exception("low-stock alerts not sent")
        return response
