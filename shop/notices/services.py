"""Back-in-stock requests: asking, confirming, the notice when stock comes back, unsubscribing.

The notice is recorded by the stock change itself (shop/inventory/ledger.py `stock_changed` calls
`notify_back_in_stock` when a size goes from 0 to more), in its transaction: the delivery and
its notices commit together or not at all, the subscriber hears within the worker's next poll,
and no periodic job has to remember which sizes it has already looked at.
"""
from flask import current_app, render_template, url_for
from sqlalchemy import delete, select

from shop.accounts.services import AccountError, normalise_email
from shop.accounts.tokens import BadLink, make_token, read_token
from shop.catalog.models import Variant
from shop.extensions import db
from shop.messages.outbox import links_to_the_shop, record_message
from shop.notices.models import BackInStockRequest

CONFIRM = "back-in-stock-confirm"
UNSUBSCRIBE = "back-in-stock-unsubscribe"
UNSUBSCRIBE_MAX_AGE = 400 * 24 * 3600  # an old notice's link still works for a year and more


class NoticeError(ValueError):
    """Refused, with a message for the person; `field` is the input it is about."""

    def __init__(self, message: str, field: str = "", status: int = 400):
        super().__init__(message)
        self.field = field
        self.status = status


def sold_out_size(variant_id) -> Variant:
    """The size someone asks about: it must exist, be on sale, and be sold out right now."""
    variant = db.session.get(Variant, variant_id) if isinstance(variant_id, int) else None
    if variant is None or not variant.product.published:
        raise NoticeError("That size is not in the shop.", "variant", 404)
    if variant.stock_on_hand > 0:
        raise NoticeError(f"{describe(variant)} is in stock now: you can order it straight away.", "variant", 409)
    return variant


def describe(variant: Variant) -> str:
    return f"{variant.product.name} ({variant.size_label})"


def ask_as_guest(variant_id, email: str) -> str:
    """Email a signed confirmation link; nothing is stored until it is followed. Commits; returns the address."""
    variant = sold_out_size(variant_id)
    try:
        email = normalise_email(email)
    except AccountError:
        raise NoticeError("Enter your email address, like name@example.com, so we can tell you when it's back.", "email") from None
    link = url_for("notices.confirm", token=make_token(CONFIRM, {"v": variant.id, "e": email}), _external=True)
    record_message(email, f"Confirm: email me when {describe(variant)} is back",
                   render_template("email/notices/confirm.txt", variant=variant, link=link),
                   kind="back_in_stock_confirm", about=variant)
    db.session.commit()
    return email


def ask_as_customer(variant_id, user) -> BackInStockRequest:
    """One click for a signed-in customer whose address is confirmed already. Commits."""
    variant = sold_out_size(variant_id)
    if not user.email_verified:
        raise NoticeError("Please confirm your email address first: follow the link we sent when you registered.", "email", 403)
    request = _add(variant, user.email, user.id)
    db.session.commit()
    return request


def confirm(token: str) -> Variant:
    """Follow the guest's link: from now on they are on the list for that size. Commits."""
    payload = read_token(CONFIRM, token, current_app.config["EMAIL_VERIFY_MAX_AGE_SECONDS"])
    variant = db.session.get(Variant, payload.get("v")) if isinstance(payload.get("v"), int) else None
    if variant is None or not isinstance(payload.get("e"), str):
        raise BadLink("That size is no longer in the shop.")
    if variant.stock_on_hand <= 0:  # already back? then the page says so and there is nothing to wait for
        _add(variant, payload["e"], None)
        db.session.commit()
    return variant


def _add(variant: Variant, email: str, user_id) -> BackInStockRequest:
    found = db.session.scalar(select(BackInStockRequest).where(BackInStockRequest.variant_id == variant.id,
                                                                 BackInStockRequest.email == email))
    if found is None:  # asking twice keeps one request, so one notice
        found = BackInStockRequest(variant=variant, email=email, user_id=user_id)
        db.session.add(found)
    return found


def unsubscribe_link(email: str) -> str:
    return url_for("notices.unsubscribe", token=make_token(UNSUBSCRIBE, {"e": email}), _external=True)


def one_click_link(email: str) -> str:
    """For the List-Unsubscribe header: mail programs POST to it (RFC 8058), people are sent on to the page that asks."""
    return url_for("notices.one_click_unsubscribe", token=make_token(UNSUBSCRIBE, {"e": email}), _external=True)


def read_unsubscribe(token: str) -> str:
    email = read_token(UNSUBSCRIBE, token, UNSUBSCRIBE_MAX_AGE).get("e")
    if not isinstance(email, str):
        raise BadLink("That link is not valid.")
    return email


def unsubscribe(token: str) -> int:
    """Stop every back-in-stock notice to the link's address; returns how many requests ended. Commits."""
    email = read_unsubscribe(token)
    ended = db.session.execute(delete(BackInStockRequest).where(BackInStockRequest.email == email)
                               .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return ended


def notify_back_in_stock(variant_id: int) -> int:
    """The size is sellable again: one notice to each subscriber, and their request ends (caller's transaction)."""
    variant = db.session.get(Variant, variant_id)
    if variant is None or not variant.product.published:
        return 0  # a withdrawn product keeps its list until it is on sale again
    requests = db.session.scalars(select(BackInStockRequest).where(BackInStockRequest.variant_id == variant_id)
                                  .order_by(BackInStockRequest.id)).all()
    with links_to_the_shop():
        product_link = url_for("catalog.product", slug=variant.product.slug, _external=True)
        for request in requests:
            unsubscribe = unsubscribe_link(request.email)
            text = render_template("email/notices/back_in_stock.txt", variant=variant, link=product_link, unsubscribe=unsubscribe)
            record_message(request.email, f"Back in stock: {describe(variant)}", text, kind="back_in_stock", about=variant,
                           unsubscribe=one_click_link(request.email))
            db.session.delete(request)
    return len(requests)


def waiting_for(user, variants) -> set[int]:
    """Which of these sizes the signed-in customer is already on the list for."""
    if not getattr(user, "is_authenticated", False) or not variants:
        return set()
    ids = [v.id for v in variants]
    return set(db.session.scalars(select(BackInStockRequest.variant_id).where(
        BackInStockRequest.variant_id.in_(ids), BackInStockRequest.email == user.email)))


